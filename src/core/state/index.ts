export { type BaseEntry, type BaseState, loadBase, saveBase, type ThreadMarksSeen } from './base.ts';
export { ensureInstallation, installationPattern, readInstallation } from './installation.ts';
export { baseStateFile } from './location.ts';
export { clearPushNotes, pushNotesFile, readPushNotes, type PushNotes, writePushNotes } from './pushes.ts';
