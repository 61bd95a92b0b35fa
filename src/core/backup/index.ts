export { openSnapshot } from './read.ts';
export { applyRestore, chooseSnapshot, planRestore, type RestorePlan, type RestoreReport } from './restore.ts';
export { type BackupReason, pruneSnapshots, SnapshotWriter } from './snapshot.ts';
export { summariseSnapshots } from './summaries.ts';
