export { recordDescribes, recordedFiles, type RecordedFiles } from './commit.ts';
export {
  CONTROL_DIR,
  controlDir,
  didNotSee,
  type HandoffRecord,
  machineOfCloudFile,
  MAX_RECORDED_SIZE,
  newestFirst,
  newestRecord,
  otherInstallation,
  otherMachinesRecords,
  readHandoffRecords,
  recordFileName,
  recordMachine,
  type RecordsRead,
  type RecordWriter,
  writeHandoffRecord,
} from './record.ts';
export { readRecordCache, recordCacheFile, type RecordCache, saveRecordCache } from './recordCache.ts';
export { readThreadStates, type ThreadStateFile, threadStateFile, type ThreadStatesRead, writeThreadState } from './threadState.ts';
