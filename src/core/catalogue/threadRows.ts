import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import { hasColumns, isSqliteFile, tableExists, TESTED, findCatalogue } from './catalogue.ts';

// What doctor reads of Codex's catalogue: each thread's row and the state of Codex's start-up
// import. Doctor runs while Codex may run, and must leave the Codex home exactly as it was.

/** A thread as Codex's catalogue holds it; every value as SQLite gave it, only its type checked. */
export interface CatalogueThread {
  id: string;
  /** The absolute path Codex opens the thread's rollout from. */
  rolloutPath: string;
  /** The name given in Codex, or null. */
  name: string | null;
  /** What Codex shows where there is no name: the first prompt. */
  title: string;
}

export type CatalogueThreads =
  | { kind: 'absent' }
  | { kind: 'unreadable'; file: string; error: string }
  /** The columns this reading needs are not all there (`missing`: "table.column"). */
  | { kind: 'untested'; file: string; migration: number | undefined; missing: string[] }
  | {
      kind: 'read';
      file: string;
      migration: number | undefined;
      /** A schema codexSync was tested with. */
      tested: boolean;
      /** backfill_state.status: 'complete', 'pending', 'running', ...; undefined without a row. */
      backfill: string | undefined;
      threads: CatalogueThread[];
    };

const NEEDED: ReadonlyArray<[string, readonly string[]]> = [
  ['threads', ['id', 'rollout_path', 'name', 'title']],
  ['backfill_state', ['status']],
];

/** Every thread row of a home's catalogue and the import's status, read without writing a byte in the home. */
export async function readCatalogueThreads(home: string): Promise<CatalogueThreads> {
  const file = await findCatalogue(home);
  if (file === undefined) return { kind: 'absent' };
  if (!isSqliteFile(file)) return { kind: 'unreadable', file, error: 'not an SQLite database' };
  let opened: Opened | undefined;
  try {
    opened = await openUntouched(file);
    return readRows(opened.db, file);
  } catch (error) {
    return { kind: 'unreadable', file, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await opened?.close();
  }
}

function readRows(db: DatabaseSync, file: string): CatalogueThreads {
  const migration = tableExists(db, '_sqlx_migrations') ? numberOrUndefined(db.prepare('SELECT MAX(version) AS v FROM _sqlx_migrations WHERE success = 1').get()?.v) : undefined;
  const missing = NEEDED.flatMap(([table, columns]) => columns.filter((column) => !hasColumns(db, table, [column])).map((column) => `${table}.${column}`));
  if (missing.length > 0) return { kind: 'untested', file, migration, missing };
  const status = db.prepare('SELECT status FROM backfill_state ORDER BY id LIMIT 1').get()?.status;
  const threads: CatalogueThread[] = [];
  for (const row of db.prepare('SELECT id, rollout_path, name, title FROM threads').all()) {
    if (typeof row.id !== 'string') continue;
    threads.push({
      id: row.id,
      rolloutPath: typeof row.rollout_path === 'string' ? row.rollout_path : '',
      name: typeof row.name === 'string' && row.name !== '' ? row.name : null,
      title: typeof row.title === 'string' ? row.title : '',
    });
  }
  const tested = TESTED.some((t) => t.file === basename(file) && t.migration === migration);
  return { kind: 'read', file, migration, tested, backfill: typeof status === 'string' ? status : undefined, threads };
}

interface Opened {
  db: DatabaseSync;
  close(): Promise<void>;
}

/**
 * Opens the catalogue so that no byte in the Codex home changes. SQLite, even read-only, creates
 * a WAL database's -wal and -shm files when they are missing and rewrites the -shm index when
 * it finds it stale, so only a catalogue without a -wal or -journal file (no Codex has it open,
 * and it holds every row) is opened in place, as immutable. Any other is read from a copy of
 * it and its -wal or -journal in a private temp folder of this machine (never codexSync's temp
 * folder: that one usually lies in the cloud workspace, and the catalogue holds prompts).
 */
async function openUntouched(file: string): Promise<Opened> {
  const present = async (path: string): Promise<boolean> => (await stat(path).catch(() => undefined)) !== undefined;
  const companions = (await Promise.all(['-wal', '-journal'].map(async (suffix) => ((await present(`${file}${suffix}`)) ? [suffix] : [])))).flat();
  if (companions.length === 0) {
    const url = pathToFileURL(file);
    url.searchParams.set('immutable', '1');
    const db = new DatabaseSync(url, { readOnly: true });
    return { db, close: async () => db.close() };
  }
  const dir = await mkdtemp(join(tmpdir(), 'codexsync-catalogue-'));
  try {
    const copy = join(dir, basename(file));
    // The log before the database: a checkpoint in between leaves the copy newer, never torn.
    for (const suffix of companions) await copyFile(`${file}${suffix}`, `${copy}${suffix}`);
    await copyFile(file, copy);
    // The private copy is opened for writing, so that SQLite can replay its log into it.
    const db = new DatabaseSync(copy);
    return {
      db,
      close: async () => {
        db.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
}
