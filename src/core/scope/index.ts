export { describeScope, isAppendOnly, isLineFile, isRollout, isThreadFile, mergedFiles, neverSyncedNames, neverSyncedReason, sessionDate, threadIdOf, type ScopeDescription } from './codexHome.ts';
export { buildScope, type Scope, type ScopeVerdict } from './scope.ts';
