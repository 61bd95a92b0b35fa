export { loadConfig, type LoadedConfig, validateConfig } from './load.ts';
export { locateConfig } from './locate.ts';
export { type PathMapping, type ResolvedPaths } from './paths.ts';
export { type ConflictPolicy, type EqualMtimeAction, type LogFormat, type LogLevel, type Settings } from './schema.ts';
export { readSettings, saveSettings } from './settings.ts';
export { renderTemplate } from './template.ts';
export { type CloudClient, type CloudFolder, findCloudFolders } from './cloudFolders.ts';
export { codexHomeFacts, type CodexHomeFacts, type SetupChoice, type SetupWritten, suggestedMachineId, workspaceFolderName, writeFirstConfig } from './firstRun.ts';
