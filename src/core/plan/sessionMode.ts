import type { FileStat } from '../facts.ts';
import { sessionDate } from '../scope/index.ts';
import type { Notice } from './types.ts';

export interface SessionFilter {
  /** Whether a path takes part in this run. */
  includes(path: string, local: FileStat | undefined, cloud: FileStat | undefined): boolean;
  notice: Extract<Notice, { code: 'session-filter' }>;
}

/**
 * session_mode = "last_date_only": sessions in the newest date folder, plus every session
 * file written on or after that day, wherever it started. 0.1.2 looked at folder dates only
 * and so dropped threads resumed on a later day (its defect 2).
 */
export function lastDateOnly(paths: Iterable<[string, FileStat | undefined, FileStat | undefined]>): SessionFilter {
  let newest: string | undefined;
  for (const [path] of paths) {
    const date = sessionDate(path);
    if (date !== undefined && (newest === undefined || date > newest)) newest = date;
  }
  if (newest === undefined) {
    return {
      includes: () => true,
      notice: { code: 'session-filter', latest: undefined },
    };
  }
  const [y, m, d] = newest.split('-').map(Number);
  const dayStart = new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
  const latest = newest;
  return {
    includes(path, local, cloud) {
      const date = sessionDate(path);
      if (date === undefined || date === latest) return true;
      return (local?.mtimeMs ?? 0) >= dayStart || (cloud?.mtimeMs ?? 0) >= dayStart;
    },
    notice: { code: 'session-filter', latest },
  };
}
