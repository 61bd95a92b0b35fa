import { isDeepStrictEqual } from 'node:util';
import { parse } from 'smol-toml';
import { tomlValue } from './parse.ts';
import { keyTextOf, Patch, trailingComment } from './tomlLines.ts';

// smol-toml's stringify drops every comment. Settings are saved by editing the user's own
// text instead: each changed `key = value` is rewritten where it stands (its trailing comment,
// and the comments of the items of a multi-line list, kept), new keys go at the end of their
// [table], new tables at the end of the file. The result is parsed again and must equal
// exactly what was asked; anything this cannot do safely is refused, and the caller falls back.

export type TomlValue = string | number | boolean | string[] | Record<string, string | boolean>;

export interface TomlEdit {
  /** e.g. ["sync", "delete_policy"], or ["paths", "map"] for a whole table of strings. */
  path: readonly string[];
  /** undefined removes the key. */
  value: TomlValue | undefined;
}

export type EditResult = { ok: true; text: string } | { ok: false; why: string };

interface Entry {
  start: number;
  end: number;
  table: string[];
  key: string[];
  /** The key as written, e.g. `policy` or `"C:/Users/a"`. */
  keyText: string;
}

interface Table {
  path: string[];
  header: number;
  /** The last line of the header or of its last entry: where a new key goes. */
  last: number;
}

/** A multi-line value may span this many lines at most before the file is called unreadable. */
const MAX_VALUE_LINES = 2000;

export function editToml(text: string, edits: readonly TomlEdit[]): EditResult {
  let original: Record<string, unknown>;
  try {
    original = parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, why: `the file is not valid TOML (${firstLine(error)})` };
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const layout = readLayout(lines);
  if (typeof layout === 'string') return { ok: false, why: layout };

  const expected = structuredClone(original);
  const patch = new Patch(lines);
  const newTables = new Map<string, { path: string[]; lines: string[] }>();
  for (const edit of edits) {
    setAt(expected, edit.path, edit.value);
    const why = planEdit(edit, layout, lines, patch, newTables);
    if (why !== undefined) return { ok: false, why };
  }
  const result = patch.apply();
  for (const table of newTables.values()) {
    while (result.length > 0 && result[result.length - 1] === '') result.pop();
    result.push('', `[${table.path.map(renderKey).join('.')}]`, ...table.lines, '');
  }
  const out = result.join(eol);
  let reparsed: unknown;
  try {
    reparsed = parse(out);
  } catch (error) {
    return { ok: false, why: `the edited text would not parse (${firstLine(error)})` };
  }
  if (!isDeepStrictEqual(normalise(reparsed), normalise(expected))) return { ok: false, why: 'the edited text would not read back as the new values' };
  return { ok: true, text: out };
}

function planEdit(edit: TomlEdit, layout: { entries: Entry[]; tables: Table[] }, lines: string[], patch: Patch, newTables: Map<string, { path: string[]; lines: string[] }>): string | undefined {
  const full = edit.path;
  const name = full.join('.');
  const entry = layout.entries.find((e) => samePath([...e.table, ...e.key], full));
  if (entry !== undefined) {
    if (edit.value === undefined) patch.replace(entry.start, entry.end, []);
    else patch.replace(entry.start, entry.end, rewriteEntry(lines, entry, edit.value));
    return undefined;
  }
  // Nothing may define the key some other way (dotted keys, inline tables) that a new line would clash with.
  const clash = layout.entries.find((e) => {
    const path = [...e.table, ...e.key];
    return (startsWith(path, full) || startsWith(full, path)) && !(isRecord(edit.value) && samePath(e.table, full) && e.key.length === 1);
  });
  if (clash !== undefined) return `${name} is written in a form (line ${clash.start + 1}) that is not edited in place`;

  if (isRecord(edit.value)) {
    const table = layout.tables.find((t) => samePath(t.path, full));
    if (table === undefined) {
      if (Object.keys(edit.value).length > 0) newTables.set(name, { path: [...full], lines: Object.entries(edit.value).map(([k, v]) => `${renderKey(k)} = ${tomlValue(v)}`) });
      return undefined;
    }
    const children = layout.entries.filter((e) => samePath(e.table, full));
    for (const child of children) {
      const key = child.key[0] as string;
      if (!(key in edit.value)) patch.replace(child.start, child.end, []);
      else patch.replace(child.start, child.end, rewriteEntry(lines, child, edit.value[key] as string | boolean));
    }
    const known = new Set(children.map((c) => c.key[0]));
    const added = Object.entries(edit.value).filter(([k]) => !known.has(k));
    if (added.length > 0)
      patch.insertAfter(
        table.last,
        added.map(([k, v]) => `${renderKey(k)} = ${tomlValue(v)}`),
      );
    return undefined;
  }
  if (edit.value === undefined) return undefined;
  const parent = full.slice(0, -1);
  const key = full[full.length - 1] as string;
  const line = `${renderKey(key)} = ${tomlValue(edit.value)}`;
  const table = layout.tables.find((t) => samePath(t.path, parent));
  if (table !== undefined) {
    patch.insertAfter(table.last, [line]);
    return undefined;
  }
  if (parent.length === 0) return `${name} is a top-level key`;
  const pending = newTables.get(parent.join('.'));
  if (pending !== undefined) pending.lines.push(line);
  else newTables.set(parent.join('.'), { path: parent, lines: [line] });
  return undefined;
}

