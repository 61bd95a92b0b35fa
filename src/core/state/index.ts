export { type BaseEntry, type BaseState, loadBase, saveBase, type ThreadMarksSeen } from './base.ts';
export { ensureInstallation, installationPattern, readInstallation } from './installation.ts';
export { baseStateFile } from './location.ts';
export { type Listing, type OwnListingsWanted, type OwnRecords, ownRecordsFile, readOwnRecords, rememberOwnRecord } from './ownRecords.ts';
export { addPushNotes, clearPushNotes, type NotedPushes, type PushNote, pushNotesFile, readPushNotes, type PushNotes } from './pushes.ts';
