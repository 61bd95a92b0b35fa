import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { z } from 'zod';
import { checkSettings } from './check.ts';
import { parseSettings } from './parse.ts';
import { resolvePaths } from './paths.ts';
import { settingsSchema } from './schema.ts';
import { renderTemplate } from './template.ts';
import { isNodeError } from '../errors.ts';
import { writeFileAtomic } from '../fs/index.ts';
import type { Environment } from '../platform.ts';
import { editToml, type TomlValue } from './tomlEdit.ts';
import { decodeConfig } from './utf8.ts';

export type FieldKind = 'enum' | 'boolean' | 'number' | 'integer' | 'string' | 'list' | 'map-string' | 'map-boolean' | 'fixed';

/** One key of config.toml as the settings window shows it, derived from the zod schema itself. */
export interface SettingFieldInfo {
  key: string;
  section: string;
  name: string;
  kind: FieldKind;
  options?: string[];
  optional: boolean;
  value?: TomlValue;
  defaultValue?: TomlValue;
  help: string;
}

interface FieldShape {
  key: string[];
  kind: FieldKind;
  options?: string[];
  optional: boolean;
}

/** Walks the schema: one field per leaf key, nested tables flattened (process_detection.background_process_names.linux). */
export function schemaFields(): FieldShape[] {
  const fields: FieldShape[] = [];
  const visit = (schema: z.ZodType, key: string[]): void => {
    const { inner, optional } = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) visit(child, [...key, name]);
      return;
    }
    fields.push({ key, optional, ...kindOf(inner) });
  };
  visit(settingsSchema, []);
  return fields;
}

function unwrap(schema: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let inner: z.ZodType = schema;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodOptional) optional = true;
    if (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
    else if (inner instanceof z.ZodPipe) inner = inner.out as z.ZodType;
    else return { inner, optional };
  }
}

function kindOf(schema: z.ZodType): { kind: FieldKind; options?: string[] } {
  if (schema instanceof z.ZodEnum) {
    const options = schema.options.map(String);
    return options.length === 1 ? { kind: 'fixed', options } : { kind: 'enum', options };
  }
  if (schema instanceof z.ZodLiteral) return { kind: 'fixed', options: [...schema.values].map(String) };
  if (schema instanceof z.ZodBoolean) return { kind: 'boolean' };
  if (schema instanceof z.ZodNumber) return { kind: schema.isInt ? 'integer' : 'number' };
  if (schema instanceof z.ZodString) return { kind: 'string' };
  if (schema instanceof z.ZodArray) return { kind: 'list' };
  if (schema instanceof z.ZodRecord) return { kind: unwrap(schema.valueType as z.ZodType).inner instanceof z.ZodBoolean ? 'map-boolean' : 'map-string' };
  throw new Error(`internal: the settings window has no field for ${schema.constructor.name}`);
}

/** The comment lines above each key of the commented template: the help under each field. */
export function templateHelp(): Map<string, string> {
  const help = new Map<string, string>();
  let section = '';
  let comments: string[] = [];
  for (const line of renderTemplate('machine').split('\n')) {
    const header = /^\[([^\]]+)\]/.exec(line);
    const assignment = /^#?\s*([A-Za-z_]+)\s*=/.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      // A table of its own ([paths.map]) is one field: the comments above its header explain it.
      if (comments.length > 0) help.set(section, comments.join(' '));
      comments = [];
    } else if (assignment !== null && !(line.startsWith('#') && help.has(`${section}.${assignment[1]}`))) {
      const key = `${section}.${assignment[1]}`;
      if (comments.length > 0 || !help.has(key)) help.set(key, comments.join(' '));
      comments = [];
    } else if (line.startsWith('# ')) {
      comments.push(line.slice(2).trim());
    } else if (line.trim() === '') {
      comments = [];
    }
  }
  return help;
}

export interface SettingsRead {
  file: string;
  exists: boolean;
  fields: SettingFieldInfo[];
  problems: string[];
  warnings: string[];
}

const requiredForDefaults = { paths: { cloud_root_dir: '-', backup_dir: '-', temp_dir: '-' } };

/** Reads config.toml (or, when there is none yet, the commented template) into the settings window's fields. */
export async function readSettings(file: string, env: Environment): Promise<SettingsRead> {
  const { text, exists, undecodable } = await readOrTemplate(file);
  let raw: Record<string, unknown> = {};
  const problems: string[] = [];
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch {
    // parseSettings below names the line and column.
  }
  const parsed = undecodable === undefined ? parseSettings(text, file) : { ok: false as const, problems: [undecodable] };
  const warnings: string[] = [];
  if (!parsed.ok) problems.push(...parsed.problems);
  else {
    warnings.push(...parsed.value.warnings);
    const checked = checkSettings(parsed.value.settings, resolvePaths(parsed.value.settings, file, env), env);
    problems.push(...checked.problems);
    warnings.push(...checked.warnings);
  }
  const defaults = settingsSchema.parse(requiredForDefaults) as unknown as Record<string, unknown>;
  const help = templateHelp();
  const fields = schemaFields().map((shape): SettingFieldInfo => {
    const key = shape.key.join('.');
    const value = lookup(raw, shape.key);
    const fallback = shape.key[0] === 'paths' && !shape.optional && shape.kind === 'string' ? undefined : lookup(defaults, shape.key);
    return {
      key,
      section: shape.key.slice(0, -1).join('.'),
      name: shape.key[shape.key.length - 1] as string,
      kind: shape.kind,
      ...(shape.options === undefined ? {} : { options: shape.options }),
      optional: shape.optional,
      ...(isTomlValue(value) ? { value } : {}),
      ...(isTomlValue(fallback) ? { defaultValue: fallback } : {}),
      help: help.get(key) ?? '',
    };
  });
  return { file, exists, fields, problems, warnings };
}

