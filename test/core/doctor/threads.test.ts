import { copyFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { threadChecks } from '../../../src/core/doctor/threads.ts';
import { addRow, openCatalogue, writeCatalogue, type CatalogueRow } from '../../helpers/codexCatalogue.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { writeFile } from '../../helpers/workspace.ts';

// Doctor's thread checks on real files: rollouts in a Codex home and a catalogue with the
// tables real Codex makes (test/helpers/codexCatalogue.ts).

const id = (n: number): string => `01a22b38-fd2a-77d2-a1c8-${String(n).padStart(12, '0')}`;
const name = (n: number, form = 'jsonl'): string => `rollout-2026-11-30T06-51-25-${id(n)}.${form}`;
const active = (n: number, form = 'jsonl'): string => `sessions/2026/11/30/${name(n, form)}`;
const archived = (n: number, form = 'jsonl'): string => `archived_sessions/${name(n, form)}`;

/** A rollout file at a relative path (doctor reads only names; the bytes are a first line). */
function rollout(home: string, rel: string, n: number): void {
  writeFile(home, rel, `{"type":"session_meta","payload":{"id":"${id(n)}"}}\n`);
}

/** A home holding the rollouts of threads 1..n under sessions/, each with its row. */
function listedHome(n: number, rows: Partial<CatalogueRow>[] = [], backfill?: string): { home: string; rows: CatalogueRow[] } {
  const home = tempDir();
  const all: CatalogueRow[] = [];
  for (let i = 1; i <= n; i += 1) {
    rollout(home, active(i), i);
    all.push({ id: id(i), rolloutPath: join(home, active(i)), title: `Prompt ${i}`, ...rows[i - 1] });
  }
  return { home, rows: all, ...(backfill === undefined ? {} : { backfill }) };
}

/** Every file of a folder with its bytes and time, to show that nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const stat = statSync(join(dir, rel));
    files[rel] = stat.isFile() ? `${readFileSync(join(dir, rel)).toString('base64')} ${stat.mtimeMs}` : 'dir';
  }
  return files;
}

const catalogueOk = (home: string, threads: number) => ({ status: 'PASS', name: 'codex catalogue', detail: `${join(home, 'state_5.sqlite')}: ${threads} thread${threads === 1 ? '' : 's'}` });
const importDone = { status: 'PASS', name: 'catalogue import', detail: "Codex's import of the rollouts is complete" };
const noneMissing = { status: 'PASS', name: 'missing rollouts', detail: "every thread in Codex's catalogue has its rollout file" };
const oneFileEach = { status: 'PASS', name: 'thread files', detail: 'one rollout file per thread' };
const noForks = { status: 'PASS', name: 'kept forks', detail: 'no fork kept as a thread of its own' };

describe("doctor's thread checks", () => {
  it('a home whose catalogue lists every rollout passes every check', async () => {
    const { home, rows } = listedHome(2);
    writeCatalogue(home, { rows });
    expect(await threadChecks(home)).toEqual([
      catalogueOk(home, 2),
      importDone,
      { status: 'PASS', name: 'unlisted threads', detail: 'Codex lists all 2 threads on disk' },
      noneMissing,
      oneFileEach,
      noForks,
    ]);
  });

  it('no catalogue yet: passes, and the rollout files are still checked', async () => {
    const home = tempDir();
    rollout(home, active(1), 1);
    expect(await threadChecks(home)).toEqual([{ status: 'PASS', name: 'codex catalogue', detail: 'no catalogue yet: Codex builds one from the rollouts at its first start' }, oneFileEach]);
  });

  it('a catalogue that is not an SQLite database is a warning, and is left as it was', async () => {
    const home = tempDir();
    writeFileSync(join(home, 'state_5.sqlite'), 'not a database\n');
    const before = snapshot(home);
    expect(await threadChecks(home)).toEqual([
      {
        status: 'WARN',
        name: 'codex catalogue',
        detail: `${join(home, 'state_5.sqlite')} cannot be read (not an SQLite database): the checks of Codex's thread list were skipped; if Codex does not start either, move the file out of the Codex home: Codex then builds a new one from the rollouts (names and pins given in Codex are lost)`,
      },
      oneFileEach,
    ]);
    expect(snapshot(home)).toEqual(before);
  });

  it('a catalogue without the columns doctor reads is an untested schema: its checks are skipped', async () => {
    const home = tempDir();
    const db = new DatabaseSync(join(home, 'state_7.sqlite'));
    db.exec(`CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT, success BOOLEAN);
      INSERT INTO _sqlx_migrations VALUES (90, 'future', 1);
      CREATE TABLE threads (id TEXT PRIMARY KEY, path TEXT, title TEXT);`);
    db.close();
    expect(await threadChecks(home)).toEqual([
      {
        status: 'WARN',
        name: 'codex catalogue',
        detail: `untested schema: ${join(home, 'state_7.sqlite')} (schema 90) has no threads.rollout_path, threads.name, backfill_state.status: the checks of Codex's thread list were skipped`,
      },
      oneFileEach,
    ]);
  });

  it('a newer schema that has the columns is read, and said to be untested', async () => {
    const { home, rows } = listedHome(1);
    writeCatalogue(home, { rows, migration: 70 });
    expect((await threadChecks(home))[0]).toEqual({
      status: 'PASS',
      name: 'codex catalogue',
      detail: `${join(home, 'state_5.sqlite')}: 1 thread (schema 70 codexSync was not tested with)`,
    });
  });

  it('rollouts Codex does not list, in either folder and either form: a warning with the count and the first ids', async () => {
    const { home, rows } = listedHome(1);
    for (const n of [2, 3, 4]) rollout(home, active(n), n);
    rollout(home, active(5, 'jsonl.zst'), 5);
    for (const n of [6, 7]) rollout(home, archived(n), n);
    writeCatalogue(home, { rows });
    expect((await threadChecks(home))[2]).toEqual({
      status: 'WARN',
      name: 'unlisted threads',
      detail: `Codex does not list 6 threads whose rollout is in ${home}: ${id(2)}, ${id(3)}, ${id(4)}, ${id(5)}, ${id(6)} and 1 more; open each with \`codex resume <id>\`, and Codex adds it to its list`,
    });
  });

  it("while Codex's import is pending, unlisted rollouts are what it will add: they pass", async () => {
    const { home } = listedHome(3);
    writeCatalogue(home, { rows: [], backfill: 'pending' });
    const checks = await threadChecks(home);
    expect(checks[1]).toEqual({ status: 'PASS', name: 'catalogue import', detail: 'pending: Codex imports the rollouts at its next start' });
    expect(checks[2]).toEqual({ status: 'PASS', name: 'unlisted threads', detail: "3 of 3 threads on disk not listed yet: Codex's import adds them" });
  });

  it('rows whose rollout is gone: a warning naming each, where a .jsonl.zst stands for the .jsonl a row names', async () => {
    const home = tempDir();
    rollout(home, active(1, 'jsonl.zst'), 1);
    rollout(home, archived(3), 3);
    writeCatalogue(home, {
      rows: [
        { id: id(1), rolloutPath: join(home, active(1)), title: 'Compressed by Codex' },
        { id: id(2), rolloutPath: join(home, active(2)), title: 'Deleted' },
        { id: id(3), rolloutPath: join(home, active(3)), title: 'Moved by hand' },
        { id: id(4), rolloutPath: '/Users/alice/.codex/sessions/2026/11/30/elsewhere.jsonl', title: 'Another machine' },
      ],
    });
    expect((await threadChecks(home))[3]).toEqual({
      status: 'WARN',
      name: 'missing rollouts',
      detail: `3 threads in Codex's catalogue point at a rollout file that does not exist: ${id(2)}, ${id(3)} (its rollout is at ${archived(3)}), ${id(4)}; Codex lists them but cannot open them: put each file back at the path the catalogue names (from a backup, or from the other machine)`,
    });
  });

  it('one missing rollout is told in the singular', async () => {
    const { home, rows } = listedHome(1);
    writeCatalogue(home, { rows: [...rows, { id: id(9), rolloutPath: join(home, active(9)), title: 'Gone' }] });
    expect((await threadChecks(home))[3]?.detail).toBe(
      `1 thread in Codex's catalogue points at a rollout file that does not exist: ${id(9)}; Codex lists it but cannot open it: put each file back at the path the catalogue names (from a backup, or from the other machine)`,
    );
  });

  it("an import left 'running' by a Codex killed while it started fails; a status doctor does not know warns", async () => {
    const { home, rows } = listedHome(1);
    writeCatalogue(home, { rows, backfill: 'running' });
    expect((await threadChecks(home))[1]).toEqual({
      status: 'FAIL',
      name: 'catalogue import',
      detail: "Codex's first import of threads was interrupted (a Codex killed while it started): Codex refuses to start for about 15 minutes, then recovers by itself; do not delete the database",
    });
    const other = listedHome(1);
    writeCatalogue(other.home, { rows: other.rows, backfill: 'paused' });
    expect((await threadChecks(other.home))[1]).toEqual({ status: 'WARN', name: 'catalogue import', detail: 'status "paused" is not one codexSync knows: see whether Codex starts' });
  });

  it('a thread in two forms, active and archived, or in several files: a warning naming its files', async () => {
    const home = tempDir();
    rollout(home, active(1), 1);
    rollout(home, active(1, 'jsonl.zst'), 1);
    rollout(home, active(2), 2);
    rollout(home, archived(2), 2);
    rollout(home, active(3), 3);
    rollout(home, `sessions/2026/12/01/${name(3)}`, 3);
    rollout(home, active(4), 4);
    expect((await threadChecks(home))[1]).toEqual({
      status: 'WARN',
      name: 'thread files',
      detail:
        `3 threads kept in more than one rollout file: ${id(1)}, both .jsonl and .jsonl.zst (${active(1)}, ${active(1, 'jsonl.zst')}), ` +
        `${id(2)}, both active and archived (${archived(2)}, ${active(2)}), ` +
        `${id(3)}, several files (${active(3)}, sessions/2026/12/01/${name(3)}); ` +
        "codexSync never makes this: with Codex closed, keep the newest and longest file, at the place Codex's catalogue names, and move the others out of the Codex home",
    });
  });

  it('forks kept as threads of their own are named while the thread they forked from is there', async () => {
    const { home, rows } = listedHome(6, [
      { name: 'Fix the upload retry' },
      { name: 'Fix the upload retry (from laptop)' },
      { title: 'Write the release notes\nfor 0.2' },
      { name: 'Write the release notes for 0.2 (from desk)' },
      { name: 'Deleted original (from desk)' },
      { name: 'A (from b) c' },
    ]);
    writeCatalogue(home, { rows });
    expect((await threadChecks(home))[5]).toEqual({
      status: 'WARN',
      name: 'kept forks',
      detail:
        '2 forks kept as threads of their own: "Fix the upload retry (from laptop)", "Write the release notes for 0.2 (from desk)"; open both versions in Codex and delete the one you do not need',
    });
  });
});

describe('doctor writes nothing in the Codex home', () => {
  it('a catalogue Codex closed cleanly gets no -wal or -shm file beside it', async () => {
    const { home, rows } = listedHome(2);
    writeCatalogue(home, { rows });
    const before = snapshot(home);
    expect(Object.keys(before).filter((f) => f.startsWith('state_5'))).toEqual(['state_5.sqlite']);
    await threadChecks(home);
    expect(snapshot(home)).toEqual(before);
  });

  it('a catalogue Codex holds open is read from a private copy, with the rows still in its -wal file; the copy is removed', async () => {
    const { home, rows } = listedHome(2);
    const copies = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('codexsync-catalogue-'));
    const codex = openCatalogue(home, { rows: rows.slice(0, 1) });
    try {
      codex.exec('PRAGMA wal_autocheckpoint = 0');
      addRow(codex, rows[1] as CatalogueRow);
      const before = snapshot(home);
      expect(Object.keys(before).filter((f) => f.startsWith('state_5'))).toEqual(['state_5.sqlite', 'state_5.sqlite-shm', 'state_5.sqlite-wal']);
      const copiesBefore = copies();
      expect((await threadChecks(home))[0]).toEqual(catalogueOk(home, 2));
      expect(snapshot(home)).toEqual(before);
      expect(copies()).toEqual(copiesBefore);
    } finally {
      codex.close();
    }
  });

  it('a -wal file left without its -shm is read too, and no -shm appears in the home', async () => {
    const { home, rows } = listedHome(2);
    const writer = tempDir();
    const codex = openCatalogue(writer, { rows: [] });
    try {
      codex.exec('PRAGMA wal_autocheckpoint = 0');
      for (const row of rows) addRow(codex, row);
      copyFileSync(join(writer, 'state_5.sqlite'), join(home, 'state_5.sqlite'));
      copyFileSync(join(writer, 'state_5.sqlite-wal'), join(home, 'state_5.sqlite-wal'));
    } finally {
      codex.close();
    }
    const before = snapshot(home);
    expect((await threadChecks(home))[0]).toEqual(catalogueOk(home, 2));
    expect(snapshot(home)).toEqual(before);
  });

  it('a sessions/ that cannot be listed is named, and the rest is still checked', async () => {
    const home = tempDir();
    writeFileSync(join(home, 'sessions'), 'a file where Codex keeps a folder\n');
    rollout(home, archived(1), 1);
    expect(await threadChecks(home)).toEqual([
      { status: 'WARN', name: 'rollout files', detail: `${join(home, 'sessions')} cannot be listed (ENOTDIR): its threads are left out below` },
      { status: 'PASS', name: 'codex catalogue', detail: 'no catalogue yet: Codex builds one from the rollouts at its first start' },
      oneFileEach,
    ]);
  });
});
