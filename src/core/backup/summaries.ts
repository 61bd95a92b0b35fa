import { openSnapshot } from './read.ts';
import { listOwnSnapshots } from './snapshot.ts';
import { CodexSyncError } from '../errors.ts';

export interface SnapshotSummary {
  name: string;
  createdAt: string;
  format: 'folder' | 'zip';
  files: number;
  bytes: number;
  sides: { local: number; cloud: number };
  /** Why the snapshot cannot be read, when it cannot ("has no manifest.jsonl"). */
  damaged?: string;
}

/**
 * This machine's snapshots, newest first, each with its file count and size from its
 * manifest. One whose manifest names another machine is left out, whatever its name says;
 * a damaged one is listed with why.
 */
export async function summariseSnapshots(backupDir: string, machineId: string): Promise<SnapshotSummary[]> {
  const names = await listOwnSnapshots(backupDir, machineId);
  const summaries: SnapshotSummary[] = [];
  for (const entry of names.reverse()) {
    const base = { name: entry.name, createdAt: entry.time.toISOString(), format: entry.format };
    try {
      const snapshot = await openSnapshot(backupDir, entry.name);
      try {
        if (snapshot.header.machineId !== machineId) continue;
        const sides = { local: 0, cloud: 0 };
        let bytes = 0;
        for (const file of snapshot.files) {
          sides[file.side] += 1;
          bytes += file.size;
        }
        summaries.push({ ...base, createdAt: snapshot.header.createdAt, files: snapshot.files.length, bytes, sides });
      } finally {
        snapshot.close();
      }
    } catch (error) {
      summaries.push({ ...base, files: 0, bytes: 0, sides: { local: 0, cloud: 0 }, damaged: damagedWhy(error) });
    }
  }
  return summaries;
}

/** Why a snapshot cannot be read, e.g. "has no manifest.jsonl". */
function damagedWhy(error: unknown): string {
  if (error instanceof CodexSyncError && error.problem.code === 'snapshot-damaged') return error.problem.why;
  return error instanceof Error ? error.message : String(error);
}
