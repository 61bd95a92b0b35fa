import { otherSide, sides, type Side } from '../facts.ts';
import type { Decision, PathFacts } from './decide.ts';

interface Clash {
  /** The side where the path is a file; the other side has a folder there. */
  fileSide: Side;
  /** Index of the path itself in the facts. */
  at: number;
  /** Indexes of the paths below it. */
  below: number[];
}

/**
 * Paths that are a file on one side and a folder on the other. Each path below was decided on
 * its own; together they say whether one side alone changed the type since the last sync:
 * - a folder made where the file was (the file unchanged on the other side, the folder's files
 *   new): the file is deleted there (backed up), then the folder's files copied;
 * - a file made where the folder was (the file new, the folder's files unchanged on the other
 *   side): those files are deleted there (backed up), then the file copied into the emptied place.
 * Either way, and whatever delete_policy says, since the old shape cannot stay beside the new one.
 * Anything else is a type conflict on the path, its files below held with it.
 * Rewrites `decisions` (index-aligned with `facts`) in place.
 */
export function settleTypeChanges(facts: readonly PathFacts[], decisions: Decision[]): void {
  const folders: Record<Side, Set<string>> = { local: new Set(), cloud: new Set() };
  // The folder of the path before on each side: facts come sorted, so most paths add no folder.
  const last: Record<Side, string | undefined> = { local: undefined, cloud: undefined };
  for (const f of facts) {
    const folder = f.path.slice(0, Math.max(0, f.path.lastIndexOf('/')));
    for (const side of sides) {
      if (folder === last[side] || f[side] === undefined) continue;
      last[side] = folder;
      // From the deepest folder up, until one already known: its own folders are known then too.
      for (let slash = f.path.lastIndexOf('/'); slash > 0; slash = f.path.lastIndexOf('/', slash - 1)) {
        const above = f.path.slice(0, slash);
        if (folders[side].has(above)) break;
        folders[side].add(above);
      }
    }
  }
  const clashes = new Map<string, Clash>();
  facts.forEach((f, at) => {
    for (const side of sides) if (folders[otherSide(side)].has(f.path) && f[side] !== undefined) clashes.set(f.path, { fileSide: side, at, below: [] });
  });
  if (clashes.size === 0) return;
  // A side with a file at a path has nothing below it, so clashes never nest.
  facts.forEach((f, i) => {
    for (let slash = f.path.indexOf('/'); slash !== -1; slash = f.path.indexOf('/', slash + 1)) {
      const clash = clashes.get(f.path.slice(0, slash));
      if (clash !== undefined) {
        clash.below.push(i);
        break;
      }
    }
  });
  for (const clash of clashes.values()) settle(clash, facts, decisions);
}

function settle(clash: Clash, facts: readonly PathFacts[], decisions: Decision[]): void {
  const file = clash.fileSide;
  const folder = otherSide(file);
  const atPath = decisions[clash.at] as Decision;
  const inFolder = clash.below.filter((i) => (facts[i] as PathFacts)[folder] !== undefined);
  const below = inFolder.map((i) => decisions[i] as Decision);

  // The file is as the last sync left it, the folder side removed it: the folder replaced it there.
  const fileKept = (atPath.kind === 'delete' && atPath.side === file) || (atPath.kind === 'copy' && atPath.from === file && atPath.reason === 'restored');
  if (fileKept && below.every((d) => d.kind === 'copy' && d.from === folder)) {
    decisions[clash.at] = { kind: 'delete', side: file, reason: 'became-folder' };
    return;
  }
  // The file is new, the folder's files are as the last sync left them and gone from the file side: the file replaced them.
  const fileNew = atPath.kind === 'copy' && atPath.from === file && atPath.reason === 'new';
  const folderKept = (d: Decision): boolean => (d.kind === 'delete' && d.side === folder) || (d.kind === 'copy' && d.from === folder && d.reason === 'restored');
  if (fileNew && below.every(folderKept)) {
    for (const i of inFolder) decisions[i] = { kind: 'delete', side: folder, reason: 'became-file' };
    return;
  }
  decisions[clash.at] = { kind: 'conflict', conflict: 'type', resolution: undefined, below: inFolder.map((i) => (facts[i] as PathFacts).path) };
  for (const i of inFolder) decisions[i] = { kind: 'held' };
}
