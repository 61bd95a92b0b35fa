export {
  commitStaged,
  probeWrite,
  DirSyncer,
  type Staged,
  stageReplace,
  syncDir,
  syncFiles,
  syncStaged,
  type SyncWhen,
  tempPrefix,
  type WriteExpectation,
  writeFileAtomic,
  writeHashing,
  writeNewFile,
  writeProblem,
  WriteRefused,
  type WriteSource,
  type Written,
} from './atomic.ts';
export { executableProblem, type NotExecutable } from './executable.ts';
export { jsonMembers } from './jsonPieces.ts';
export { forEachConcurrently } from './limit.ts';
export { fileOnTheWay, isSafeRelativePath, linkOnTheWay, pathBelow } from './paths.ts';
export { sameStat, statOrUndefined } from './stat.ts';
export { readZip, writeZip } from './zip.ts';
