export { type ConflictCopy } from './conflictCopies.ts';
export { endsWithNewline, hashFile } from './hash.ts';
export { type SideScan, type SkippedEntry, skippedOver } from './types.ts';
export { scanSide, type ScanOptions } from './walk.ts';
export { mayChangeScan, restatPaths } from './patch.ts';
