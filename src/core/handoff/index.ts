export { recordDescribes, recordedFiles, type RecordedFiles } from './commit.ts';
export { CONTROL_DIR, controlDir, type HandoffRecord, machineOfCloudFile, newestFirst, newestRecord, otherMachinesRecords, readHandoffRecords, recordMachine, writeHandoffRecord } from './record.ts';
