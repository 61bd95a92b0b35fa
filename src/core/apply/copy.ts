import { createHash } from 'node:crypto';
import { lstat, mkdir, open, rename, rm, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isNodeError } from '../errors.ts';
import { syncDir, tempPathFor } from '../fs/atomic.ts';
import type { FileStat } from '../scan/types.ts';

const CHUNK = 1024 * 1024;

export interface Written extends FileStat {
  sha256: string;
}

/** Why a file was not written; each leaves the destination exactly as it was. */
export class CopyRefused extends Error {
  readonly why: 'source-changed' | 'target-changed' | 'hash-mismatch';
  constructor(why: CopyRefused['why'], message: string) {
    super(message);
    this.name = 'CopyRefused';
    this.why = why;
  }
}

/**
 * Copies `source` to `target` so that `target` is at every instant either its old version
 * or the complete new one: the bytes go to a temp file in the target's own folder while
 * they are hashed, the temp file is synced to disk, the source and target are checked
 * against what the scan saw, and only then is the temp file renamed over the target.
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
): Promise<Written> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const sha256 = await copyHashing(source, temp, expect.source.mtimeMs);
    if (!sameStat(await statOrUndefined(source), expect.source)) {
      throw new CopyRefused('source-changed', `${source} changed while it was being copied`);
    }
    if (expect.sha256 !== undefined && expect.sha256 !== sha256) {
      throw new CopyRefused('hash-mismatch', `${source} does not match the content recorded for it`);
    }
    if (!sameStat(await statOrUndefined(target), expect.target)) {
      throw new CopyRefused('target-changed', `${target} changed since the scan; it was left as it is`);
    }
    await rename(temp, target);
    await syncDir(dirname(target));
    const final = await lstat(target);
    return { size: final.size, mtimeMs: Math.floor(final.mtimeMs), sha256 };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Writes given bytes over `target` the same safe way (merged files, restores). */
export async function replaceWithBytes(target: string, bytes: Uint8Array, mtimeMs: number, expectTarget: FileStat | undefined): Promise<Written> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await utimes(temp, new Date(mtimeMs), new Date(mtimeMs));
    if (!sameStat(await statOrUndefined(target), expectTarget)) {
      throw new CopyRefused('target-changed', `${target} changed since the scan; it was left as it is`);
    }
    await rename(temp, target);
    await syncDir(dirname(target));
    const final = await lstat(target);
    return { size: final.size, mtimeMs: Math.floor(final.mtimeMs), sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Copies bytes into a new file while hashing them, syncs it, and sets its modification time. */
export async function copyHashing(source: string, destination: string, mtimeMs: number): Promise<string> {
  const hash = createHash('sha256');
  const input = await open(source, 'r');
  try {
    const output = await open(destination, 'wx');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
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
      await output.sync();
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  await utimes(destination, new Date(mtimeMs), new Date(mtimeMs));
  return hash.digest('hex');
}

/**
 * Writes a stream (a zip entry, a snapshot file) over `target` the same safe way, refusing
 * bytes that do not hash to `sha256`.
 */
export async function replaceFromStream(
  stream: NodeJS.ReadableStream,
  target: string,
  expect: { mtimeMs: number; target: FileStat | undefined; sha256: string },
): Promise<Written> {
  await mkdir(dirname(target), { recursive: true });
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
    await syncDir(dirname(target));
    const final = await lstat(target);
    return { size: final.size, mtimeMs: Math.floor(final.mtimeMs), sha256 };
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function statOrUndefined(path: string): Promise<FileStat | undefined> {
  try {
    const stat = await lstat(path);
    return stat.isFile() ? { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) } : { size: -1, mtimeMs: -1 };
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return undefined;
    throw error;
  }
}

export function sameStat(actual: FileStat | undefined, expected: FileStat | undefined): boolean {
  if (actual === undefined || expected === undefined) return actual === expected;
  return actual.size === expected.size && actual.mtimeMs === expected.mtimeMs;
}
