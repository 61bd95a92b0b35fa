export { openSnapshot } from './read.ts';
export { applyRestore, chooseSnapshot, planRestore, type ChosenSnapshot, type RestorePlan, type RestoreRefusal, type RestoreReport } from './restore.ts';
export { type BackupReason, listOwnSnapshots, pruneSnapshots, snapshotBaseName, type SnapshotFile, SnapshotWriter } from './snapshot.ts';
export { summariseSnapshots } from './summaries.ts';
export { snapshotAsOf, type SnapshotAsOf } from './asOf.ts';
