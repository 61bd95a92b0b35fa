import type { ResolvedPaths } from '../config/index.ts';
import { pathBelow, statOrUndefined } from '../fs/index.ts';
import { readHandoffRecords, readRecordCache, recordCacheFile, type HandoffRecord, type RecordsRead } from '../handoff/index.ts';
import { scanSide, type ScanOptions, type SideScan } from '../scan/index.ts';
import type { Scope } from '../scope/index.ts';
import { baseStateFile, loadBase, pushNotesFile, readInstallation, readPushNotes, type BaseState, type NotedPushes } from '../state/index.ts';

/**
 * What a plan is made from: this machine's base state and notes, the handoff records in the
 * cloud folder, and a scan of each side. A cold plan reads them all; the app keeps them between
 * plans and brings them up to date path by path (warmPlanner.ts).
 */
export interface RunInputs {
  base: BaseState;
  read: RecordsRead;
  installation: string | undefined;
  ownPushes: NotedPushes;
  local: SideScan;
  cloud: SideScan;
}

export type RunPaths = Pick<ResolvedPaths, 'baseStateDir' | 'localStateDir' | 'cloudRoot'>;

/**
 * Reads everything a plan is made from: both sides scanned in full. The large files (the base,
 * the records) one after the other: each is read in pieces, but read at once their buffers and
 * tables made the peak of a plan (see bench/results/profile-notes.md).
 */
export async function readRunInputs(paths: RunPaths, machineId: string, scope: Scope): Promise<RunInputs> {
  const baseFile = baseStateFile(paths);
  const base = await loadBase(baseFile, machineId, paths.localStateDir, paths.cloudRoot);
  const read = await readHandoffRecords(paths.cloudRoot, await readRecordCache(recordCacheFile(baseFile)));
  // Not this machine's own records: a plan reads them only where they matter (planRun).
  const [installation, ownPushes] = await Promise.all([readInstallation(paths.baseStateDir), readPushNotes(pushNotesFile(baseFile))]);
  const [local, cloud] = await Promise.all([scanSide('local', paths.localStateDir, scope), scanSide('cloud', paths.cloudRoot, scope, cloudScanOptions(paths, base, read.records))]);
  return { base, read, installation, ownPushes, local, cloud };
}

/** How the cloud side is scanned: a file codexSync wrote or the user has is never taken for a cloud client's conflict copy. */
export function cloudScanOptions(paths: RunPaths, base: BaseState, records: readonly HandoffRecord[]): ScanOptions {
  return { conflictCopies: { known: (path) => codexSyncWrote(path, base, records) || isLocalFile(paths.localStateDir, path) } };
}

/** Whether codexSync wrote this cloud file: this machine synced it, or a handoff record lists it (never a cloud client's conflict copy). */
function codexSyncWrote(path: string, base: BaseState, records: readonly HandoffRecord[]): boolean {
  return base.entries.has(path) || records.some((record) => record.files.has(path));
}

/** A cloud client makes conflict copies only in the cloud folder: a file of the same name in the Codex home is the user's own. */
function isLocalFile(localRoot: string, path: string): boolean {
  return (statOrUndefined(pathBelow(localRoot, path))?.size ?? -1) >= 0;
}
