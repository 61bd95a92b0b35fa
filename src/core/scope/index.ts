export { isAppendOnly, isLineFile, isRollout, isThreadFile, mergedFiles, neverSyncedNames, neverSyncedReason, sessionDate, threadIdOf } from './codexHome.ts';
export { buildScope, type Scope, type ScopeVerdict } from './scope.ts';
