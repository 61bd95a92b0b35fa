import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { lstat, mkdir, open, rename, rm, utimes, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isNodeError } from '../errors.ts';
import { syncDir, tempPathFor, writeNewFile, type DirSyncer } from '../fs/atomic.ts';
import { pathBelow } from '../fs/paths.ts';
import type { FileStat } from '../scan/types.ts';

const CHUNK = 1024 * 1024;

export interface Written extends FileStat {
  sha256: string;
}

/** Why a file was not written; each leaves the destination exactly as it was. */
export class CopyRefused extends Error {
  readonly why: 'source-changed' | 'target-changed' | 'hash-mismatch' | 'unsafe-path';
  constructor(why: CopyRefused['why'], message: string) {
    super(message);
    this.name = 'CopyRefused';
    this.why = why;
  }
}

/** A verified copy waiting in a temp file beside its target, to be renamed over it. */
export interface Staged {
  temp: string;
  target: string;
  /** The temp file as written; a rename keeps size and time. */
  written: Written;
}

/**
 * First half of a safe copy: the bytes go to a temp file in the target's own folder while
 * they are hashed, the temp file is synced to disk, and the source is checked against what
 * the scan saw (and against the handoff record's hash, when there is one).
 */
export async function stageCopy(source: string, target: string, expect: { source: FileStat; sha256?: string }): Promise<Staged> {
  const temp = tempPathFor(target);
  try {
    const written = await copyHashing(source, temp, expect.source.mtimeMs);
    const sha256 = written.sha256;
    if (!sameStat(await statOrUndefined(source), expect.source)) {
      throw new CopyRefused('source-changed', `${source} changed while it was being copied`);
    }
    if (expect.sha256 !== undefined && expect.sha256 !== sha256) {
      throw new CopyRefused('hash-mismatch', `${source} does not match the content recorded for it`);
    }
    return { temp, target, written };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Second half: the target is checked against what the scan saw, then the temp file is renamed over it. */
export async function commitStaged(staged: Staged, expectTarget: FileStat | undefined, dirs?: DirSyncer): Promise<Written> {
  try {
    if (!sameStat(await statOrUndefined(staged.target), expectTarget)) {
      throw new CopyRefused('target-changed', `${staged.target} changed since the scan; it was left as it is`);
    }
    await rename(staged.temp, staged.target);
  } catch (error) {
    await rm(staged.temp, { force: true });
    throw error;
  }
  if (dirs === undefined) await syncDir(dirname(staged.target));
  else dirs.later(dirname(staged.target));
  return staged.written;
}

/**
 * Copies `source` to `target` so that `target` is at every instant either its old version
 * or the complete new one (stageCopy, then commitStaged).
 */
export async function replaceFile(
  source: string,
  target: string,
  expect: {
    source: FileStat;
    /** What the scan saw at the target; undefined = the target must not exist. */
    target: FileStat | undefined;
    /** When known (handoff record), the bytes must hash to this. */
    sha256?: string;
  },
  dirs?: DirSyncer,
): Promise<Written> {
  return commitStaged(await stageCopy(source, target, expect), expect.target, dirs);
}

async function ensureParent(target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
}

/**
 * Refuses a relative path that leads through a symbolic link below `root`: writing through
 * it could land outside the tree. Folders already checked in this run are remembered.
 */
export async function assertNoLinkOnTheWay(root: string, relPath: string, checked: Set<string>): Promise<void> {
  const parts = relPath.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const current = pathBelow(root, parts.slice(0, depth).join('/'));
    if (checked.has(current)) continue;
    try {
      if ((await lstat(current)).isSymbolicLink()) {
        throw new CopyRefused('unsafe-path', `${current} is a symbolic link; nothing is written through it`);
      }
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return; // created by this write, so not a link
      throw error;
    }
    checked.add(current);
  }
}

/** Writes given bytes over `target` the same safe way (merged files, restores). */
export async function replaceWithBytes(target: string, bytes: Uint8Array, mtimeMs: number, expectTarget: FileStat | undefined, dirs?: DirSyncer): Promise<Written> {
  await ensureParent(target);
  const temp = tempPathFor(target);
  try {
    await writeNewFile(temp, bytes);
    await utimes(temp, new Date(mtimeMs), new Date(mtimeMs));
    if (!sameStat(await statOrUndefined(target), expectTarget)) {
      throw new CopyRefused('target-changed', `${target} changed since the scan; it was left as it is`);
    }
    await rename(temp, target);
    if (dirs === undefined) await syncDir(dirname(target));
    else dirs.later(dirname(target));
    const final = await lstat(target);
    return { size: final.size, mtimeMs: Math.floor(final.mtimeMs), sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Copy buffers, reused: a fresh 1 MiB buffer per file made garbage collection a third of a sync. */
const spareBuffers: Buffer[] = [];

/**
 * Copies bytes into a new file while hashing them, sets its modification time, syncs it, and
 * returns what the file now is (read from the open file, so no further lookup is needed).
 */
export async function copyHashing(source: string, destination: string, mtimeMs: number): Promise<FileStat & { sha256: string }> {
  const hash = createHash('sha256');
  const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(CHUNK);
  const input = await open(source, 'r');
  try {
    const output = await openCreating(destination);
    try {
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        let offset = 0;
        while (offset < bytesRead) {
          const { bytesWritten } = await output.write(chunk, offset, bytesRead - offset);
          offset += bytesWritten;
        }
      }
      await output.utimes(new Date(mtimeMs), new Date(mtimeMs));
      await output.datasync();
      const written = await output.stat();
      return { size: written.size, mtimeMs: Math.floor(written.mtimeMs), sha256: hash.digest('hex') };
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
    spareBuffers.push(buffer);
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

/**
 * Writes a stream (a zip entry, a snapshot file) over `target` the same safe way, refusing
 * bytes that do not hash to `sha256`.
 */
export async function replaceFromStream(
  stream: NodeJS.ReadableStream,
  target: string,
  expect: { mtimeMs: number; target: FileStat | undefined; sha256: string },
  dirs?: DirSyncer,
): Promise<Written> {
  await ensureParent(target);
  const temp = tempPathFor(target);
  try {
    const hash = createHash('sha256');
    const output = await open(temp, 'wx');
    try {
      for await (const chunk of stream) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        hash.update(bytes);
        await output.write(bytes);
      }
      await output.sync();
    } finally {
      await output.close();
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== expect.sha256) throw new CopyRefused('hash-mismatch', `the backup copy of ${target} is damaged (its SHA-256 does not match the snapshot's record)`);
    await utimes(temp, new Date(expect.mtimeMs), new Date(expect.mtimeMs));
    if (!sameStat(await statOrUndefined(target), expect.target)) {
      throw new CopyRefused('target-changed', `${target} changed since the scan; it was left as it is`);
    }
    await rename(temp, target);
    if (dirs === undefined) await syncDir(dirname(target));
    else dirs.later(dirname(target));
    const final = await lstat(target);
    return { size: final.size, mtimeMs: Math.floor(final.mtimeMs), sha256 };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function statOrUndefined(path: string): Promise<FileStat | undefined> {
  // Synchronous and without an exception for a missing file: a first sync asks this of every
  // target, and 20,000 thrown ENOENTs cost more than the stats themselves.
  let stat;
  try {
    stat = lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if (isNodeError(error, 'ENOTDIR')) return undefined;
    throw error;
  }
  if (stat === undefined) return undefined;
  return stat.isFile() ? { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) } : { size: -1, mtimeMs: -1 };
}

export function sameStat(actual: FileStat | undefined, expected: FileStat | undefined): boolean {
  if (actual === undefined || expected === undefined) return actual === expected;
  return actual.size === expected.size && actual.mtimeMs === expected.mtimeMs;
}
