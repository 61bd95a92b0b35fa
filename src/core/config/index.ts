export { loadConfig, validateConfig, type LoadedConfig, type Validation } from './load.ts';
export { parseSettings, tomlValue } from './parse.ts';
export { resolvePaths, type ResolvedPaths, type PathMapping } from './paths.ts';
export { renderTemplate } from './template.ts';
export { settingsSchema, defaultMachineId, type Settings, type ConflictPolicy, type EqualMtimeAction, type LogLevel, type LogFormat } from './schema.ts';
