import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readThread, setThreadName } from '../../src/core/codex/index.ts';
import { newThreadId, rekeyRollout } from '../../src/core/threads/index.ts';
import { runCli } from '../helpers/cli.ts';
import { copyRollout, machinesFor, place, readRollout, rolloutOf, withSession, type CodexMachine, type Machines, useFakeModel, value, interruptImport } from '../helpers/codexMachines.ts';
import { newThread } from '../helpers/codexThreads.ts';
import type { CodexVersion } from '../helpers/realCodex.ts';

// `codexsync doctor` on a Codex home the real Codex made (both versions): a rollout copied in
// that Codex never registered, a thread whose file was deleted, a fork kept as a thread of its
// own, and an import interrupted by killing Codex. Doctor reads Codex's catalogue only: it
// starts no Codex (codex.binary is a trap) and every byte of the home stays as it was.

const fakeModel = useFakeModel();

/**
 * A config for doctor on `m`, whose codex.binary only leaves a mark that it was started; it looks
 * for no process named codex, so that Codex run by other tests on this machine cannot fail it.
 */
function doctorConfig(root: string, m: CodexMachine): { config: string; trapped: string } {
  const trapped = join(root, `${m.name}-codex-was-started`);
  const trap = join(root, `${m.name}-codex-trap`);
  writeFileSync(trap, `#!/bin/sh\ntouch '${trapped}'\nexit 1\n`);
  chmodSync(trap, 0o755);
  const config = join(root, `${m.name}.toml`);
  writeFileSync(
    config,
    `[identity]
machine_id = "${m.name}"
[paths]
workspace_root_dir = "${join(root, 'Dropbox', 'codexSync')}"
local_state_dir = "${m.home}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[state]
local_dir = "${join(root, m.name, 'state')}"
[logging]
file = "${join(root, 'logs', 'codexsync.log')}"
[codex]
binary = "${trap}"
[process_detection]
process_names = ["codex-doctor-test-${process.pid}"]
`,
  );
  return { config, trapped };
}

/** Every file of the home with its bytes (SQLite's -shm index may get a new time, never new bytes). */
function bytesOf(home: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const rel of readdirSync(home, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = join(home, rel);
    files[rel] = statSync(full).isFile() ? readFileSync(full).toString('base64') : 'dir';
  }
  return files;
}

async function doctor(config: string, cwd: string): Promise<{ code: number | null; lines: string[] }> {
  const result = await runCli(['-c', config, 'doctor'], { cwd });
  const lines = result.stdout.trimEnd().split('\n');
  const clock = lines.findIndex((line) => line.includes('] clock: '));
  expect(clock, result.stdout + result.stderr).toBeGreaterThan(0);
  return { code: result.code, lines: lines.slice(clock + 1, -1) };
}

function backfillStatus(home: string): string {
  const db = new DatabaseSync(join(home, 'state_5.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT status FROM backfill_state').get() as { status: string }).status;
  } finally {
    db.close();
  }
}

describe.each(['pinned', 'newest'] as const)('doctor on a home of the real Codex %s', (version: CodexVersion) => {
  let machines: Machines;
  let root: string;
  beforeAll(() => {
    machines = machinesFor(version, fakeModel().url);
    root = mkdtempSync(join(tmpdir(), 'codexsync-doctor-'));
  });
  afterAll(() => {
    machines.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('names the rollout Codex does not list, the row whose file is gone and the kept fork, and touches nothing', async () => {
    const main = machines.make('main');
    const other = machines.make('other');
    const kept = await withSession(main, (s) => newThread(s, main.project, ['Keep me']));
    const gone = await withSession(main, (s) => newThread(s, main.project, ['Delete my file']));
    const copied = await withSession(other, (s) => newThread(s, other.project, ['Made on another machine']));
    copyRollout(other, main, rolloutOf(other.home, copied));
    unlinkSync(join(main.home, rolloutOf(main.home, gone)));
    // A fork kept as a thread of its own, as a sync keeps one: a fresh id, registered and named by Codex.
    const keptRel = rolloutOf(main.home, kept);
    const fork = newThreadId();
    const rekeyed = rekeyRollout(readRollout(main, keptRel), basename(keptRel), kept, fork);
    if (!rekeyed.ok) throw new Error(rekeyed.why);
    place(main, join(dirname(keptRel), rekeyed.name), rekeyed.bytes);
    await withSession(main, async (s) => {
      value(await readThread(s, fork));
      value(await setThreadName(s, fork, 'Keep me (from laptop)'));
    });

    const { config, trapped } = doctorConfig(root, main);
    const before = bytesOf(main.home);
    expect(await doctor(config, main.project)).toEqual({
      code: 0,
      lines: [
        `[PASS] codex catalogue: ${join(main.home, 'state_5.sqlite')}: 3 threads`,
        "[PASS] catalogue import: Codex's import of the rollouts is complete",
        `[WARN] unlisted threads: Codex does not list 1 thread whose rollout is in ${main.home}: ${copied}; open each with \`codex resume <id>\`, and Codex adds it to its list`,
        `[WARN] missing rollouts: 1 thread in Codex's catalogue points at a rollout file that does not exist: ${gone}; Codex lists it but cannot open it: put each file back at the path the catalogue names (from a backup, or from the other machine)`,
        '[PASS] thread files: one rollout file per thread',
        '[WARN] kept forks: 1 fork kept as a thread of its own: "Keep me (from laptop)"; open both versions in Codex and delete the one you do not need',
      ],
    });
    expect(bytesOf(main.home)).toEqual(before);
    expect(existsSync(trapped)).toBe(false);
  });

  it("fails on an import left 'running' by a Codex killed while it started", async () => {
    const killed = machines.make('killed');
    await interruptImport(killed);
    expect(backfillStatus(killed.home)).toBe('running');

    const { config, trapped } = doctorConfig(root, killed);
    const before = bytesOf(killed.home);
    const result = await doctor(config, killed.project);
    expect(result.code).toBe(5);
    expect(result.lines[1]).toBe(
      "[FAIL] catalogue import: Codex's first import of threads was interrupted (a Codex killed while it started): Codex refuses to start for about 15 minutes, then recovers by itself; do not delete the database",
    );
    expect(result.lines[2]).toMatch(/^\[PASS\] unlisted threads: \d+ of 1501 threads on disk not listed yet: Codex's import adds them$/);
    expect(bytesOf(killed.home)).toEqual(before);
    expect(existsSync(trapped)).toBe(false);
  });
});
