import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { tempPrefix, writeFileAtomic } from '../fs/index.ts';
import { jsonMembers } from '../fs/index.ts';

/**
 * What this machine knows of a path as of its last successful sync: the content both sides
 * then had (size + SHA-256) and the modification time each side showed right after. With
 * each side's inode it is also a hash cache: a file whose size, time and inode are still
 * these holds `sha256` without being read again (sync.compare = "mtime_hash_fallback").
 */
export interface BaseEntry {
  size: number;
  sha256: string;
  localMtimeMs: number;
  cloudMtimeMs: number;
  /** Undefined in a base written before inodes were kept, or where a side's inode was not seen. */
  localIno?: number;
  cloudIno?: number;
}

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
  entries: Map<string, BaseEntry>;
  /** Each thread's name and pin as this machine last agreed on them (see plan/threadMarks.ts). */
  marks: Map<string, ThreadMarksSeen>;
}

export interface ThreadMarksSeen {
  name?: string | null;
  pinned?: boolean;
}

const fileSchema = z.object({
  version: z.literal(1),
  machineId: z.string(),
  localRoot: z.string(),
  cloudRoot: z.string(),
  syncedAt: z.string(),
  handoffSeen: z.object({ machineId: z.string(), sequence: z.number().refine(Number.isSafeInteger) }).optional(),
  marks: z.record(z.string(), z.object({ name: z.string().nullable().optional(), pinned: z.boolean().optional() }).strict()).optional(),
  // Checked entry by entry below: zod's record check is slow on a large base.
  entries: z.custom<Record<string, unknown>>(isPlainObject),
});

interface StoredEntry {
  size: number;
  sha256: string;
  local: number;
  cloud: number;
  /** Inodes, absent in older base files. */
  localIno?: number;
  cloudIno?: number;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStoredEntry(value: unknown): value is StoredEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const inode = (value: unknown): boolean => value === undefined || (Number.isInteger(value) && (value as number) >= 0);
  return (
    Number.isInteger(e.size) &&
    (e.size as number) >= 0 &&
    typeof e.sha256 === 'string' &&
    sha256Pattern.test(e.sha256) &&
    typeof e.local === 'number' &&
    typeof e.cloud === 'number' &&
    inode(e.localIno) &&
    inode(e.cloudIno)
  );
}

export function emptyBase(machineId: string, localRoot: string, cloudRoot: string): BaseState {
  return { machineId, localRoot, cloudRoot, syncedAt: undefined, handoffSeen: undefined, entries: new Map(), marks: new Map() };
}

/** Reads this machine's base; none yet is an empty base (first sync: nothing is ever deleted). */
export async function loadBase(file: string, machineId: string, localRoot: string, cloudRoot: string): Promise<BaseState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return emptyBase(machineId, localRoot, cloudRoot);
    throw error;
  }
  const damaged = (): CodexSyncError => new CodexSyncError(ExitCode.safeAbort, { code: 'base-damaged', file });
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch {
    throw damaged();
  }
  const entries = new Map<string, BaseEntry>();
  for (const path in parsed.entries) {
    const e = parsed.entries[path];
    if (!isStoredEntry(e)) throw damaged();
    const entry: BaseEntry = { size: e.size, sha256: e.sha256, localMtimeMs: e.local, cloudMtimeMs: e.cloud };
    if (e.localIno !== undefined) entry.localIno = e.localIno;
    if (e.cloudIno !== undefined) entry.cloudIno = e.cloudIno;
    entries.set(path, entry);
  }
  const marks = new Map<string, ThreadMarksSeen>();
  for (const [thread, seen] of Object.entries(parsed.marks ?? {}))
    marks.set(thread, { ...(seen.name === undefined ? {} : { name: seen.name }), ...(seen.pinned === undefined ? {} : { pinned: seen.pinned }) });
  return { machineId: parsed.machineId, localRoot: parsed.localRoot, cloudRoot: parsed.cloudRoot, syncedAt: parsed.syncedAt, handoffSeen: parsed.handoffSeen, entries, marks };
}

/** Writes the base atomically: a crash leaves the previous base or the new one. */
export async function saveBase(file: string, base: BaseState, now: Date): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  // An interrupted run may have left its temp copy of the base here.
  for (const name of await readdir(dirname(file))) {
    if (name.startsWith(`${tempPrefix}${basename(file).slice(0, 48)}.`)) await rm(join(dirname(file), name), { force: true });
  }
  await writeFileAtomic(file, baseJson(base, now));
}

/** The base as JSON, a few hundred entries per piece: 100,000 entries are never one string. */
function* baseJson(base: BaseState, now: Date): Iterable<string> {
  const header: Omit<z.infer<typeof fileSchema>, 'entries'> = {
    version: 1,
    machineId: base.machineId,
    localRoot: base.localRoot,
    cloudRoot: base.cloudRoot,
    syncedAt: now.toISOString(),
    ...(base.handoffSeen === undefined ? {} : { handoffSeen: base.handoffSeen }),
    ...(base.marks.size === 0 ? {} : { marks: Object.fromEntries([...base.marks].sort(([a], [b]) => (a < b ? -1 : 1))) }),
  };
  yield `${JSON.stringify(header).slice(0, -1)},"entries":{`;
  yield* jsonMembers([...base.entries.keys()].sort(), (path) => {
    const e = base.entries.get(path) as BaseEntry;
    // Numbers and a hex digest need no escaping; the inodes are optional (older readers ignore them).
    const inodes = `${e.localIno === undefined ? '' : `,"localIno":${e.localIno}`}${e.cloudIno === undefined ? '' : `,"cloudIno":${e.cloudIno}`}`;
    return `{"size":${e.size},"sha256":"${e.sha256}","local":${e.localMtimeMs},"cloud":${e.cloudMtimeMs}${inodes}}`;
  });
  yield '}}\n';
}
