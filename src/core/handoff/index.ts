export { recordDescribes, recordedFiles, type RecordedFiles } from './commit.ts';
export {
  CONTROL_DIR,
  controlDir,
  type HandoffRecord,
  machineOfCloudFile,
  MAX_RECORDED_SIZE,
  newestFirst,
  newestRecord,
  otherMachinesRecords,
  readHandoffRecords,
  recordMachine,
  type RecordsRead,
  writeHandoffRecord,
} from './record.ts';
