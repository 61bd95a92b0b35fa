import { createHash, randomBytes } from 'node:crypto';
import { access, constants, lstat, mkdir, open, readdir, rename, rm, rmdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isNodeError } from '../errors.ts';
import type { FileStat } from '../facts.ts';
import { forEachConcurrently } from './limit.ts';
import { sameStat, statOrUndefined } from './stat.ts';

/** Prefix of every temp file codexSync creates; scope rules never sync such names. */
export const tempPrefix = '.codexsync-';

/**
 * A temp name in the target's own folder, so that the final rename never crosses devices.
 * The target's name is cut short so that a long name never makes the temp name too long.
 */
export function tempPathFor(target: string, folder = dirname(target)): string {
  tempCounter += 1;
  return join(folder, `${tempPrefix}${basename(target).slice(0, 48)}.${tempStamp}${tempCounter.toString(36)}.tmp`);
}

// Unique per process and per call, without asking the OS for random bytes each time.
const tempStamp = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
let tempCounter = 0;

/** Why a file was not written; each leaves the target exactly as it was. */
export class WriteRefused extends Error {
  readonly why: 'source-changed' | 'target-changed' | 'hash-mismatch' | 'unsafe-path';
  /** The file the refusal is about (the source, the target, or the link on the way). */
  readonly file: string;
  constructor(why: WriteRefused['why'], file: string) {
    super(`${why}: ${file}`);
    this.name = 'WriteRefused';
    this.why = why;
    this.file = file;
  }
}

/** Where the new bytes come from. */
export type WriteSource =
  /** A file, re-checked against what the scan saw once it has been copied. */
  | { file: string; seen: FileStat }
  /** Bytes in memory, or pieces written one after another (a large JSON file is never one string). */
  | { bytes: Uint8Array | Iterable<string | Uint8Array> }
  /** A stream (a zip entry, a snapshot file). */
  | { stream: NodeJS.ReadableStream };

export interface WriteExpectation {
  /** What the scan saw at the target: undefined = it must not exist; 'any' = not checked (codexSync's own files). */
  target: FileStat | undefined | 'any';
  /** The bytes must hash to this (the handoff record's or the snapshot manifest's SHA-256). */
  sha256?: string;
  /** Modification time the new file gets; a file source's own time when unset. */
  mtimeMs?: number;
}

/** A file as written: size and time read back from the open file, SHA-256 of the bytes written. */
export interface Written extends FileStat {
  sha256: string;
}

/** New bytes waiting in a temp file beside their target, to be renamed over it once synced to disk. */
export interface Staged {
  temp: string;
  target: string;
  written: Written;
  /** On disk: staged with `sync: 'later'`, false until syncStaged. */
  synced: boolean;
}

/**
 * When a new file is synced to disk: at once, or later, many together (syncStaged): the
 * fsyncs of a batch then share the file system's journal commits instead of each waiting for its
 * own (a restore's, in bench/results/profile-notes.md).
 */
export type SyncWhen = 'now' | 'later';

/**
 * The one way codexSync replaces a file, in two halves so that a pull can stage every file
 * before it commits any: `stageReplace` writes the bytes to a temp file in the target's own
 * folder while hashing them, syncs it, and checks the source against what the scan saw and
 * the bytes against `sha256`; `commitStaged` re-checks the target, renames the temp file over
 * it and makes the rename durable. At every instant the target is its old or its new version.
 */
