import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { PathMapping } from '../config/index.ts';
import { isNodeError } from '../errors.ts';
import { openUntouched } from './open.ts';

// Codex lists threads from its catalogue, state_N.sqlite, not by scanning sessions/, and
// keeps there each thread's absolute rollout path and project folder (cwd). codexSync only
// reads it: threads are added, archived and unarchived through Codex's own calls (see
// engine/threadPhase.ts). One narrow write is left, because no Codex call sets a thread's
// project folder: [paths.map] rewrites cwd, with Codex stopped, in tested schemas only.

/** Catalogue schemas this code was tested against: file name and last migration. */
export const TESTED = [
  { file: 'state_5.sqlite', migration: 62, codex: '0.169' },
  { file: 'state_5.sqlite', migration: 64, codex: '0.171' },
] as const;

export type CatalogueStatus =
  /** No catalogue yet: Codex imports every rollout at its first start. */
  | { kind: 'absent' }
  /** A schema codexSync was not tested with: nothing is written; its thread ids are read when it has them. */
  | { kind: 'untested'; file: string; migration: number | undefined; knownThreads: Set<string> | undefined }
  /** A file that SQLite cannot read (damaged, or not a database): nothing is written. */
  | { kind: 'unreadable'; file: string; error: string }
  | { kind: 'tested'; file: string; migration: number; knownThreads: Set<string> };

/** The newest state_N.sqlite of a Codex home. */
export async function findCatalogue(home: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(home);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return undefined;
    throw error;
  }
  const found = names
    .map((name) => ({ name, n: /^state_(\d+)\.sqlite$/.exec(name)?.[1] }))
    .filter((x): x is { name: string; n: string } => x.n !== undefined)
    .sort((a, b) => Number(b.n) - Number(a.n))[0];
  return found === undefined ? undefined : join(home, found.name);
}

export async function inspectCatalogue(home: string): Promise<CatalogueStatus> {
  const file = await findCatalogue(home);
  if (file === undefined) return { kind: 'absent' };
  try {
    return await readCatalogue(file);
  } catch (error) {
    return { kind: 'unreadable', file, error: error instanceof Error ? error.message : String(error) };
  }
}

async function readCatalogue(file: string): Promise<CatalogueStatus> {
  if (!isSqliteFile(file)) return { kind: 'unreadable', file, error: 'not an SQLite database' };
  // Read without changing a byte of the Codex home (see open.ts).
  const { db, close } = await openUntouched(file);
  try {
    const migration = tableExists(db, '_sqlx_migrations') ? (db.prepare('SELECT MAX(version) AS v FROM _sqlx_migrations WHERE success = 1').get()?.v as number | undefined) : undefined;
    const tested = TESTED.some((t) => t.file === basename(file) && t.migration === migration);
    const knownThreads = hasColumns(db, 'threads', ['id']) ? new Set((db.prepare('SELECT id FROM threads').all() as Array<{ id: string }>).map((row) => row.id)) : undefined;
    if (!tested || migration === undefined || knownThreads === undefined || !hasColumns(db, 'threads', ['id', 'rollout_path', 'cwd'])) {
      return { kind: 'untested', file, migration, knownThreads };
    }
    return { kind: 'tested', file, migration, knownThreads };
  } finally {
    await close();
  }
}

/** The id of Codex's built-in "Pinned" section: the same in every home (seen in 0.169 and 0.171). */
export const PINNED_SECTION = '01984de2-8f74-7c91-a3b2-5c5e937cf318';

/**
 * Each listed thread's name and whether it is pinned, read only, or undefined when the
 * catalogue is absent, unreadable or has no such columns.
 */
export async function readThreadMarks(home: string): Promise<Map<string, { name: string | null; pinned: boolean }> | undefined> {
  const file = await findCatalogue(home);
  if (file === undefined || !isSqliteFile(file)) return undefined;
  let opened: Awaited<ReturnType<typeof openUntouched>> | undefined;
  try {
    opened = await openUntouched(file);
    const { db } = opened;
    if (!hasColumns(db, 'threads', ['id', 'name', 'thread_section_id'])) return undefined;
    const pinnedColumn = hasColumns(db, 'threads', ['is_pinned']) ? 'is_pinned' : '0';
    const rows = db.prepare(`SELECT id, name, thread_section_id AS section, ${pinnedColumn} AS pinned FROM threads`).all() as Array<{
      id: string;
      name: string | null;
      section: string | null;
      pinned: number;
    }>;
    return new Map(rows.map((row) => [row.id, { name: row.name === '' ? null : row.name, pinned: row.section === PINNED_SECTION || row.pinned === 1 }]));
  } catch {
    return undefined;
  } finally {
    await opened?.close();
  }
}

/** Only a real SQLite file is opened: opening anything else would leave -shm files behind. */
export function isSqliteFile(file: string): boolean {
  const header = Buffer.alloc(16);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, header, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return header.toString('latin1') === 'SQLite format 3\0';
}

export function tableExists(db: DatabaseSync, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

export function hasColumns(db: DatabaseSync, table: string, columns: readonly string[]): boolean {
  if (!tableExists(db, table)) return false;
  const present = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name));
  return columns.every((c) => present.has(c));
}