export interface SettingsSaved {
  saved: boolean;
  file: string;
  /** in-place: the user's text edited, comments kept; rewritten: the old file backed up, then written anew. */
  method: 'in-place' | 'rewritten' | 'created' | 'none';
  backup?: string;
  problems: Array<{ key?: string; message: string }>;
  warnings: string[];
}

/**
 * Validates changed values with the same parser and checks as `codexsync validate`, and
 * (unless dryRun) saves them: in place, keeping comments, when that can be done exactly;
 * else the old file is first copied to config.toml.bak-<time> and the file is written anew.
 */
export async function saveSettings(file: string, values: Readonly<Record<string, TomlValue | null>>, options: { dryRun: boolean; env: Environment; now: Date }): Promise<SettingsSaved> {
  const none = (problems: SettingsSaved['problems']): SettingsSaved => ({ saved: false, file, method: 'none', problems, warnings: [] });
  const known = new Map(schemaFields().map((f) => [f.key.join('.'), f]));
  const unknown = Object.keys(values).filter((key) => !known.has(key));
  if (unknown.length > 0) return none(unknown.map((key) => ({ key, message: `there is no setting named ${key}` })));

  const { text, exists, undecodable } = await readOrTemplate(file);
  // Saving text read past a bad byte would replace the user's bytes with U+FFFD for good.
  if (undecodable !== undefined) return none([{ message: `${undecodable} in a text editor first; nothing was saved` }]);
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch {
    const parsed = parseSettings(text, file);
    const why = parsed.ok ? 'it cannot be read' : parsed.problems[0];
    return none([{ message: `${why}: fix the file in a text editor first; nothing was saved` }]);
  }
  const edits = Object.entries(values).map(([key, value]) => ({ path: (known.get(key) as FieldShape).key, value: value ?? undefined }));
  const edited = editToml(text, edits);
  let next: string;
  let method: SettingsSaved['method'];
  if (edited.ok) {
    next = edited.text;
    method = exists ? 'in-place' : 'created';
  } else {
    for (const edit of edits) setAt(raw, edit.path, edit.value);
    next = stringifyToml(raw);
    method = exists ? 'rewritten' : 'created';
  }

  const parsed = parseSettings(next, file);
  if (!parsed.ok) return none(parsed.problems.map((message) => withKey(message, file)));
  const checked = checkSettings(parsed.value.settings, resolvePaths(parsed.value.settings, file, options.env), options.env);
  const warnings = [...parsed.value.warnings, ...checked.warnings];
  if (checked.problems.length > 0) return { ...none(checked.problems.map((message) => withKey(message, file))), warnings };
  if (options.dryRun) return { saved: false, file, method: 'none', problems: [], warnings };

  await mkdir(dirname(file), { recursive: true });
  let backup: string | undefined;
  if (method === 'rewritten') {
    backup = `${file}.bak-${options.now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}Z$/, 'Z')}`;
    await writeFileAtomic(backup, text);
  }
  await writeFileAtomic(file, next);
  return { saved: true, file, method, ...(backup === undefined ? {} : { backup }), problems: [], warnings };
}

/** The file's text ('' with `undecodable` when it is not UTF-8), or the template when there is no file yet. */
async function readOrTemplate(file: string): Promise<{ text: string; exists: boolean; undecodable?: string }> {
  try {
    const decoded = decodeConfig(await readFile(file), file);
    return decoded.ok ? { text: decoded.value, exists: true } : { text: '', exists: true, undecodable: decoded.problem };
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return { text: renderTemplate(), exists: false };
    throw error;
  }
}

/** "config.toml: sync.delete_policy = "x": must be …" names its key after the file's name. */
function withKey(message: string, file: string): { key?: string; message: string } {
  const prefix = `${basename(file)}: `;
  const rest = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  const key = /^([A-Za-z0-9_.]+)(?: =|:)/.exec(rest)?.[1];
  return key === undefined ? { message } : { key, message: rest };
}

function lookup(raw: unknown, path: readonly string[]): unknown {
  let node: unknown = raw;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function isTomlValue(value: unknown): value is TomlValue {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string');
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.values(value).every((v) => typeof v === 'string' || typeof v === 'boolean');
  }
  return false;
}