export async function stageReplace(target: string, source: WriteSource, expect: WriteExpectation, tempFolder?: string, sync: SyncWhen = 'now'): Promise<Staged> {
  const temp = tempPathFor(target, tempFolder);
  try {
    const mtimeMs = expect.mtimeMs ?? ('file' in source ? source.seen.mtimeMs : undefined);
    const written = await writeHashing(temp, source, mtimeMs, sync);
    if ('file' in source && !sameStat(statOrUndefined(source.file), source.seen)) throw new WriteRefused('source-changed', source.file);
    if (expect.sha256 !== undefined && expect.sha256 !== written.sha256) throw new WriteRefused('hash-mismatch', 'file' in source ? source.file : target);
    return { temp, target, written, synced: sync === 'now' };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Syncs files staged with `sync: 'later'` to disk, all together; their commits wait for this. */
export async function syncStaged(staged: readonly Staged[]): Promise<void> {
  const waiting = staged.filter((s) => !s.synced);
  await syncFiles(waiting.map((s) => s.temp));
  for (const s of waiting) s.synced = true;
}

/**
 * The second half: the target must still be what the scan saw; then the rename. A temp file
 * staged above its target's folder (where a file stood that this run deleted first) gets
 * that folder created now.
 */
export async function commitStaged(staged: Staged, expectTarget: WriteExpectation['target'], dirs?: DirSyncer, options: { emptyFolderGivesWay?: boolean } = {}): Promise<Written> {
  try {
    // Renaming bytes that may not be on disk could leave a torn file after a power cut.
    if (!staged.synced) throw new Error(`not synced before its commit: ${staged.temp}`);
    if (expectTarget !== 'any') {
      let now = statOrUndefined(staged.target);
      // A new file where only empty folders are left (a folder replaced by a file, whose files this run deleted first).
      if (now !== undefined && expectTarget === undefined && options.emptyFolderGivesWay === true && (await removeEmptyFolder(staged.target))) now = statOrUndefined(staged.target);
      if (!sameStat(now, expectTarget)) throw new WriteRefused('target-changed', staged.target);
    }
    try {
      await rename(staged.temp, staged.target);
    } catch (error) {
      if (!isNodeError(error, 'ENOENT') || dirname(staged.temp) === dirname(staged.target)) throw error;
      await mkdir(dirname(staged.target), { recursive: true });
      await rename(staged.temp, staged.target);
    }
  } catch (error) {
    await rm(staged.temp, { force: true });
    throw error;
  }
  // A temp file staged in another folder: that folder changed too (the new folder is in it).
  const folders = dirname(staged.temp) === dirname(staged.target) ? [dirname(staged.target)] : [dirname(staged.target), dirname(staged.temp)];
  for (const folder of folders) {
    if (dirs === undefined) await syncDir(folder);
    else dirs.later(folder);
  }
  return staged.written;
}

/**
 * Removes `dir` if it holds nothing but (nested) empty folders; false when `dir` is not a
 * folder. A link is never followed. Anything else inside: ENOTEMPTY, and nothing is removed.
 */
async function removeEmptyFolder(dir: string): Promise<boolean> {
  const stat = await lstat(dir).catch(() => undefined);
  if (stat?.isDirectory() !== true) return false;
  const folders = [dir];
  for (let i = 0; i < folders.length; i += 1) {
    const folder = folders[i] as string;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) throw Object.assign(new Error(`ENOTEMPTY: directory not empty, ${dir}`), { code: 'ENOTEMPTY' });
      folders.push(join(folder, entry.name));
    }
  }
  for (const folder of folders.reverse()) await rmdir(folder);
  return true;
}

/** Both halves at once. */
export async function replaceAtomically(target: string, source: WriteSource, expect: WriteExpectation, dirs?: DirSyncer): Promise<Written> {
  return commitStaged(await stageReplace(target, source, expect), expect.target, dirs);
}

/** A small file of codexSync's own (base state, handoff record, lock renewal, config): readers see old or new, never a mix. */
export async function writeFileAtomic(target: string, data: string | Uint8Array | Iterable<string | Uint8Array>): Promise<Written> {
  return replaceAtomically(target, { bytes: typeof data === 'string' ? [data] : data }, { target: 'any' });
}

/** Copy buffers, reused: a fresh 1 MiB buffer per file made garbage collection a large share of a sync. */
const spareBuffers: Buffer[] = [];
const CHUNK = 1024 * 1024;

/**
 * Creates `destination` (which must not exist) with the source's bytes while hashing them,
 * sets its time, syncs it to disk (unless `sync` is 'later': then syncFile), and returns what
 * the file now is. Snapshots use it too.
 */
