import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { sync } from '../../../src/core/engine/index.ts';
import { syncReport } from '../../../src/cli/print/reports.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const THREAD_HERE = '01a2120a-007a-7690-8bcc-8aa82c263d97';
const THREAD_ARRIVING = '0199aaaa-0000-7000-8000-000000000001';
const SECRET = 'my private prompt about /home/alice/secret-project';

const MAP = '[paths.map]\n"/home/alice" = "/Users/alice"\n';

/** Codex 0.169's catalogue as codexSync was tested with it (state_5.sqlite, migration 62), holding one thread whose project folder is another machine's. */
function testedCatalogue(home: string): void {
  const db = new DatabaseSync(join(home, 'state_5.sqlite'));
  db.exec(`CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT, success BOOLEAN);
    INSERT INTO _sqlx_migrations VALUES (62, 'threads', 1);
    CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT, cwd TEXT, first_user_message TEXT, account_id TEXT);
    CREATE TABLE backfill_state (id INTEGER PRIMARY KEY, status TEXT, last_watermark TEXT, updated_at INTEGER);
    INSERT INTO backfill_state VALUES (1, 'complete', NULL, 0);`);
  db.prepare('INSERT INTO threads VALUES (?, ?, ?, ?, ?)').run(
    THREAD_HERE,
    join(home, `sessions/2026/11/25/rollout-2026-11-25T09-29-35-${THREAD_HERE}.jsonl`),
    '/home/alice/secret-project',
    SECRET,
    'acct-1234',
  );
  db.close();
}

/** Every file below `root` whose bytes contain `needle`. */
function filesHolding(root: string, needle: string): string[] {
  const found: string[] = [];
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const full = join(root, rel);
    if (statSync(full).isFile() && readFileSync(full).includes(needle)) found.push(rel);
  }
  return found.sort();
}

describe("a copy of Codex's catalogue stays on this machine", () => {
  it('before a catalogue write it goes to the local state folder, never into backup_dir or the cloud workspace', async () => {
    const dir = tempDir();
    const ws = workspace(dir, { extra: MAP });
    testedCatalogue(ws.home);
    writeFile(ws.home, `sessions/2026/11/25/rollout-2026-11-25T09-29-35-${THREAD_HERE}.jsonl`, '{"type":"session_meta"}\n');
    // A thread of the other machine arrives; [paths.map] maps the project folder in the catalogue, a catalogue write.
    writeFile(ws.cloud, `sessions/2026/11/25/rollout-2026-11-25T10-00-00-${THREAD_ARRIVING}.jsonl`, '{"type":"session_meta"}\n');
    await handOffAs(ws.cloud, 'desk');

    const ctx = engineContext(ws.config, noAnswer);
    const result = await sync(ctx, { apply: true });
    await ctx.log.close();
    expect(result.exitCode).toBe(0);
    expect(result.catalogue).toMatchObject({ status: 'tested', mapped: 1 });

    // The workspace (cloud mirror and backup folder) holds neither the catalogue nor anything from it.
    expect(filesHolding(join(dir, 'ws'), SECRET)).toEqual([]);
    expect(filesHolding(join(dir, 'ws'), 'SQLite format 3')).toEqual([]);
    expect(filesHolding(join(dir, 'ws'), 'acct-1234')).toEqual([]);

    // The copy is in this machine's state folder, a whole database, and the result says where.
    const copies = join(dir, 'state', 'a', 'catalogue-backups');
    const runs = readdirSync(copies);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^a-\d{8}T\d{6}Z$/);
    const copy = join(copies, runs[0] as string, 'state_5.sqlite');
    expect(result.catalogue?.backup).toBe(copy);
    const db = new DatabaseSync(copy, { readOnly: true });
    expect(db.prepare('SELECT first_user_message AS m, cwd FROM threads').get()).toEqual({ m: SECRET, cwd: '/home/alice/secret-project' });
    db.close();
    const live = new DatabaseSync(join(ws.home, 'state_5.sqlite'), { readOnly: true });
    expect(live.prepare('SELECT cwd FROM threads').get()).toEqual({ cwd: '/Users/alice/secret-project' });
    live.close();
    expect(syncReport(result, { json: false, verbose: false, reportConflicts: true })).toContain(`Codex's thread catalogue as it was before this run: ${copy} (kept on this machine only).`);
  });

  it('old copies go by the limits of backup snapshots (max_backups)', async () => {
    const dir = tempDir();
    const ws = workspace(dir, { extra: `[backup]\nmax_backups = 1\n${MAP}` });
    testedCatalogue(ws.home);
    const arrive = async (thread: string): Promise<string | undefined> => {
      writeFile(ws.cloud, `sessions/2026/11/25/rollout-2026-11-25T10-00-00-${thread}.jsonl`, '{"type":"session_meta"}\n');
      await handOffAs(ws.cloud, 'desk');
      const ctx = engineContext(ws.config, noAnswer);
      const result = await sync(ctx, { apply: true });
      await ctx.log.close();
      expect(result.catalogue?.mapped).toBe(1);
      return result.catalogue?.backup;
    };
    await arrive(THREAD_ARRIVING);
    // Codex adds the arrived thread with the other machine's project folder: the next run maps it.
    const db = new DatabaseSync(join(ws.home, 'state_5.sqlite'));
    db.prepare('INSERT INTO threads (id, rollout_path, cwd) VALUES (?, ?, ?)').run(
      THREAD_ARRIVING,
      join(ws.home, `sessions/2026/11/25/rollout-2026-11-25T10-00-00-${THREAD_ARRIVING}.jsonl`),
      '/home/alice/api',
    );
    db.close();
    const second = await arrive('0199aaaa-0000-7000-8000-000000000002');
    const copies = join(dir, 'state', 'a', 'catalogue-backups');
    expect(readdirSync(copies).map((run) => join(copies, run, 'state_5.sqlite'))).toEqual([second]);
  });
});
