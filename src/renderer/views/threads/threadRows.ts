import type { ThreadRow, ThreadStanding } from '../../../shared/contract.ts';
import type { ArchivedFilter } from './threadsStore.ts';

/** The states in the order the filter offers them, with the filter's words. */
export const standings: ReadonlyArray<{ standing: ThreadStanding; label: string }> = [
  { standing: 'newer-cloud', label: 'Newer on the other machine' },
  { standing: 'forked', label: 'Forked' },
  { standing: 'arriving', label: 'Still arriving' },
  { standing: 'cloud-only', label: 'Only in the cloud' },
  { standing: 'newer-local', label: 'Newer here' },
  { standing: 'local-only', label: 'Only here' },
  { standing: 'in-sync', label: 'In sync' },
];

export interface ThreadFilter {
  search: string;
  standing: ThreadStanding | 'all';
  archived: ArchivedFilter;
  project: string;
}

/** The threads the filters let through, in the listing's order (newest activity first). */
export function filterThreads(threads: readonly ThreadRow[], filter: ThreadFilter): ThreadRow[] {
  const needle = filter.search.trim().toLowerCase();
  return threads.filter(
    (t) =>
      (filter.standing === 'all' || t.standing === filter.standing) &&
      (filter.archived === 'all' || t.archived === (filter.archived === 'archived')) &&
      (filter.project === '' || t.project === filter.project) &&
      (needle === '' || t.title.toLowerCase().includes(needle) || t.id.includes(needle) || (t.project ?? '').toLowerCase().includes(needle)),
  );
}

export function standingCounts(threads: readonly ThreadRow[]): Record<ThreadStanding, number> {
  const counts: Record<ThreadStanding, number> = { 'local-only': 0, 'cloud-only': 0, 'in-sync': 0, 'newer-cloud': 0, 'newer-local': 0, forked: 0, arriving: 0 };
  for (const t of threads) counts[t.standing] += 1;
  return counts;
}

/** Every project folder with its number of threads, most threads first. */
export function projectCounts(threads: readonly ThreadRow[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const t of threads) if (t.project !== undefined) counts.set(t.project, (counts.get(t.project) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** A long text cut in its middle, where a path's least telling part is: "/home/me/…/api/server". */
export function cutMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep * 0.4);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

/** The last two folders of a project path, enough to tell projects apart in a row: "src/website". */
export function projectLabel(project: string): string {
  const parts = project.split(/[\\/]+/).filter((part) => part !== '');
  return parts.length <= 2 ? project : `…/${parts.slice(-2).join('/')}`;
}
