import { basename } from 'node:path';
import { listOwnSnapshots, openSnapshot, type SnapshotFile } from '../backup/index.ts';
import { CodexSyncError } from '../errors.ts';
import type { Side } from '../facts.ts';
import { defaultReadLimits, readRollout, rolloutFileOf } from '../threads/index.ts';
import type { EngineContext } from './context.ts';

// The threads this machine's backup snapshots hold, each with its versions: for the restore
// window's "By thread". Snapshots lie in the cloud workspace: every manifest and every stored
// rollout is read through the validating readers, and a snapshot another machine wrote is left out.

/** One stored version of a thread's rollout file. */
export interface ThreadVersion {
  snapshot: string;
  /** When the snapshot was made (its manifest's time). */
  createdAt: string;
  /** The machine whose run made the snapshot. */
  machine: string;
  side: Side;
  path: string;
  size: number;
  /** The rollout's turns, when it reads as a thread. */
  turnCount: number | undefined;
  /** When its last line was written, when it says. */
  lastActivityAt: string | undefined;
}

export interface SnapshotThread {
  id: string;
  /** Its first prompt in the newest readable version; '' when none says. */
  title: string;
  /** Newest first. */
  versions: ThreadVersion[];
}

/** Every thread in this machine's snapshots, the most recently stored first. Writes nothing. */
export async function snapshotThreads(ctx: EngineContext): Promise<SnapshotThread[]> {
  const { backupDir } = ctx.config.paths;
  const machineId = ctx.config.settings.identity.machine_id;
  const threads = new Map<string, SnapshotThread>();
  for (const { name } of (await listOwnSnapshots(backupDir, machineId)).reverse()) {
    let snapshot;
    try {
      snapshot = await openSnapshot(backupDir, name);
    } catch (error) {
      // A damaged snapshot shows in the snapshot list with why; here it has no version to offer.
      if (error instanceof CodexSyncError) continue;
      throw error;
    }
    try {
      if (snapshot.header.machineId !== machineId) continue;
      const seen = new Set<string>();
      for (const file of snapshot.files) {
        const rollout = rolloutFileOf(file.path);
        const key = `${file.side}/${file.path}`;
        if (rollout === undefined || seen.has(key)) continue;
        seen.add(key);
        const read = await readStored(file, () => snapshot.open(file));
        const thread = threads.get(rollout.id) ?? { id: rollout.id, title: '', versions: [] };
        threads.set(rollout.id, thread);
        if (thread.title === '' && read?.title !== undefined) thread.title = read.title;
        thread.versions.push({
          snapshot: snapshot.name,
          createdAt: snapshot.header.createdAt,
          machine: snapshot.header.machineId,
          side: file.side,
          path: file.path,
          size: file.size,
          turnCount: read?.turnCount,
          lastActivityAt: read?.lastActivityAt,
        });
      }
    } finally {
      snapshot.close();
    }
  }
  return [...threads.values()];
}

/** A stored rollout's title and turns; undefined when it is too large, damaged or not a thread. */
async function readStored(file: SnapshotFile, open: () => Promise<NodeJS.ReadableStream>): Promise<{ title: string; turnCount: number; lastActivityAt: string | undefined } | undefined> {
  if (file.size > defaultReadLimits.maxBytes) return undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  try {
    for await (const chunk of await open()) {
      bytes += (chunk as Buffer).length;
      // The manifest's size is the cloud's word: stop reading at the limit whatever it says.
      if (bytes > defaultReadLimits.maxBytes) return undefined;
      chunks.push(chunk as Buffer);
    }
  } catch {
    return undefined;
  }
  const read = readRollout(Buffer.concat(chunks), basename(file.path));
  if (read.kind !== 'thread') return undefined;
  return { title: read.summary.title, turnCount: read.summary.turnCount, lastActivityAt: read.summary.lastActivityAt };
}
