export { compareRollouts, type ForkSide, type RolloutComparison } from './compare.ts';
export { groupThreadFiles, type RolloutFile, rolloutFileOf, type RolloutLocation, rolloutName, type ThreadFiles, type ThreadFilesFlag } from './identity.ts';
export { defaultReadLimits, type ReadLimits } from './lines.ts';
export { parseSessionIndex, promptTitle, type SessionIndex, type ThreadName, threadTitle } from './names.ts';
export { readRollout, readRolloutBytes, readRolloutFile, readRolloutHead, rolloutBytes, type RolloutBytes } from './rollout.ts';
export { isWhole, type NotAThread, type RolloutForm, type RolloutOutcome, type RolloutRead, type RolloutUnreadable, type ThreadSummary, type TurnSummary } from './types.ts';
export { compareVersions, isNewerVersion, isVersion, newestCliVersion } from './version.ts';
export { isThreadId, newThreadId, type Rekeyed, type RekeyRefusal, opensAsThread, rekeyRollout, sessionMetaId } from './rolloutId.ts';
