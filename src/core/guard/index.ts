export { type Accounting, type Arrival, awaitWholeLines, checkArrival, nothingAwaited, ownListingsNeeded, verifyArrival } from './arrival.ts';
export { classify, describeProcess, type Names } from './classify.ts';
export { deletionStop } from './deletion.ts';
export { checkCodex, type Confirmer, type GuardOptions, type GuardReport } from './guard.ts';
export { acquireLock, type HeldLock, isOtherInstallation, lockFile, type LockInfo, type LockOwner, readLock, removeOwnStaleLock, type StaleLock } from './lock.ts';
export { type ProcessSource, systemProcesses } from './processes.ts';
