export { type Arrival, checkArrival, nothingAwaited } from './arrival.ts';
export { describeProcess } from './classify.ts';
export { deletionStop } from './deletion.ts';
export { checkCodex, type Confirmer, type GuardOptions, type GuardReport } from './guard.ts';
export { acquireLock, type HeldLock, removeOwnStaleLock, type StaleLock } from './lock.ts';
export { type ProcessSource, systemProcesses } from './processes.ts';
