import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listLogFiles, localDate, logFileSet, type LogFileSet } from './files.ts';
import { parseLogLine, type FieldValue } from './record.ts';
import type { LogLevel } from '../config/index.ts';
import { readZip } from '../fs/index.ts';

export interface DayLogLine {
  file: string;
  /** Line number within its file, from 1. */
  n: number;
  time?: string;
  /** Undefined for a line in none of the three formats, kept as it is. */
  level?: LogLevel;
  message: string;
  fields: Record<string, FieldValue>;
}

export interface DayLog {
  date: string;
  dir: string;
  files: string[];
  lines: DayLogLine[];
}

/** Every line this machine logged on one day (default today), from its daily files in order, zipped ones too. */
export async function readDayLog(logFile: string, machineId: string, date: string = localDate(new Date())): Promise<DayLog> {
  const set = logFileSet(logFile, machineId);
  const files = (await listLogFiles(set)).filter((file) => file.date === date);
  const lines: DayLogLine[] = [];
  for (const file of files) {
    const text = await readLogText(set, file.name, file.archived);
    text.split('\n').forEach((raw, index) => {
      if (raw.trim() === '') return;
      const record = parseLogLine(raw);
      lines.push(
        record === undefined
          ? { file: file.name, n: index + 1, message: raw, fields: {} }
          : { file: file.name, n: index + 1, time: record.time, level: record.level, message: record.message, fields: record.fields },
      );
    });
  }
  return { date, dir: set.dir, files: files.map((f) => f.name), lines };
}

async function readLogText(set: LogFileSet, name: string, archived: boolean): Promise<string> {
  const path = join(set.dir, name);
  if (!archived) return readFile(path, 'utf8');
  const entries = await readZip(path);
  return [...entries.values()].map((bytes) => bytes.toString('utf8')).join('\n');
}
