import { lstatSync } from 'node:fs';
import { isNodeError } from '../errors.ts';
import type { FileStat } from '../facts.ts';

/**
 * What is at `path` now: a regular file's size and time, `{ size: -1, mtimeMs: -1 }` for
 * anything else (a folder, a link), undefined when nothing is there.
 */
export function statOrUndefined(path: string): FileStat | undefined {
  // Synchronous and without an exception for a missing file: a first sync asks this of every
  // target, and thrown ENOENTs cost more than the stats themselves.
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