/** The new lines of an entry: same key text and indentation, trailing comment kept. */
function rewriteEntry(lines: string[], entry: Entry, value: TomlValue): string[] {
  const first = lines[entry.start] as string;
  const indent = /^\s*/.exec(first)?.[0] ?? '';
  if (entry.start === entry.end) {
    const comment = trailingComment(first);
    return [`${indent}${entry.keyText} = ${render(value)}${comment}`];
  }
  // A multi-line value: a multi-line list stays one, each kept item with its comment.
  if (!Array.isArray(value)) return [`${indent}${entry.keyText} = ${render(value)}`];
  const inner = lines.slice(entry.start + 1, entry.end);
  const itemIndent = inner.map((l) => /^\s*/.exec(l)?.[0] ?? '').find((s) => s !== '') ?? `${indent}  `;
  const itemComments = new Map<string, string>();
  const standalone: string[] = [];
  for (const raw of inner) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      standalone.push(raw);
      continue;
    }
    const comment = trailingComment(raw);
    const item = raw
      .slice(0, raw.length - comment.length)
      .trim()
      .replace(/,$/, '');
    const parsed = parseValue(item);
    if (typeof parsed === 'string' && comment !== '') itemComments.set(parsed, comment);
  }
  const closing = trailingComment(lines[entry.end] as string);
  return [`${indent}${entry.keyText} = [`, ...standalone, ...value.map((item) => `${itemIndent}${tomlValue(item)},${itemComments.get(item) ?? ''}`), `${indent}]${closing}`];
}

function render(value: TomlValue): string {
  if (isRecord(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${renderKey(k)} = ${tomlValue(v)}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return tomlValue(value);
}

export function renderKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Reads where every table and `key = value` of the file is. */
function readLayout(lines: string[]): { entries: Entry[]; tables: Table[] } | string {
  const entries: Entry[] = [];
  const tables: Table[] = [{ path: [], header: -1, last: -1 }];
  let table = tables[0] as Table;
  for (let i = 0; i < lines.length;) {
    const trimmed = (lines[i] as string).trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i += 1;
      continue;
    }
    if (trimmed.startsWith('[[')) return `line ${i + 1} is an array of tables, which is not edited in place`;
    if (trimmed.startsWith('[')) {
      const path = chainOf(parseValueDoc(trimmed));
      if (path === undefined) return `line ${i + 1} is a table header that cannot be read`;
      table = { path, header: i, last: i };
      tables.push(table);
      i += 1;
      continue;
    }
    let end = i;
    let parsed: Record<string, unknown> | undefined;
    for (; end < lines.length && end < i + MAX_VALUE_LINES; end += 1) {
      parsed = parseValueDoc(lines.slice(i, end + 1).join('\n'));
      if (parsed !== undefined) break;
    }
    if (parsed === undefined) return `line ${i + 1} cannot be read`;
    const keyText = keyTextOf(lines[i] as string);
    const depth = keyText === undefined ? undefined : chainOf(parseValueDoc(`${keyText} = 0`))?.length;
    const chain = depth === undefined ? undefined : keyChain(parsed, depth);
    if (keyText === undefined || chain === undefined) return `line ${i + 1} cannot be read`;
    entries.push({ start: i, end, table: table.path, key: chain, keyText: keyText.trim() });
    table.last = end;
    i = end + 1;
  }
  return { entries, tables };
}

function parseValueDoc(text: string): Record<string, unknown> | undefined {
  try {
    return parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function parseValue(text: string): unknown {
  return parseValueDoc(`v = ${text}`)?.v;
}

/** The keys of a document holding one single chain of tables down to one leaf. */
function chainOf(doc: Record<string, unknown> | undefined): string[] | undefined {
  if (doc === undefined) return undefined;
  const path: string[] = [];
  let node: unknown = doc;
  while (isRecord(node)) {
    const keys = Object.keys(node);
    if (keys.length === 0) return path;
    if (keys.length !== 1) return undefined;
    path.push(keys[0] as string);
    node = node[keys[0] as string];
  }
  return path;
}

function keyChain(doc: Record<string, unknown>, depth: number): string[] | undefined {
  const path: string[] = [];
  let node: unknown = doc;
  for (let i = 0; i < depth; i += 1) {
    if (!isRecord(node) || Object.keys(node).length !== 1) return undefined;
    const key = Object.keys(node)[0] as string;
    path.push(key);
    node = node[key];
  }
  return path;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = structuredClone(value);
}

/** Empty tables are dropped so that an empty [paths.map] compares equal to none. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = normalise(v);
    if (isRecord(n) && Object.keys(n).length === 0) continue;
    out[k] = n;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((k, i) => k === path[i]);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
