export { applyPlan, type ApplyProgress, type ApplyReport, type Failure } from './apply.ts';
export { mergeConflictCopies, mergedCopyTimes } from './mergeCopies.ts';
export { GuardedWriter } from './writer.ts';