export interface CatalogueResult {
  status: CatalogueStatus['kind'];
  /** Catalogue rows whose cwd [paths.map] rewrote. */
  mapped: number;
  /** Where the catalogue was copied before it was written. */
  backup: string | undefined;
  /** Why [paths.map] was not applied to the catalogue although it has rows to map. */
  untouched: { why: 'unreadable'; file: string; error: string } | { why: 'untested'; file: string; migration: number | undefined } | undefined;
}

export interface MapFoldersOptions {
  home: string;
  pathMap: readonly PathMapping[];
  /** Where to put a consistent copy of the catalogue, asked for only before a first write. */
  backupTo: () => Promise<string>;
  /** Must be true: Codex and its daemon were found stopped, and every Codex this run started has ended. */
  codexStopped: true;
}

/**
 * Maps the project folders (cwd) of this home's threads with [paths.map]: the one write to
 * Codex's catalogue, to a tested schema only, inside one transaction, after a consistent copy
 * of the database (VACUUM INTO).
 */
export async function mapProjectFolders(options: MapFoldersOptions): Promise<CatalogueResult> {
  const result: CatalogueResult = { status: 'absent', mapped: 0, backup: undefined, untouched: undefined };
  if (options.pathMap.length === 0) return result;
  const status = await inspectCatalogue(options.home);
  result.status = status.kind;
  if (status.kind === 'absent') return result;
  if (status.kind === 'unreadable') {
    result.untouched = { why: 'unreadable', file: basename(status.file), error: status.error };
    return result;
  }
  if (status.kind === 'untested') {
    result.untouched = { why: 'untested', file: basename(status.file), migration: status.migration };
    return result;
  }
  const db = new DatabaseSync(status.file);
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const mappings = mappedRows(db, options.home, options.pathMap);
    if (mappings.length === 0) return result;
    const backup = await options.backupTo();
    await mkdir(dirname(backup), { recursive: true });
    db.prepare('VACUUM INTO ?').run(backup);
    result.backup = backup;
    db.exec('BEGIN IMMEDIATE');
    try {
      const update = db.prepare('UPDATE threads SET cwd = ? WHERE id = ?');
      for (const row of mappings) update.run(row.cwd, row.id);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    result.mapped = mappings.length;
  } finally {
    db.close();
  }
  return result;
}

/** Where this machine keeps its copies of Codex's catalogue, one folder per run: `<state folder>/catalogue-backups`. */
export function catalogueCopiesDir(stateDir: string): string {
  return join(stateDir, 'catalogue-backups');
}

/**
 * A new, unused path for one run's copy of the catalogue: `<copies>/<run>/<file>` (a -N
 * suffix when a second run falls in the same second). The copy stays in this machine's
 * state folder and never goes into the backup folder, which usually lies in the cloud
 * workspace: the catalogue holds prompts, project folders and account ids.
 */
export async function reserveCatalogueCopy(copiesDir: string, run: string, file: string): Promise<string> {
  await mkdir(copiesDir, { recursive: true });
  for (let n = 1; ; n += 1) {
    const folder = join(copiesDir, n === 1 ? run : `${run}-${n}`);
    try {
      await mkdir(folder);
    } catch (error) {
      if (isNodeError(error, 'EEXIST')) continue;
      throw error;
    }
    return join(folder, file);
  }
}

/** Rows of this home's threads whose cwd lies under a mapped folder of another machine. */
function mappedRows(db: DatabaseSync, home: string, pathMap: readonly PathMapping[]): Array<{ id: string; cwd: string }> {
  if (pathMap.length === 0) return [];
  const rows = db.prepare('SELECT id, cwd, rollout_path FROM threads').all() as Array<{ id: string; cwd: string; rollout_path: string }>;
  const out: Array<{ id: string; cwd: string }> = [];
  const inHome = (path: string): boolean => {
    const norm = (p: string): string => (process.platform === 'win32' ? p.replace(/\\/g, '/').toLowerCase() : p);
    return norm(path).startsWith(`${norm(home)}/`);
  };
  for (const row of rows) {
    if (!inHome(row.rollout_path)) continue;
    const mapped = mapPath(row.cwd, pathMap);
    if (mapped !== undefined && mapped !== row.cwd) out.push({ id: row.id, cwd: mapped });
  }
  return out;
}

/**
 * Maps a path of another machine to this one with the longest matching prefix of [paths.map].
 * Windows paths match case-insensitively, with either slash; the rest keeps its names and
 * takes the separator of the target.
 */
export function mapPath(path: string, pathMap: readonly PathMapping[]): string | undefined {
  const norm = (p: string): string => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const windowsLike = (p: string): boolean => /^[A-Za-z]:\//.test(norm(p)) || p.startsWith('\\\\');
  const candidates = [...pathMap].sort((a, b) => norm(b.from).length - norm(a.from).length);
  for (const { from, to } of candidates) {
    const f = norm(from);
    const p = norm(path);
    const same = windowsLike(from) ? p.toLowerCase() === f.toLowerCase() || p.toLowerCase().startsWith(`${f.toLowerCase()}/`) : p === f || p.startsWith(`${f}/`);
    if (!same) continue;
    const rest = p.slice(f.length);
    const target = norm(to);
    return windowsLike(to) ? `${target}${rest}`.replace(/\//g, '\\') : `${target}${rest}`;
  }
  return undefined;
}
