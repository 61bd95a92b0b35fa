import type { FileStat, Side } from '../facts.ts';
import type { ConflictCopy } from './conflictCopies.ts';

export interface SkippedEntry {
  path: string;
  why: 'symlink' | 'special file' | 'unreadable' | 'name is not valid UTF-8';
}

/** One walk of one side: every in-scope regular file, by "/"-separated relative path. */
export interface SideScan {
  side: Side;
  root: string;
  /** False when the root folder does not exist at all (a missing cloud folder is not "empty"). */
  rootExists: boolean;
  files: Map<string, FileStat>;
  skipped: SkippedEntry[];
  /** codexSync temp files left by an interrupted run (relative paths): removed by the next apply. */
  leftoverTemps: string[];
  /** Files a cloud client made when two machines wrote the same file (cloud side only). */
  conflictCopies: ConflictCopy[];
}

/**
 * For a path, the entry the walk skipped at or above it on that side (a link, a special file,
 * an unreadable folder; '' for an unreadable root), or undefined. What is below such an entry
 * is unknown on that side: neither new nor deleted. Given the side's files, a path that is there
 * a folder holding skipped entries and no file (a link put in the place of its only file) is
 * unknown too: the entry below it is returned.
 */
export function skippedOver(skipped: readonly SkippedEntry[], files?: ReadonlyMap<string, unknown>): (path: string) => string | undefined {
  const entries = new Set(skipped.map((entry) => entry.path));
  if (entries.size === 0) return () => undefined;
  if (entries.has('')) return () => '';
  const folders = new Map<string, string>();
  if (files !== undefined) {
    const holdFiles = new Set<string>();
    for (const path of files.keys()) for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) holdFiles.add(path.slice(0, slash));
    for (const entry of entries) {
      for (let slash = entry.indexOf('/'); slash !== -1; slash = entry.indexOf('/', slash + 1)) {
        const folder = entry.slice(0, slash);
        if (!holdFiles.has(folder) && !folders.has(folder)) folders.set(folder, entry);
      }
    }
  }
  return (path) => {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (entries.has(folder)) return folder;
    }
    return entries.has(path) ? path : folders.get(path);
  };
}
