import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isNodeError, type RecordDamage, type UnreadableRecord } from '../errors.ts';
import { isSafeRelativePath, jsonMembers, writeFileAtomic } from '../fs/index.ts';
import { hashFile } from '../scan/index.ts';
import { installationPattern } from '../state/index.ts';
import { noteRecordDigest, type RecordCache } from './recordCache.ts';
import { DigestColumns, type ListedFile } from '../store/index.ts';

/** codexSync's own files in the cloud folder: handoff records and the lock. Never synced. */
export const CONTROL_DIR = '.codexsync';

/** The largest file size a record may list (1 TiB): beyond it the record is damaged or hostile, not a Codex home. */
export const MAX_RECORDED_SIZE = 2 ** 40;

const recordSchema = z.object({
  format: z.literal('codexsync-handoff'),
  version: z.literal(1),
  machineId: z.string().min(1),
  /** The writer's installation (see state/installation.ts); absent in records written before it existed. */
  installation: z.string().regex(installationPattern).optional(),
  /** The writer's host name, to name both machines when two share a machine_id. */
  host: z.string().optional(),
  createdAt: z.string(),
  /**
   * A Lamport counter: one more than the highest sequence the writer had seen. "Newest" never
   * depends on two machines' clocks agreeing. The next one must still be a safe integer.
   */
  sequence: z.number().refine((n) => Number.isSafeInteger(n) && n >= 1 && n < Number.MAX_SAFE_INTEGER),
  /**
   * The sequence of each other machine's record the writer had read, by machine: which
   * handoffs this one knew of (see didNotSee). Absent in records written before it existed.
   */
  seen: z
    .record(
      z.string(),
      z.number().refine((n) => Number.isSafeInteger(n) && n >= 0),
    )
    .optional(),
  codexsync: z.string(),
  /** The writer's Codex version (its `codex --version`), when it found a Codex; absent in older records. */
  codexVersion: z
    .string()
    .regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}[0-9A-Za-z.+-]{0,40}$/)
    .optional(),
  // Checked file by file in readRecord: a record lists every file of the mirror.
  files: z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value)),
});

const sha256Pattern = /^[0-9a-f]{64}$/;

/** What is wrong with one file entry of a record, or undefined when it is sound. */
function entryDamage(path: string, value: unknown): RecordDamage | undefined {
  if (!isSafeRelativePath(path)) return { kind: 'entry', path, why: 'unsafe-path' };
  const f = value as { size?: unknown; sha256?: unknown } | null;
  if (typeof f !== 'object' || f === null || !Number.isSafeInteger(f.size) || (f.size as number) < 0 || (f.size as number) > MAX_RECORDED_SIZE) return { kind: 'entry', path, why: 'size' };
  if (typeof f.sha256 !== 'string' || !sha256Pattern.test(f.sha256)) return { kind: 'entry', path, why: 'sha256' };
  return undefined;
}

/**
 * What a machine left in the cloud mirror when it handed off: the size and SHA-256 of every
 * file of the mirror as it stood after its sync. Written last, atomically, by the pushing
 * machine; the pulling machine checks the bytes it takes against it.
 */
export type HandoffRecord = Omit<z.infer<typeof recordSchema>, 'files'> & { files: RecordFiles };

/** A record's files by path, in columns (store/digests.ts). */
export type RecordFiles = ReadonlyMap<string, ListedFile>;

/** Who writes a record: the machine, its installation and its host. */
export interface RecordWriter {
  machineId: string;
  installation: string;
  host: string;
}

/** The folder of the cloud mirror holding the handoff records and the lock. */
export function controlDir(cloudRoot: string): string {
  return join(cloudRoot, CONTROL_DIR);
}

export function recordFile(cloudRoot: string, machineId: string): string {
  return join(cloudRoot, CONTROL_DIR, recordFileName(machineId));
}

export function recordFileName(machineId: string): string {
  return `handoff-${machineId}.json`;
}

const recordName = /^handoff-(.+)\.json$/;

/** The machine id in a handoff record's file name, or undefined for any other file. */
export function recordMachine(fileName: string): string | undefined {
  return recordName.exec(fileName)?.[1];
}

export interface RecordsRead {
  records: HandoffRecord[];
  /** Record files that exist but cannot be read (still arriving, or damaged): a handoff not arrived yet. */
  unreadable: UnreadableRecord[];
}

/** `cache`: records parsed before, taken again where a file's bytes are the same (see recordCache.ts). */
export async function readHandoffRecords(cloudRoot: string, cache?: RecordCache): Promise<RecordsRead> {
  const dir = join(cloudRoot, CONTROL_DIR);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return { records: [], unreadable: [] };
    throw error;
  }
  const result: RecordsRead = { records: [], unreadable: [] };
  for (const name of names.filter((n) => recordName.test(n)).sort()) {
    const machineId = recordMachine(name) as string;
    const read = await readRecord(join(dir, name), machineId, cache === undefined ? undefined : (sha256) => cache.find(name, sha256));
    if ('damage' in read) result.unreadable.push({ machineId, name, damage: read.damage });
    else result.records.push(read.record);
  }
  return result;
}

