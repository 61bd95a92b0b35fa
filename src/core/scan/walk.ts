import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isNodeError } from '../errors.ts';
import { tempPrefix } from '../fs/atomic.ts';
import { createLimiter } from '../fs/limit.ts';
import type { Scope } from '../scope/scope.ts';
import type { FileStat, Side, SideScan, SkippedEntry } from './types.ts';

/** File-system calls in flight at once during a walk. */
const FS_CONCURRENCY = 64;

/**
 * One walk of a tree: readdir per folder, one lstat per in-scope file, no content read.
 * Symbolic links are never followed (a link could lead out of the tree) and are reported.
 */
export async function scanSide(side: Side, root: string, scope: Scope): Promise<SideScan> {
  const files = new Map<string, FileStat>();
  const skipped: SkippedEntry[] = [];
  const leftoverTemps: string[] = [];
  let rootExists = true;

  const limit = createLimiter(FS_CONCURRENCY);
  const visit = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await limit(() => readdir(rel === '' ? root : join(root, rel), { withFileTypes: true }));
    } catch (error) {
      if (rel === '' && isNodeError(error, 'ENOENT')) rootExists = false;
      else if (!isNodeError(error, 'ENOENT')) skipped.push({ path: rel, why: 'unreadable' }); // else: vanished mid-walk
      return;
    }
    const work: Promise<void>[] = [];
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.name.startsWith(tempPrefix) && entry.isFile()) {
        leftoverTemps.push(path);
      } else if (entry.isDirectory()) {
        if (scope.entersDir(path)) work.push(visit(path));
      } else if (entry.isFile()) {
        if (scope.includesFile(path)) work.push(limit(() => statFile(root, path, files, skipped)));
      } else if (scope.includesFile(path)) {
        skipped.push({ path, why: entry.isSymbolicLink() ? 'symlink' : 'special file' });
      }
    }
    await Promise.all(work);
  };
  await visit('');
  return { side, root, rootExists, files, skipped, leftoverTemps };
}

async function statFile(root: string, path: string, files: Map<string, FileStat>, skipped: SkippedEntry[]): Promise<void> {
  try {
    const stat = await lstat(join(root, path));
    if (stat.isFile()) files.set(path, { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) skipped.push({ path, why: 'unreadable' });
  }
}
