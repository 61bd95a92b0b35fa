export { loadConfig, type LoadedConfig, validateConfig } from './load.ts';
export { locateConfig } from './locate.ts';
export { type PathMapping, type ResolvedPaths } from './paths.ts';
export { type ConflictPolicy, type EqualMtimeAction, type LogFormat, type LogLevel, type Settings } from './schema.ts';
export { readSettings, saveSettings } from './settings.ts';
export { renderTemplate } from './template.ts';
