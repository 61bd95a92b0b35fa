import type { LogFormat, LogLevel } from '../config/index.ts';

export const logLevels: readonly LogLevel[] = ['ERROR', 'WARNING', 'INFO', 'DEBUG'];

export type FieldValue = string | number | boolean | null;

export interface LogRecord {
  /** Local time with its UTC offset, e.g. 2026-11-25T09:30:00.123+01:00. */
  time: string;
  level: LogLevel;
  message: string;
  fields: Record<string, FieldValue>;
}

/** ISO 8601 in local time with the UTC offset, so a log read on another machine is unambiguous. */
export function localTimestamp(date: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** One record as one line; the same formatter serves the console and the files. */
export function formatRecord(format: LogFormat, record: LogRecord): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ ts: record.time, level: record.level, msg: record.message, ...record.fields });
    case 'logfmt':
      return [
        `ts=${record.time}`,
        `level=${record.level}`,
        `msg=${logfmtValue(record.message)}`,
        ...Object.entries(record.fields).map(([key, value]) => `${logfmtKey(key)}=${logfmtValue(value)}`),
      ].join(' ');
    case 'text': {
      const fields = Object.entries(record.fields);
      const tail = fields.length === 0 ? '' : ` | ${fields.map(([k, v]) => `${logfmtKey(k)}=${logfmtValue(v)}`).join(' ')}`;
      return `${record.time} ${record.level.padEnd(7)} ${escapeLine(record.message)}${tail}`;
    }
  }
}

/** Reads a line written in any of the three formats back into a record; undefined if it is none. */
export function parseLogLine(line: string): LogRecord | undefined {
  const trimmed = line.replace(/\r?\n$/, '');
  if (trimmed.startsWith('{')) return parseJson(trimmed);
  if (trimmed.startsWith('ts=')) return parseLogfmt(trimmed);
  return parseText(trimmed);
}

function parseJson(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { ts, level, msg, ...rest } = value as Record<string, unknown>;
  if (typeof ts !== 'string' || !isLevel(level) || typeof msg !== 'string') return undefined;
  const fields: Record<string, FieldValue> = {};
  for (const [key, field] of Object.entries(rest)) {
    fields[key] = isFieldValue(field) ? field : JSON.stringify(field);
  }
  return { time: ts, level, message: msg, fields };
}

function parseLogfmt(line: string): LogRecord | undefined {
  const pairs = splitLogfmt(line);
  if (pairs === undefined) return undefined;
  const { ts, level, msg, ...fields } = pairs;
  if (ts === undefined || !isLevel(level) || msg === undefined) return undefined;
  return { time: ts, level, message: msg, fields };
}

const textLine = /^(\S+) (ERROR|WARNING|INFO|DEBUG) +(.*)$/;

function parseText(line: string): LogRecord | undefined {
  const match = textLine.exec(line);
  if (match === null) return undefined;
  const [, time = '', level = 'INFO', rest = ''] = match;
  const bar = rest.lastIndexOf(' | ');
  const fields = bar === -1 ? {} : splitLogfmt(rest.slice(bar + 3));
  if (bar === -1 || fields === undefined) {
    return { time, level: level as LogLevel, message: unescapeLine(rest), fields: {} };
  }
  return { time, level: level as LogLevel, message: unescapeLine(rest.slice(0, bar)), fields };
}

function isLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (logLevels as readonly string[]).includes(value);
}

function isFieldValue(value: unknown): value is FieldValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function logfmtKey(key: string): string {
  return key.replace(/[^A-Za-z0-9_.-]/g, '_');
}

function logfmtValue(value: FieldValue): string {
  const text = value === null ? '' : String(value);
  return /^[^\s"=\\]+$/.test(text) ? text : JSON.stringify(text);
}

/** Splits `k=v k2="quoted \"v\""` into pairs; undefined when the line is not logfmt. */
function splitLogfmt(text: string): Record<string, string> | undefined {
  const pairs: Record<string, string> = {};
  const token = /\s*([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|[^\s]*)/y;
  let index = 0;
  while (index < text.length) {
    token.lastIndex = index;
    const match = token.exec(text);
    if (match === null) return text.slice(index).trim() === '' ? pairs : undefined;
    const [, key = '', raw = ''] = match;
    pairs[key] = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    index = token.lastIndex;
  }
  return pairs;
}

function escapeLine(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function unescapeLine(text: string): string {
  return text.replace(/\\(\\|n|r)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}
