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
 * is unknown on that side: neither new nor deleted.
 */
export function skippedOver(skipped: readonly SkippedEntry[]): (path: string) => string | undefined {
  const entries = new Set(skipped.map((entry) => entry.path));
  if (entries.size === 0) return () => undefined;
  if (entries.has('')) return () => '';
  return (path) => {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      const folder = path.slice(0, slash);
      if (entries.has(folder)) return folder;
    }
    return entries.has(path) ? path : undefined;
  };
}
