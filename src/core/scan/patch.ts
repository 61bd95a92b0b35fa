import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempPrefix } from '../fs/index.ts';
import type { Scope } from '../scope/index.ts';
import { conflictCopyOf } from './conflictCopies.ts';
import type { SideScan, SkippedEntry } from './types.ts';
import type { ScanOptions } from './walk.ts';

/** Answers yes to every name: whether a name could be a conflict copy of anything. */
const anyOriginal: ReadonlySet<string> = { has: () => true } as unknown as ReadonlySet<string>;

/**
 * Brings a scan up to date for paths a watcher saw change: each is stat'ed again and its entry
 * set as a full walk would set it. Returns false, leaving the rest undone, where only a new walk
 * can tell (the scan is then not to be used): a folder at or below a path (one added, removed, or
 * put in a file's place), a link or special file where files were, an unreadable entry, a name
 * that is not valid UTF-8, and on the cloud side a name a cloud client's conflict copy could have
 * or be the original of (whether it is one depends on its siblings and on what codexSync wrote).
 */
export function restatPaths(scan: SideScan, scope: Scope, paths: Iterable<string>, options: ScanOptions = {}): boolean {
  for (const path of paths) if (!restatPath(scan, scope, path, options)) return false;
  return true;
}

/**
 * Whether a change at a path can change a scan: a file or folder in scope, a codexSync temp file, a
 * name a conflict copy could have. Codex writes its databases beside the synced files many times a
 * second: those changes are not worth a plan.
 */
export function mayChangeScan(scope: Scope, path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return scope.includesFile(path) || scope.entersDir(path) || name.startsWith(tempPrefix) || conflictCopyOf(name, anyOriginal) !== undefined;
}

function restatPath(scan: SideScan, scope: Scope, path: string, options: ScanOptions): boolean {
  if (path === '' || path.includes('\uFFFD')) return false;
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  // The walk never enters a folder the scope leaves out: nothing of it is in the scan.
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) if (!scope.entersDir(path.slice(0, at))) return true;
  let stat;
  try {
    stat = lstatSync(join(scan.root, path), { throwIfNoEntry: false });
  } catch {
    return false;
  }
  const before = scan.files.has(path);
  if (stat?.isDirectory() === true) return !before && !scope.entersDir(path);
  if (!before && hasBelow(scan, path)) return false;
  if (options.conflictCopies !== undefined) {
    if (conflictCopyOf(name, anyOriginal) !== undefined) return false;
    if (before !== (stat?.isFile() === true) && siblingMayBeCopy(scan.root, path.slice(0, Math.max(slash, 0)), name)) return false;
  }
  if (name.startsWith(tempPrefix)) {
    const temps = scan.leftoverTemps.filter((temp) => temp !== path);
    if (stat?.isFile() === true) temps.push(path);
    if (temps.length !== scan.leftoverTemps.length || stat?.isFile() === true) scan.leftoverTemps = temps.sort();
    if (stat?.isFile() === true) return true;
  }
  scan.files.delete(path);
  let skipped: SkippedEntry | undefined;
  if (stat?.isFile() === true) {
    if (scope.includesWalkedFile(path, name)) scan.files.set(path, { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs), ino: stat.ino });
  } else if (stat !== undefined && (scope.includesWalkedFile(path, name) || scope.entersDir(path))) {
    skipped = { path, why: stat.isSymbolicLink() ? 'symlink' : 'special file' };
  }
  const others = scan.skipped.filter((entry) => entry.path !== path);
  if (skipped !== undefined) others.push(skipped);
  if (others.length !== scan.skipped.length || skipped !== undefined) scan.skipped = others.sort((a, b) => (a.path < b.path ? -1 : 1));
  return true;
}

/** Whether the scan holds anything below a path (it was a folder). */
function hasBelow(scan: SideScan, path: string): boolean {
  const prefix = `${path}/`;
  for (const file of scan.files.keys()) if (file.startsWith(prefix)) return true;
  return scan.skipped.some((entry) => entry.path.startsWith(prefix));
}

/** Whether a file beside `name` could be a conflict copy of it (one that appears or goes changes what its siblings are). */
function siblingMayBeCopy(root: string, folder: string, name: string): boolean {
  const original = new Set([name]);
  try {
    return readdirSync(join(root, folder)).some((sibling) => sibling !== name && conflictCopyOf(sibling, original) !== undefined);
  } catch {
    return true;
  }
}
