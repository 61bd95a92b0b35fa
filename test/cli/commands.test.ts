// The real `codexsync` binary, spawned once per command and exit code of 0.1.2: the golden
// scenarios run in-process, so these make sure the command line itself still says and exits
// what a user's scripts rely on.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { FakeCodex, settle } from '../helpers/processes.ts';
import { handOffAs } from '../helpers/handoff.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile } from '../helpers/workspace.ts';

const t = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));

function machine(options: { extra?: string; processNames?: string[] } = {}): ReturnType<typeof workspace> {
  const ws = workspace(tempDir(), options);
  writeFile(ws.home, 'skills/review/SKILL.md', 'review\n', t(1));
  writeFile(ws.home, 'history.jsonl', '{"ts":1,"text":"hi"}\n', t(1));
  return ws;
}

describe('every command of the real binary, with the exit codes of 0.1.2', () => {
  it('plan, sync --dry-run, sync --apply, sync --json: 0, with the words a user reads', async () => {
    const ws = machine();
    const plan = await runCli(['-c', ws.config, 'plan'], { cwd: ws.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('  copy    -> cloud  skills/review/SKILL.md  (7 B, ');
    expect(plan.stdout).toContain('Totals: to cloud 2 files (28 B), to this machine 0 files (0 B), 0 merges, 0 deletions, 0 unchanged');
    const dry = await runCli(['-c', ws.config, 'sync', '--dry-run'], { cwd: ws.dir });
    expect([dry.code, dry.stdout.trimEnd().split('\n').pop()]).toEqual([0, 'Dry run: nothing was written. Run "codexsync sync --apply" to hand off.']);
    const apply = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect([apply.code, apply.stdout.trimEnd().split('\n').pop()]).toEqual([0, 'Done: 2 changes, 28 B written.']);
    const json = await runCli(['-c', ws.config, 'sync', '--apply', '--json'], { cwd: ws.dir });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, exitCode: 0, command: 'sync', mode: 'apply', status: 'in-sync', deletionWarning: null });
  });

  it('a conflict is exit 2 and nothing is written', async () => {
    const ws = machine();
    expect((await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir })).code).toBe(0);
    writeFile(ws.home, 'skills/review/SKILL.md', 'here\n', t(2));
    writeFile(ws.cloud, 'skills/review/SKILL.md', 'there\n', t(3));
    await handOffAs(ws.cloud, 'desk');
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('  skills/review/SKILL.md: changed on both machines since the last sync');
    expect(result.stdout.trimEnd().split('\n').pop()).toBe('Stopped: 1 conflict to settle. Nothing was written.');
  });

  it('Codex running: sync --apply with no one to ask is exit 3, doctor fails with exit 5', async () => {
    const name = `codex-cli-test-${process.pid}`;
    const ws = machine({ processNames: [name] });
    const fakes = new FakeCodex(join(ws.dir, 'fake'));
    try {
      const pid = fakes.named(name, ['resume']);
      await settle();
      const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
      expect(result.code).toBe(3);
      expect(result.stderr.trimEnd().split('\n').pop()).toBe('codexsync: Codex is running and ending it was declined: close Codex and run again');
      const doctor = await runCli(['-c', ws.config, 'doctor'], { cwd: ws.dir });
      expect(doctor.code).toBe(5);
      expect(doctor.stdout).toContain(`[FAIL] codex process: Codex is running: Codex CLI ${name} (PID ${pid}); close it before syncing`);
    } finally {
      await fakes.stopAll();
    }
  });

  it('bad arguments and a bad config are exit 4', async () => {
    const ws = machine();
    expect((await runCli(['-c', ws.config, 'sync', '--sideways'], { cwd: ws.dir })).code).toBe(4);
    writeFileSync(join(ws.dir, 'bad.toml'), '[sync]\ncompare = "sometimes"\n');
    const bad = await runCli(['-c', join(ws.dir, 'bad.toml'), 'plan'], { cwd: ws.dir });
    expect(bad.code).toBe(4);
    expect(bad.stderr.split('\n')[0]).toMatch(/^codexsync: /);
    writeFileSync(join(ws.dir, 'latin1.toml'), Buffer.concat([Buffer.from('[paths]\ncloud_root_dir = "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]));
    const latin1 = await runCli(['-c', join(ws.dir, 'latin1.toml'), 'plan'], { cwd: ws.dir });
    expect([latin1.code, latin1.stderr]).toEqual([4, 'codexsync: latin1.toml:2: byte 29 (0xe9) is not valid UTF-8: save the file as UTF-8\n']);
  });

  it('another run holding the lock is exit 5, naming the holder; a missing snapshot is exit 1', async () => {
    const ws = machine();
    expect((await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir })).code).toBe(0);
    const startedAt = new Date(Date.now() - 600_000).toISOString();
    const holder = { machineId: 'desk', host: 'desk.local', pid: 4242, token: 'x', startedAt, expiresAt: new Date(Date.now() + 100_000).toISOString() };
    writeFileSync(join(ws.cloud, '.codexsync', 'lock.json'), `${JSON.stringify(holder)}\n`);
    writeFile(ws.home, 'skills/review/SKILL.md', 'changed\n', t(4));
    const locked = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(locked.code).toBe(5);
    expect(locked.stderr).toContain(`codexsync: another codexsync run holds the lock: machine desk (desk.local), PID 4242, since ${startedAt}: nothing was changed`);
    const restore = await runCli(['-c', ws.config, 'restore'], { cwd: ws.dir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toBe(`codexsync: there is no backup snapshot of a in ${ws.backups}: nothing to restore\n`);
  });

  it('doctor and preflight: [PASS]/[WARN]/[FAIL] lines and a summary, 0 when nothing failed', async () => {
    const ws = machine();
    for (const command of ['doctor', 'preflight']) {
      const result = await runCli(['-c', ws.config, command], { cwd: ws.dir });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^\[(PASS|WARN)\] config: /);
      expect(result.stdout.trimEnd().split('\n').pop()).toMatch(/^Summary: \d+ PASS, \d+ WARN, 0 FAIL$/);
    }
  });
});
