import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { currentEnvironment, type Environment } from '../platform.ts';
import { checkSettings } from './check.ts';
import { parseSettings } from './parse.ts';
import { resolvePaths, type ResolvedPaths } from './paths.ts';
import { firstInvalidUtf8 } from './utf8.ts';
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

/**
 * The file's text, or the one problem that it is not UTF-8. Read leniently, a stray byte
 * would silently become U+FFFD inside a path; strictly, the user learns where it is.
 */
function decodeConfig(bytes: Buffer, path: string): { ok: true; value: string } | { ok: false; problem: string } {
  try {
    // A leading byte-order mark is dropped by the decoder (editors on Windows write one).
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    const hex = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const fix = utf16 ? 'the file is UTF-16: save it as UTF-8' : 'save the file as UTF-8';
    return { ok: false, problem: `${basename(path)}:${line}: byte ${offset} (0x${hex}) is not valid UTF-8: ${fix}` };
  }
}
