import { CodexSyncError, ExitCode, type IgnoredSnapshot } from '../errors.ts';
import type { Side } from '../facts.ts';
import { ownSnapshotsNewestFirst, type OpenedSnapshot } from './read.ts';
import type { SnapshotFile } from './snapshot.ts';

/** Everything as it was at a time: one snapshot made of several, each file from the newest one holding it. */
export interface SnapshotAsOf {
  snapshot: OpenedSnapshot;
  /** The snapshot each file's version comes from, by path. */
  sources: ReadonlyMap<string, string>;
  ignored: IgnoredSnapshot[];
}

/**
 * For each file of `target`, the version in the newest of this machine's snapshots made at or
 * before `at`, as one snapshot that reads each file from the one it came from. The backup folder
 * lies in the cloud workspace: a snapshot is dated by its manifest, and one whose manifest names
 * another machine, or that cannot be read, is passed over and listed.
 */
export async function snapshotAsOf(backupDir: string, machineId: string, target: Side, at: Date): Promise<SnapshotAsOf> {
  const ignored: IgnoredSnapshot[] = [];
  const opened: OpenedSnapshot[] = [];
  const owner = new Map<SnapshotFile, OpenedSnapshot>();
  const chosen = new Map<string, SnapshotFile>();
  const sources = new Map<string, string>();
  try {
    for await (const snapshot of ownSnapshotsNewestFirst(backupDir, machineId, ignored)) {
      const createdAt = Date.parse(snapshot.header.createdAt);
      if (!(createdAt <= at.getTime())) {
        snapshot.close();
        continue;
      }
      opened.push(snapshot);
      for (const file of snapshot.files) {
        // Within one snapshot the first line of a path is the version the run found.
        if (file.side !== target || chosen.has(file.path)) continue;
        chosen.set(file.path, file);
        owner.set(file, snapshot);
        sources.set(file.path, snapshot.name);
      }
    }
  } catch (error) {
    for (const snapshot of opened) snapshot.close();
    throw error;
  }
  const newest = opened[0];
  if (newest === undefined) {
    throw new CodexSyncError(ExitCode.runtimeError, { code: 'no-snapshot-before', machineId, backupDir, at: at.toISOString(), ignored });
  }
  const snapshot: OpenedSnapshot = {
    name: `as of ${at.toISOString()}`,
    format: newest.format,
    header: { ...newest.header, createdAt: at.toISOString() },
    files: [...chosen.values()],
    open: (file) => (owner.get(file) as OpenedSnapshot).open(file),
    source: (file) => (owner.get(file) as OpenedSnapshot).source(file),
    close: () => {
      for (const s of opened) s.close();
    },
  };
  return { snapshot, sources, ignored };
}
