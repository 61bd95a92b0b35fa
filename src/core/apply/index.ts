export { applyPlan, type ApplyProgress, type ApplyReport, type Failure, ThreadNotDropped } from './apply.ts';
export { mergeConflictCopies, mergedCopyTimes } from './mergeCopies.ts';
export { GuardedWriter } from './writer.ts';
