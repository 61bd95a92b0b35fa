// How an entry of the backup folder that a restore passed over reads, the same in the command
// line and the app. Plain shapes, not the engine's types: the contract stays free of the engine.

export type PassedOverEntry = { name: string; kind: 'damaged'; why: string } | { name: string; kind: 'not-a-snapshot' } | { name: string; kind: 'other-machine'; machineId: string };

/**
 * An entry of the backup folder named like one of this machine's snapshots that is not one,
 * so a restore passed over it (the folder lies in the cloud workspace: anyone can put one there).
 */
export function ignoredSnapshotText(entry: PassedOverEntry): string {
  switch (entry.kind) {
    case 'damaged':
      return `${entry.name}: not a valid snapshot: it ${entry.why}`;
    case 'not-a-snapshot':
      return `${entry.name}: not a valid snapshot: neither a folder nor a .zip`;
    case 'other-machine':
      return `${entry.name}: its manifest names machine ${entry.machineId}, not this machine`;
  }
}

/** " (passed over …)" after a sentence, or nothing. */
export function passedOver(ignored: readonly PassedOverEntry[]): string {
  return ignored.length === 0 ? '' : ` (passed over ${ignored.map(ignoredSnapshotText).join('; ')})`;
}
