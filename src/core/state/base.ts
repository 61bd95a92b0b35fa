import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { tempPrefix, writeFileAtomic } from '../fs/index.ts';
import { BASE_NUMBERS, BaseColumns, DIGEST_BYTES, readTableFile, TableDamaged, tablePieces, type BaseEntry, type TableRow } from '../store/index.ts';
import { baseHeaderFields } from './baseHeader.ts';
import { readBaseJson } from './baseJson.ts';

export type { BaseEntry } from '../store/index.ts';

export interface BaseState {
  machineId: string;
  localRoot: string;
  cloudRoot: string;
  /** When the base was last written; undefined for a machine that never synced. */
  syncedAt: string | undefined;
  /**
   * The newest handoff record when this machine last completed a sync: that handoff was taken
   * in full. A run that stops between its base and its record is not then waiting for it.
   */
  handoffSeen: { machineId: string; sequence: number } | undefined;
  /** Columns behind a Map (store/baseEntries.ts): a plain Map works too. */
  entries: Map<string, BaseEntry>;
  /** Each thread's name and pin as this machine last agreed on them (see plan/threadMarks.ts). */
  marks: Map<string, ThreadMarksSeen>;
  /** The form it was read from: 1, JSON (codexSync before the table, converted at the next save); 2, the table. Undefined for a new base. */
  storedForm?: 1 | 2;
}

export interface ThreadMarksSeen {
  name?: string | null;
  pinned?: boolean;
}

/** The header of a stored base (the table file of store/tableFile.ts); its rows are the entries. */
const headerSchema = z.object({ format: z.literal('codexsync-base'), version: z.literal(2), ...baseHeaderFields });

export type StoredHeader = Omit<z.infer<typeof headerSchema>, 'format' | 'version'>;

/** Size, both times, both inodes (NaN: none), then the digest. */
const layout = { numbers: BASE_NUMBERS.length, digest: true };

export function emptyBase(machineId: string, localRoot: string, cloudRoot: string): BaseState {
  return { machineId, localRoot, cloudRoot, syncedAt: undefined, handoffSeen: undefined, entries: new BaseColumns(), marks: new Map() };
}

/**
 * Reads this machine's base; none yet is an empty base (first sync: nothing is ever deleted).
 * A base written by codexSync before the table form (JSON, version 1) is read as well; the
 * next save writes the table.
 */
export async function loadBase(file: string, machineId: string, localRoot: string, cloudRoot: string): Promise<BaseState> {
  const damaged = (): CodexSyncError => new CodexSyncError(ExitCode.safeAbort, { code: 'base-damaged', file });
  const entries = new BaseColumns();
  let stored: unknown;
  try {
    stored = await readTableFile(
      file,
      layout,
      (path, numbers, bytes, at) => {
        if (!isSoundEntry(numbers)) throw new TableDamaged('entry');
        entries.addRaw(path, numbers, bytes, at);
      },
      { reserve: (count) => entries.reserve(count) },
    );
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return emptyBase(machineId, localRoot, cloudRoot);
    if (error instanceof TableDamaged) throw damaged();
    throw error;
  }
  let header: StoredHeader;
  if (stored === undefined) {
    // Not a table: the JSON form of codexSync before it.
    const read = readBaseJson(await readFile(file, 'utf8'), entries);
    if (read === undefined) throw damaged();
    header = read;
  } else {
    const checked = headerSchema.safeParse(stored);
    if (!checked.success) throw damaged();
    header = checked.data;
  }
  const marks = new Map<string, ThreadMarksSeen>();
  for (const [thread, seen] of Object.entries(header.marks ?? {}))
    marks.set(thread, { ...(seen.name === undefined ? {} : { name: seen.name }), ...(seen.pinned === undefined ? {} : { pinned: seen.pinned }) });
  const storedForm = stored === undefined ? 1 : 2;
  return { machineId: header.machineId, localRoot: header.localRoot, cloudRoot: header.cloudRoot, syncedAt: header.syncedAt, handoffSeen: header.handoffSeen, entries, marks, storedForm };
}

/** A stored entry's numbers: a whole size, finite times, each inode whole or none (NaN). */
function isSoundEntry(numbers: Float64Array): boolean {
  const [size, local, cloud, localIno, cloudIno] = numbers as unknown as [number, number, number, number, number];
  const inode = (value: number): boolean => Number.isNaN(value) || (Number.isSafeInteger(value) && value >= 0);
  return Number.isSafeInteger(size) && size >= 0 && Number.isFinite(local) && Number.isFinite(cloud) && inode(localIno) && inode(cloudIno);
}

/** Writes the base atomically: a crash leaves the previous base or the new one. */
export async function saveBase(file: string, base: BaseState, now: Date): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // An interrupted run may have left its temp copy of the base here.
  for (const name of await readdir(dirname(file))) {
    if (name.startsWith(`${tempPrefix}${basename(file).slice(0, 48)}.`)) await rm(join(dirname(file), name), { force: true });
  }
  const header: z.infer<typeof headerSchema> = {
    format: 'codexsync-base',
    version: 2,
    machineId: base.machineId,
    localRoot: base.localRoot,
    cloudRoot: base.cloudRoot,
    syncedAt: now.toISOString(),
    ...(base.handoffSeen === undefined ? {} : { handoffSeen: base.handoffSeen }),
    ...(base.marks.size === 0 ? {} : { marks: Object.fromEntries([...base.marks].sort(([a], [b]) => (a < b ? -1 : 1))) }),
  };
  await writeFileAtomic(file, tablePieces(header, layout, baseRows(base.entries)));
}

/** The entries in path order, each as a table row (the row's arrays are reused: the table copies them). */
function* baseRows(entries: Map<string, BaseEntry>): Iterable<TableRow> {
  const numbers = new Float64Array(BASE_NUMBERS.length);
  const digest = Buffer.alloc(DIGEST_BYTES);
  const row: TableRow = { path: '', numbers, digest };
  // Columns are copied as they are: an entry object and its hex made for each row were most of writing a base.
  const columns = entries instanceof BaseColumns ? entries : undefined;
  for (const path of [...entries.keys()].sort()) {
    const raw = columns?.rawEntry(path, numbers);
    if (raw !== undefined) row.digest = raw;
    else {
      const e = entries.get(path) as BaseEntry;
      numbers.set([e.size, e.localMtimeMs, e.cloudMtimeMs, e.localIno ?? Number.NaN, e.cloudIno ?? Number.NaN]);
      digest.write(e.sha256, 'hex');
      row.digest = digest;
    }
    row.path = path;
    yield row;
  }
}
