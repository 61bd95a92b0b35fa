import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { currentEnvironment, type Environment } from '../platform.ts';
import { checkSettings } from './check.ts';
import { parseSettings } from './parse.ts';
import { resolvePaths, type ResolvedPaths } from './paths.ts';
import { decodeConfig } from './utf8.ts';
import type { Settings } from './schema.ts';

export interface LoadedConfig {
  file: string;
  settings: Settings;
  paths: ResolvedPaths;
  warnings: string[];
}

export interface Validation {
  config: LoadedConfig | undefined;
  problems: string[];
  warnings: string[];
  /** The config file does not exist (the CLI says how to create one, the app opens its setup). */
  missing?: true;
}

/** Reads, parses, resolves and checks a config file, collecting every problem. Writes nothing. */
export function validateConfig(file: string, env: Environment = currentEnvironment()): Validation {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return { config: undefined, problems: [`config file not found: ${path}`], warnings: [], missing: true };
    return { config: undefined, problems: [unreadable(path, error)], warnings: [] };
  }
  const text = decodeConfig(bytes, path);
  if (!text.ok) return { config: undefined, problems: [text.problem], warnings: [] };
  const parsed = parseSettings(text.value, path);
  if (!parsed.ok) return { config: undefined, problems: parsed.problems, warnings: [] };
  const { settings, warnings } = parsed.value;
  const paths = resolvePaths(settings, path, env);
  const checked = checkSettings(settings, paths, env);
  const allWarnings = [...warnings, ...checked.warnings];
  const config = { file: path, settings, paths, warnings: allWarnings };
  return { config: checked.problems.length === 0 ? config : undefined, problems: checked.problems, warnings: allWarnings };
}

/** Loads a config that a command can run with, or throws a CodexSyncError with exit code 4. */
export function loadConfig(file: string, env: Environment = currentEnvironment()): LoadedConfig {
  const result = validateConfig(file, env);
  if (result.missing === true) throw new CodexSyncError(ExitCode.invalidInput, { code: 'config-missing', path: resolve(file) });
  if (result.config === undefined) {
    const [first, ...rest] = result.problems;
    const summary = result.problems.length === 1 ? (first ?? 'invalid config') : `${result.problems.length} problems in ${file}:`;
    throw new CodexSyncError(ExitCode.invalidInput, { code: 'config-invalid', summary }, result.problems.length === 1 ? [] : [first ?? '', ...rest]);
  }
  return result.config;
}

function unreadable(path: string, error: unknown): string {
  if (isNodeError(error, 'EISDIR')) return `${path} is a folder, not a config file: pass the path of config.toml`;
  if (isNodeError(error, 'EACCES')) return `cannot read config file ${path}: permission denied`;
  return `cannot read config file ${path}: ${error instanceof Error ? error.message : String(error)}`;
}
