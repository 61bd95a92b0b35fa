import { readdir, rename, rm } from 'node:fs/promises';
import { writeZip } from '../fs/index.ts';
import { basename, dirname, extname, join } from 'node:path';

/** Where a machine's daily log files go: `<dir>/<stem>-<machine>-YYYY-MM-DD[.N].log`. */
export interface LogFileSet {
  dir: string;
  /** The part before the date, e.g. "codexsync-laptop". */
  prefix: string;
}

export function logFileSet(logFile: string, machineId: string): LogFileSet {
  const stem = basename(logFile, extname(logFile));
  return { dir: dirname(logFile), prefix: `${stem}-${machineId}` };
}

export interface LogFileName {
  name: string;
  date: string;
  /** 0 for the day's first file, N for `.N`. */
  index: number;
  archived: boolean;
}

/** Parses a file name of this set; files of other machines or other stems never match. */
export function parseLogFileName(set: LogFileSet, name: string): LogFileName | undefined {
  if (!name.startsWith(`${set.prefix}-`)) return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log(\.zip)?$/.exec(name.slice(set.prefix.length + 1));
  if (match === null) return undefined;
  return { name, date: match[1] ?? '', index: Number(match[2] ?? 0), archived: match[3] !== undefined };
}

export async function listLogFiles(set: LogFileSet): Promise<LogFileName[]> {
  let names: string[];
  try {
    names = await readdir(set.dir);
  } catch {
    return [];
  }
  return names
    .map((name) => parseLogFileName(set, name))
    .filter((file): file is LogFileName => file !== undefined)
    .sort((a, b) => a.date.localeCompare(b.date) || a.index - b.index);
}

export function localDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export interface MaintenanceOptions {
  retentionDays: number;
  archiveMode: 'zip' | 'text';
  now: Date;
}

export interface MaintenanceResult {
  archived: string[];
  deleted: string[];
}

/**
 * Archives finished log files of this machine and deletes those past retention. A file is
 * finished when it is not the newest file of today: rotation only moves forward, so that
 * file is the one a running codexSync may still append to. Other machines' files (the
 * log folder is often in the synced workspace) are never touched.
 */
export async function maintainLogFiles(set: LogFileSet, options: MaintenanceOptions): Promise<MaintenanceResult> {
  const files = await listLogFiles(set);
  const today = localDate(options.now);
  const oldest = options.retentionDays > 0 ? localDate(addDays(options.now, -options.retentionDays)) : undefined;
  const todays = files.filter((file) => file.date === today && !file.archived);
  const active = todays.length === 0 ? undefined : todays[todays.length - 1];
  const result: MaintenanceResult = { archived: [], deleted: [] };
  const taken = new Set(files.map((file) => file.name));

  for (const file of files) {
    if (oldest !== undefined && file.date < oldest) {
      await rm(join(set.dir, file.name), { force: true });
      result.deleted.push(file.name);
    } else if (options.archiveMode === 'zip' && !file.archived && file !== active && file.date <= today) {
      const target = freeArchiveName(set, file, taken);
      taken.add(target);
      await zipLogFile(join(set.dir, file.name), join(set.dir, target));
      result.archived.push(file.name);
    }
  }
  return result;
}

/**
 * `x.log.zip`; where that is taken (the day's file was archived before and written to again), the
 * day's next free `.N.log.zip`: an archive is never replaced.
 */
function freeArchiveName(set: LogFileSet, file: LogFileName, taken: ReadonlySet<string>): string {
  if (!taken.has(`${file.name}.zip`)) return `${file.name}.zip`;
  for (let index = file.index + 1; ; index += 1) {
    const name = `${set.prefix}-${file.date}.${index}.log`;
    if (!taken.has(name) && !taken.has(`${name}.zip`)) return `${name}.zip`;
  }
}

/** Replaces `x.log` by `target` (`x.log.zip` unless said) holding it; the zip is complete before the log is removed. */
export async function zipLogFile(path: string, target = `${path}.zip`): Promise<string> {
  const partial = join(dirname(path), `.codexsync-${basename(target)}.partial`);
  await writeZip(partial, 9, (archive) => archive.file(path, { name: basename(path) }));
  await rename(partial, target);
  await rm(path, { force: true });
  return target;
}

function addDays(date: Date, days: number): Date {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}
