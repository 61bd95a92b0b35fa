import { basename } from 'node:path';
import { parse as parseToml, stringify as stringifyToml, TomlError } from 'smol-toml';
import { z } from 'zod';
import { settingsSchema, type Settings } from './schema.ts';
import { shown } from './shown.ts';

export interface ParsedSettings {
  settings: Settings;
  /** Non-fatal findings (unknown keys), each naming the file and the key. */
  warnings: string[];
}

export type ParseOutcome = { ok: true; value: ParsedSettings } | { ok: false; problems: string[] };

/** Parses and validates config.toml text. Collects every problem instead of stopping at the first. */
export function parseSettings(text: string, file: string): ParseOutcome {
  const label = basename(file);
  let raw: Record<string, unknown>;
  try {
    raw = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, problems: [tomlSyntaxProblem(error, file)] };
  }
  const warnings = unknownKeys(raw, settingsSchema).map((key) => `${label}: unknown key '${shown(key)}' is ignored`);
  const result = settingsSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    return { ok: false, problems: result.error.issues.map((issue) => describeIssue(issue, raw, label)) };
  }
  return { ok: true, value: { settings: result.data, warnings } };
}

function tomlSyntaxProblem(error: unknown, file: string): string {
  if (error instanceof TomlError) {
    const reason = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
    return `${basename(file)}:${error.line}:${error.column}: TOML syntax error: ${reason}`;
  }
  return `${basename(file)}: TOML syntax error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Every dotted key of `raw` that the schema does not know, depth first. */
function unknownKeys(raw: unknown, schema: z.ZodType, prefix = ''): string[] {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodObject) || !isTable(raw)) return [];
  const shape = inner.shape as Record<string, z.ZodType>;
  const found: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const child = shape[key];
    if (child === undefined) found.push(path);
    else found.push(...unknownKeys(value, child, path));
  }
  return found;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>, label: string): string {
  const key = shown(issue.path.map(String).join('.'));
  const present = lookup(raw, issue.path);
  const where = present.found ? `${key} = ${shown(tomlValue(present.value))}` : key;
  return `${label}: ${where}: ${reason(issue, present.found)}`;
}

function reason(issue: z.core.$ZodIssue, present: boolean): string {
  // Messages written in the schema read better than zod's generic ones, which start with "Invalid".
  const custom = !/^Invalid|^Too (big|small)/.test(issue.message);
  if (custom && present) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (!present) return 'is required but missing';
      return `must be ${article(issue.expected)}${issue.expected === 'boolean' ? ' (true or false, without quotes)' : ''}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${tomlValue(issue.values[0])}` : `must be one of ${issue.values.map(tomlValue).join(', ')}`;
    default:
      return issue.message;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    boolean: 'a boolean',
    string: 'a string',
    number: 'a number',
    array: 'a list',
    object: 'a table',
    record: 'a table',
  };
  return names[expected] ?? expected;
}

function lookup(raw: unknown, path: readonly PropertyKey[]): { found: boolean; value?: unknown } {
  let current: unknown = raw;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || !(String(part) in current)) return { found: false };
    current = (current as Record<string, unknown>)[String(part)];
  }
  return { found: true, value: current };
}

/** Renders a value the way it is written in TOML, so a message shows what the user wrote. */
export function tomlValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  try {
    return stringifyToml({ v: value }).replace(/^v = /, '').trim();
  } catch {
    return JSON.stringify(value) ?? String(value);
  }
}
