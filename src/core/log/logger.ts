import type { LogFormat, LogLevel } from '../config/index.ts';
import { logFileSet, maintainLogFiles, type LogFileSet } from './files.ts';
import { levels } from './levels.ts';
import { localTimestamp, type FieldValue, type LogRecord } from './record.ts';
import type { Backend } from './winstonBackend.ts';

export type Fields = Record<string, FieldValue>;

/** The logging interface the engine uses; winston stays behind it. */
export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warning(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  /** Flushes every line to disk and archives what rotation finished. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  machineId: string;
  level: LogLevel;
  format: LogFormat;
  /** logging.file, resolved: daily files are written beside it. Omit for no file. */
  file?: {
    path: string;
    maxFileSizeMb: number;
    retentionDays: number;
    archiveMode: 'zip' | 'text';
  };
  /** Lines at or above this level also go to the console stream (stderr by default). */
  console?: { level: LogLevel; stream?: NodeJS.WritableStream };
  now?: () => Date;
}

/**
 * A logger whose winston side loads with its first line: a plan that logs nothing (most
 * runs of `plan` and the login check) does not pay for loading winston. Lines
 * logged meanwhile wait, in order, with the time they were logged.
 */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  // Maintenance runs one at a time, after each rotation, so two runs never zip one file.
  let maintenance: Promise<unknown> = Promise.resolve();
  const set: LogFileSet | undefined = options.file === undefined ? undefined : logFileSet(options.file.path, options.machineId);
  const maintain = (): void => {
    if (set === undefined || options.file === undefined) return;
    const files = set;
    const file = options.file;
    maintenance = maintenance
      .then(() => maintainLogFiles(files, { retentionDays: file.retentionDays, archiveMode: file.archiveMode, now: now() }))
      .catch((error: unknown) => {
        process.stderr.write(`codexsync: could not archive old log files in ${files.dir}: ${String(error)}\n`);
      });
  };
  maintain();

  // The most detailed level any destination takes: lines beyond it are dropped here.
  const threshold = lowestOf(options.level, options.console?.level);
  let backend: Backend | undefined;
  let loading: Promise<void> | undefined;
  const waiting: LogRecord[] = [];
  const load = (): Promise<void> =>
    import('./winstonBackend.ts').then(
      ({ winstonBackend }) => {
        backend = winstonBackend(options, threshold, set, maintain);
        for (const line of waiting.splice(0)) backend.write(line);
      },
      (error: unknown) => {
        process.stderr.write(`codexsync: logging is unavailable (${String(error)}); ${waiting.length} line(s) not written\n`);
        waiting.length = 0;
      },
    );

  const log =
    (level: LogLevel) =>
    (message: string, fields: Fields = {}) => {
      if (levels[level] > levels[threshold]) return;
      const line: LogRecord = { time: localTimestamp(now()), level, message, fields };
      if (backend !== undefined) return backend.write(line);
      waiting.push(line);
      loading ??= load();
    };
  let closing: Promise<void> | undefined;
  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    warning: log('WARNING'),
    error: log('ERROR'),
    close() {
      closing ??= (async () => {
        await loading;
        await backend?.end();
        await maintenance;
      })();
      return closing;
    },
  };
}

function lowestOf(a: LogLevel, b: LogLevel | undefined): LogLevel {
  if (b === undefined) return a;
  return levels[a] >= levels[b] ? a : b;
}
