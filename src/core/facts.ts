/** The two trees of a handoff: this machine's Codex home and the cloud mirror. */
export type Side = 'local' | 'cloud';

export const sides: readonly Side[] = ['local', 'cloud'];

export function otherSide(side: Side): Side {
  return side === 'local' ? 'cloud' : 'local';
}

/** What one stat tells about a regular file. Times are whole milliseconds since the epoch. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  /** The file's inode number where the scan or a write saw it: with size and time, the key of the base's hash cache. */
  ino?: number;
}