export async function writeHashing(destination: string, source: WriteSource, mtimeMs: number | undefined, sync: SyncWhen = 'now'): Promise<Written> {
  const hash = createHash('sha256');
  const output = await openCreating(destination);
  try {
    const put = async (chunk: Uint8Array): Promise<void> => {
      hash.update(chunk);
      let offset = 0;
      while (offset < chunk.length) offset += (await output.write(chunk, offset, chunk.length - offset)).bytesWritten;
    };
    if ('file' in source) await copyInto(source.file, put);
    else if ('stream' in source) await copyStream(source.stream, put);
    else if (source.bytes instanceof Uint8Array) await put(source.bytes);
    else for (const piece of source.bytes) await put(typeof piece === 'string' ? Buffer.from(piece) : piece);
    if (mtimeMs !== undefined) await output.utimes(new Date(mtimeMs), new Date(mtimeMs));
    if (sync === 'now') await output.datasync();
    const written = await output.stat();
    return { size: written.size, mtimeMs: Math.floor(written.mtimeMs), ino: written.ino, sha256: hash.digest('hex') };
  } finally {
    await output.close();
  }
}

async function copyInto(file: string, put: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK);
  const input = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      await put(buffer.subarray(0, bytesRead));
    }
  } finally {
    await input.close();
    spareBuffers.push(buffer);
  }
}

/**
 * A stream's chunks (16 KiB from an inflated zip entry) gathered into whole buffers: one write
 * per MiB instead of one per chunk.
 */
async function copyStream(stream: NodeJS.ReadableStream, put: (chunk: Uint8Array) => Promise<void>): Promise<void> {
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  try {
    for await (const piece of stream) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : (piece as Buffer);
      for (let offset = 0; offset < chunk.length;) {
        const taken = chunk.copy(buffer, filled, offset);
        filled += taken;
        offset += taken;
        if (filled === CHUNK) {
          await put(buffer);
          filled = 0;
        }
      }
    }
    if (filled > 0) await put(buffer.subarray(0, filled));
  } finally {
    spareBuffers.push(buffer);
  }
}

/** Files synced at once: as many as the file-system threads take, so that their fsyncs share the journal's commits. */
const SYNC_CONCURRENCY = 16;

/** Syncs files written earlier (with sync 'later') to disk, many at a time. */
export async function syncFiles(paths: readonly string[]): Promise<void> {
  await forEachConcurrently(paths, SYNC_CONCURRENCY, syncFile);
}

/** Syncs a file written earlier to disk (opened for writing: Windows flushes only such handles). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Opens a new file; its folder is created only when it turns out to be missing. */
async function openCreating(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx');
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) throw error;
    await mkdir(dirname(path), { recursive: true });
    return open(path, 'wx');
  }
}

/** Creates a file that must not exist yet (EEXIST otherwise) with its content, synced to disk: the lock. */
export async function writeNewFile(path: string, data: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Folders whose renames must reach the disk, synced once each at the end of a batch (before
 * the base state that records them is written) instead of once per file.
 */
export class DirSyncer {
  readonly #dirs = new Set<string>();

  later(dir: string): void {
    this.#dirs.add(dir);
  }

  async flush(): Promise<void> {
    const dirs = [...this.#dirs];
    this.#dirs.clear();
    await Promise.all(dirs.map((dir) => syncDir(dir).catch(() => undefined)));
  }
}

/** Makes a rename durable. Windows cannot open folders; there a rename is durable already. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Why nothing can be written at `path`: the error of the nearest existing folder above it.
 * (A recursive mkdir on a read-only file system reports ENOENT, which would mislead.)
 */
export async function writeProblem(path: string): Promise<unknown> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      await access(current, constants.W_OK);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/**
 * Creates, syncs and removes a probe file in `folder`: the one test of writing that a cloud
 * client's folder cannot fake (and root passes every permission check). Undefined when it
 * could write, else why not.
 */
export async function probeWrite(folder: string): Promise<unknown> {
  const probe = join(folder, `${tempPrefix}probe-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile('probe');
      await handle.sync();
    } finally {
      await handle.close();
    }
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
