import { basename } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { hasColumns, isSqliteFile, tableExists, TESTED, findCatalogue } from './catalogue.ts';
import { openUntouched, type Opened } from './open.ts';

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

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : undefined;
}