/** One record file, checked field by field and entry by entry: every byte of the cloud folder is untrusted. */
async function readRecord(file: string, machineId: string, cached?: (sha256: string) => HandoffRecord | undefined): Promise<{ record: HandoffRecord } | { damage: RecordDamage }> {
  let json: unknown;
  let sha256: string | undefined;
  try {
    if (cached !== undefined) {
      // Hashed a chunk at a time: a record kept as parsed is never read whole.
      const digest = await hashFile(file);
      const record = cached(digest);
      if (record !== undefined && record.machineId === machineId) {
        noteRecordDigest(record, digest);
        return { record };
      }
    }
    const bytes = await readFile(file);
    // The digest of the very bytes parsed: the file may have changed since it was hashed.
    if (cached !== undefined) sha256 = createHash('sha256').update(bytes).digest('hex');
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { damage: { kind: 'incomplete' } };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path[0];
    return { damage: field === undefined ? { kind: 'incomplete' } : { kind: 'field', field: String(field) } };
  }
  // A record under another machine's file name would be taken for that machine's.
  if (parsed.data.machineId !== machineId) return { damage: { kind: 'field', field: 'machineId' } };
  const files = new DigestColumns();
  for (const path in parsed.data.files) {
    const value = parsed.data.files[path];
    const damage = entryDamage(path, value);
    if (damage !== undefined) return { damage };
    files.set(path, value as ListedFile);
  }
  const record = { ...parsed.data, files };
  if (sha256 !== undefined) noteRecordDigest(record, sha256);
  return { record };
}

/**
 * Whether `record` was written without knowing `other`, a record of another machine: the two
 * handoffs then ran side by side, and neither says what the other did. A record without `seen`
 * (written before it existed) knew of every record with a lower sequence, as far as can be told.
 */
export function didNotSee(record: HandoffRecord, other: HandoffRecord): boolean {
  if (record.seen === undefined) return record.sequence <= other.sequence;
  const known = Object.hasOwn(record.seen, other.machineId) ? (record.seen[other.machineId] as number) : 0;
  return known < other.sequence;
}

/** Newest first: highest sequence; equal sequences (machines that never saw each other) by time, then name. */
export function newestFirst(records: readonly HandoffRecord[]): HandoffRecord[] {
  return [...records].sort((a, b) => b.sequence - a.sequence || b.createdAt.localeCompare(a.createdAt) || a.machineId.localeCompare(b.machineId));
}

export function newestRecord(records: readonly HandoffRecord[]): HandoffRecord | undefined {
  return newestFirst(records)[0];
}

/** Other machines' readable records, newest first (the app says who handed off, when, and which files). */
export async function otherMachinesRecords(cloudRoot: string, machineId: string): Promise<HandoffRecord[]> {
  return newestFirst((await readHandoffRecords(cloudRoot)).records.filter((record) => record.machineId !== machineId));
}

/** The machine whose handoff brought this version of a cloud file: the newest record listing it with that size. */
export function machineOfCloudFile(newestFirstRecords: readonly HandoffRecord[], path: string, size: number | undefined): string | undefined {
  return newestFirstRecords.find((record) => record.files.has(path) && (size === undefined || record.files.get(path)?.size === size))?.machineId;
}

/**
 * The record of this machine_id that another installation wrote: two machines share the id.
 * A record written before installations had ids is this machine's own (the upgrade path).
 */
export function otherInstallation(records: readonly HandoffRecord[], machineId: string, installation: string | undefined): HandoffRecord | undefined {
  return records.find((record) => record.machineId === machineId && record.installation !== undefined && record.installation !== installation);
}

export async function writeHandoffRecord(
  cloudRoot: string,
  writer: RecordWriter,
  files: ReadonlyMap<string, { size: number; sha256: string }>,
  seen: readonly HandoffRecord[],
  now: Date,
  version: string,
  codexVersion?: string,
  /** The records it took into account, named in `seen`; all it read unless it waits for some. */
  knew: readonly HandoffRecord[] = seen,
): Promise<HandoffRecord> {
  const sorted = [...files.keys()].sort();
  const listed = new DigestColumns();
  for (const path of sorted) listed.set(path, files.get(path) as ListedFile);
  const record: HandoffRecord = {
    format: 'codexsync-handoff',
    version: 1,
    machineId: writer.machineId,
    installation: writer.installation,
    host: writer.host,
    createdAt: now.toISOString(),
    sequence: Math.max(0, ...seen.map((r) => r.sequence)) + 1,
    seen: Object.fromEntries(knew.filter((r) => r.machineId !== writer.machineId).map((r) => [r.machineId, r.sequence])),
    codexsync: version,
    ...(codexVersion === undefined ? {} : { codexVersion }),
    files: listed,
  };
  await mkdir(join(cloudRoot, CONTROL_DIR), { recursive: true });
  const written = await writeFileAtomic(recordFile(cloudRoot, writer.machineId), recordJson(record, sorted));
  noteRecordDigest(record, written.sha256);
  return record;
}

/** The record as JSON, one file per line, written piece by piece. */
function* recordJson(record: HandoffRecord, sorted: readonly string[]): Iterable<string> {
  const { files, ...header } = record;
  yield `${JSON.stringify(header, null, 1).slice(0, -2)},\n "files": {`;
  yield* jsonMembers(
    sorted,
    (path) => {
      const f = files.get(path) as ListedFile;
      return `{"size":${f.size},"sha256":"${f.sha256}"}`;
    },
    '\n  ',
  );
  yield '\n }\n}\n';
}
