// Two machines that kept the same identity.machine_id (the template's default, say) must not take
// each other's handoff record or lock for their own: each installation has its own random id.
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { handOffAs } from '../helpers/handoff.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';
import { listTree } from '../scenarios/runner.ts';

const cli = (ws: Workspace, ...args: string[]) => runCli(['-c', ws.config, ...args], { cwd: ws.dir });
const host = hostname();

/** A machine of its own (Codex home, state folder) whose config says machine_id = `id`. */
function machineWithId(dir: string, name: string, id: string): Workspace {
  const ws = workspace(dir, { machine: name });
  writeFileSync(ws.config, readFileSync(ws.config, 'utf8').replace(`machine_id = "${name}"`, `machine_id = "${id}"`));
  return ws;
}

const installationOf = (dir: string, name: string): string => readFileSync(join(dir, 'state', name, 'installation-id'), 'utf8').trim();

describe('two machines with the same machine_id', () => {
  it("the second one stops with exit 4 naming both hosts instead of taking the first one's record for its own; doctor fails", async () => {
    const dir = tempDir();
    const laptop = machineWithId(dir, 'laptop', 'machine-a');
    const desktop = machineWithId(dir, 'desktop', 'machine-a');
    writeFile(laptop.home, 'skills/one/SKILL.md', 'one\n');
    writeFile(laptop.home, 'skills/two/SKILL.md', `two ${'x'.repeat(100)}\n`);
    expect((await cli(laptop, 'sync', '--apply')).code).toBe(0);
    const record = JSON.parse(readFileSync(join(laptop.cloud, '.codexsync', 'handoff-machine-a.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ machineId: 'machine-a', installation: installationOf(dir, 'laptop'), host });
    expect(installationOf(dir, 'laptop')).toMatch(/^[0-9a-f]{32}$/);
    // Still arriving on the desktop; before, it took the laptop's record for its own and pulled this torn file.
    truncateSync(join(desktop.cloud, 'skills/two/SKILL.md'), 10);

    const words = `codexsync: two machines use machine_id machine-a: ${host} and ${host}; give each its own identity.machine_id, starting with this one (nothing was changed)`;
    const apply = await cli(desktop, 'sync', '--apply');
    expect(apply.code).toBe(4);
    expect(apply.stderr).toContain(words);
    expect([...listTree(desktop.home).keys()]).toEqual([]);
    const plan = await cli(desktop, 'plan');
    expect(plan.code).toBe(4);
    expect(plan.stderr).toContain(words);
    const doctor = await cli(desktop, 'doctor');
    expect(doctor.code).toBe(5);
    expect(doctor.stdout).toContain(`[FAIL] machine id: two machines use machine_id machine-a: ${host} and ${host}; give each its own identity.machine_id, starting with this one`);
    expect((await cli(laptop, 'doctor')).stdout).toContain(`[PASS] machine id: machine-a (this installation ${installationOf(dir, 'laptop').slice(0, 8)})`);
  });

  it("another host's record or lock under this machine_id is named by its host", async () => {
    const dir = tempDir();
    const laptop = machineWithId(dir, 'laptop', 'machine-a');
    writeFile(laptop.home, 'skills/one/SKILL.md', 'one\n');
    writeFile(laptop.cloud, 'skills/two/SKILL.md', 'two\n');
    await handOffAs(laptop.cloud, 'machine-a', { host: 'desktop-host' });
    const apply = await cli(laptop, 'sync', '--apply');
    expect(apply.code).toBe(4);
    expect(apply.stderr).toContain(`codexsync: two machines use machine_id machine-a: ${host} and desktop-host; give each its own identity.machine_id`);

    const other = machineWithId(tempDir(), 'studio', 'machine-b');
    writeFile(other.home, 'skills/one/SKILL.md', 'one\n');
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const lock = { machineId: 'machine-b', installation: 'f'.repeat(32), host: 'desktop-host', pid: 4242, token: 't', startedAt: '2026-11-25T08:00:00.000Z', expiresAt: future };
    writeFile(other.cloud, '.codexsync/lock.json', JSON.stringify(lock));
    const locked = await cli(other, 'sync', '--apply');
    expect(locked.code).toBe(4);
    expect(locked.stderr).toContain(`codexsync: two machines use machine_id machine-b: ${host} and desktop-host; give each its own identity.machine_id`);
    expect(existsSync(join(other.cloud, 'skills'))).toBe(false);
    expect((await cli(other, 'doctor')).stdout).toContain(`[FAIL] machine id: two machines use machine_id machine-b: ${host} and desktop-host`);
    // Once it expired it is a lock left behind, taken over like any other.
    writeFile(other.cloud, '.codexsync/lock.json', JSON.stringify({ ...lock, expiresAt: '2026-01-01T00:00:00.000Z' }));
    const after = await cli(other, 'sync', '--apply');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stderr).toContain('took over a stale lock of machine-b (PID 4242, since 2026-11-25T08:00:00.000Z)');
  });

  it("a record written before installation ids is this machine's own; its next record carries its id and host, kept from run to run", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    writeFile(a.home, 'skills/one/SKILL.md', 'one\n');
    expect((await cli(a, 'plan')).code).toBe(0);
    expect(existsSync(join(dir, 'state', 'a', 'installation-id'))).toBe(false); // a plan writes nothing
    expect((await cli(a, 'sync', '--apply')).code).toBe(0);
    const file = join(a.cloud, '.codexsync', 'handoff-a.json');
    const { installation: _installation, host: _host, ...older } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(older));
    const id = installationOf(dir, 'a');

    writeFile(a.home, 'skills/two/SKILL.md', 'two\n');
    const apply = await cli(a, 'sync', '--apply');
    expect(apply.code, apply.stderr).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ machineId: 'a', installation: id, host, sequence: 2 });
    expect(installationOf(dir, 'a')).toBe(id);
  });
});
