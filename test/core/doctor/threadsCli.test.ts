import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { writeCatalogue } from '../../helpers/codexCatalogue.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

// What `codexsync doctor` prints for Codex's threads: the lines after the clock check, word for word.

const id = (n: number): string => `01a22b38-feb6-7f52-9bb9-${String(n).padStart(12, '0')}`;
const active = (n: number, form = 'jsonl'): string => `sessions/2026/11/30/rollout-2026-11-30T06-51-25-${id(n)}.${form}`;

function rollout(ws: Workspace, rel: string, n: number): void {
  writeFile(ws.home, rel, `{"type":"session_meta","payload":{"id":"${id(n)}"}}\n`);
}

/** The thread lines of `codexsync doctor` (they follow the clock line) and its exit code. */
async function threadLines(ws: Workspace): Promise<{ code: number | null; lines: string[] }> {
  const result = await runCli(['-c', ws.config, 'doctor'], { cwd: ws.dir });
  const lines = result.stdout.trimEnd().split('\n');
  const clock = lines.findIndex((line) => line.includes('] clock: '));
  expect(clock, result.stdout + result.stderr).toBeGreaterThan(0);
  return { code: result.code, lines: lines.slice(clock + 1, -1) };
}

describe('codexsync doctor: the thread checks', () => {
  it('each warning in its words: unlisted threads, missing rollouts, a thread in two files, a kept fork', async () => {
    const ws = workspace(tempDir());
    for (const n of [1, 2, 5, 6]) rollout(ws, active(n), n);
    rollout(ws, active(5, 'jsonl.zst'), 5);
    writeCatalogue(ws.home, {
      rows: [
        { id: id(1), rolloutPath: join(ws.home, active(1)), title: 'Fix the upload retry' },
        { id: id(3), rolloutPath: join(ws.home, active(3)), title: 'Its file was deleted' },
        { id: id(5), rolloutPath: join(ws.home, active(5)), title: 'Compressed and resumed' },
        { id: id(6), rolloutPath: join(ws.home, active(6)), title: 'Fix the upload retry', name: 'Fix the upload retry (from laptop)' },
      ],
    });
    expect(await threadLines(ws)).toEqual({
      code: 0,
      lines: [
        `[PASS] codex catalogue: ${join(ws.home, 'state_5.sqlite')}: 4 threads`,
        "[PASS] catalogue import: Codex's import of the rollouts is complete",
        `[WARN] unlisted threads: Codex does not list 1 thread whose rollout is in ${ws.home}: ${id(2)}; open each with \`codex resume <id>\`, and Codex adds it to its list`,
        `[WARN] missing rollouts: 1 thread in Codex's catalogue points at a rollout file that does not exist: ${id(3)}; Codex lists it but cannot open it: put each file back at the path the catalogue names (from a backup, or from the other machine)`,
        `[WARN] thread files: 1 thread kept in more than one rollout file: ${id(5)}, both .jsonl and .jsonl.zst (${active(5)}, ${active(5, 'jsonl.zst')}); codexSync never makes this: with Codex closed, keep the newest and longest file, at the place Codex's catalogue names, and move the others out of the Codex home`,
        '[WARN] kept forks: 1 fork kept as a thread of its own: "Fix the upload retry (from laptop)"; open both versions in Codex and delete the one you do not need',
      ],
    });
  });

  it("an import left 'running' fails doctor (exit 5); the threads it did not add yet pass", async () => {
    const ws = workspace(tempDir());
    for (const n of [1, 2]) rollout(ws, active(n), n);
    writeCatalogue(ws.home, { rows: [{ id: id(1), rolloutPath: join(ws.home, active(1)), title: 'Seed' }], backfill: 'running' });
    expect(await threadLines(ws)).toEqual({
      code: 5,
      lines: [
        `[PASS] codex catalogue: ${join(ws.home, 'state_5.sqlite')}: 1 thread`,
        "[FAIL] catalogue import: Codex's first import of threads was interrupted (a Codex killed while it started): Codex refuses to start for about 15 minutes, then recovers by itself; do not delete the database",
        "[PASS] unlisted threads: 1 of 2 threads on disk not listed yet: Codex's import adds them",
        "[PASS] missing rollouts: every thread in Codex's catalogue has its rollout file",
        '[PASS] thread files: one rollout file per thread',
        '[PASS] kept forks: no fork kept as a thread of its own',
      ],
    });
  });

  it('no catalogue, an unreadable one, and an untested schema: one line on the catalogue, then the rollout files', async () => {
    const none = workspace(tempDir());
    expect((await threadLines(none)).lines).toEqual([
      '[PASS] codex catalogue: no catalogue yet: Codex builds one from the rollouts at its first start',
      '[PASS] thread files: one rollout file per thread',
    ]);

    const damaged = workspace(tempDir());
    writeFileSync(join(damaged.home, 'state_5.sqlite'), 'SQLite format 3\0 and then nothing a database holds');
    const file = join(damaged.home, 'state_5.sqlite');
    expect((await threadLines(damaged)).lines).toEqual([
      `[WARN] codex catalogue: ${file} cannot be read (file is not a database): the checks of Codex's thread list were skipped; if Codex does not start either, move the file out of the Codex home: Codex then builds a new one from the rollouts (names and pins given in Codex are lost)`,
      '[PASS] thread files: one rollout file per thread',
    ]);

    const untested = workspace(tempDir());
    const db = new DatabaseSync(join(untested.home, 'state_5.sqlite'));
    db.exec('CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT, title TEXT, name TEXT); CREATE TABLE backfill_state (id INTEGER PRIMARY KEY, state TEXT);');
    db.close();
    expect((await threadLines(untested)).lines).toEqual([
      `[WARN] codex catalogue: untested schema: ${join(untested.home, 'state_5.sqlite')} has no backfill_state.status: the checks of Codex's thread list were skipped`,
      '[PASS] thread files: one rollout file per thread',
    ]);
  });
});
