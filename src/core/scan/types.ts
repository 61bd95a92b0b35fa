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
