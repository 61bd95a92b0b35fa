export { isAppendOnly, isRollout, mergedFiles, neverSyncedNames, threadIdOf } from './codexHome.ts';
export { buildScope, type Scope, type ScopeVerdict } from './scope.ts';
