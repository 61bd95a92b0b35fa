import type { ActionView } from '../../../shared/contract.ts';
import { folderOf } from '../../format.ts';

export type Direction = 'to-cloud' | 'to-local' | 'merge' | 'delete-local' | 'delete-cloud';

export const directions: ReadonlyArray<{ direction: Direction; label: string; symbol: string }> = [
  { direction: 'to-local', label: 'Cloud to this machine', symbol: '↓' },
  { direction: 'to-cloud', label: 'This machine to the cloud', symbol: '↑' },
  { direction: 'merge', label: 'Lines merged on both sides', symbol: '⇅' },
  { direction: 'delete-local', label: 'Deleted on this machine', symbol: '✕' },
  { direction: 'delete-cloud', label: 'Deleted in the cloud', symbol: '✕' },
];

export function directionOf(action: ActionView): Direction {
  switch (action.kind) {
    case 'copy':
      return action.to === 'cloud' ? 'to-cloud' : 'to-local';
    case 'merge':
      return 'merge';
    case 'delete':
      return action.side === 'local' ? 'delete-local' : 'delete-cloud';
  }
}

export function sizeOf(action: ActionView): number {
  switch (action.kind) {
    case 'copy':
      return action.source.size;
    case 'merge':
      return Math.max(action.local.size, action.cloud.size);
    case 'delete':
      return action.target.size;
  }
}

export type Row = { kind: 'group'; key: string; direction: Direction; folder: string; files: number; bytes: number } | { kind: 'action'; key: string; action: ActionView };

/**
 * The rows of the action list: grouped by direction, then by folder, each group headed by its
 * count and size; only actions of the chosen direction and whose path contains the search text.
 */
export function planRows(actions: readonly ActionView[], filter: Direction | 'all', search: string): Row[] {
  const needle = search.trim().toLowerCase();
  const groups = new Map<string, { direction: Direction; folder: string; actions: ActionView[] }>();
  for (const action of actions) {
    const direction = directionOf(action);
    if (filter !== 'all' && direction !== filter) continue;
    if (needle !== '' && !action.path.toLowerCase().includes(needle)) continue;
    const folder = folderOf(action.path);
    const key = `${direction}\u0000${folder}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { direction, folder, actions: [] };
      groups.set(key, group);
    }
    group.actions.push(action);
  }
  const order = new Map(directions.map((d, i) => [d.direction, i]));
  const sorted = [...groups.values()].sort((a, b) => (order.get(a.direction) ?? 0) - (order.get(b.direction) ?? 0) || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  const rows: Row[] = [];
  for (const group of sorted) {
    group.actions.sort((a, b) => (a.path < b.path ? -1 : 1));
    rows.push({
      kind: 'group',
      key: `g:${group.direction}:${group.folder}`,
      direction: group.direction,
      folder: group.folder,
      files: group.actions.length,
      bytes: group.actions.reduce((sum, a) => sum + sizeOf(a), 0),
    });
    for (const action of group.actions) rows.push({ kind: 'action', key: `a:${group.direction}:${action.path}`, action });
  }
  return rows;
}

/** How many actions each direction has, for the filter's labels. */
export function directionCounts(actions: readonly ActionView[]): Record<Direction, number> {
  const counts: Record<Direction, number> = { 'to-cloud': 0, 'to-local': 0, merge: 0, 'delete-local': 0, 'delete-cloud': 0 };
  for (const action of actions) counts[directionOf(action)] += 1;
  return counts;
}
