export { type ConflictCopy } from './conflictCopies.ts';
export { hashFile } from './hash.ts';
export { type SideScan } from './types.ts';
export { scanSide } from './walk.ts';
