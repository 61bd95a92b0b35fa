import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { LogFormat, LogLevel } from '../config/schema.ts';
import { logFileSet, maintainLogFiles, type LogFileSet } from './files.ts';
import { formatRecord, localTimestamp, type FieldValue } from './record.ts';

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

const levels: Record<LogLevel, number> = { ERROR: 0, WARNING: 1, INFO: 2, DEBUG: 3 };

export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? (() => new Date());
  const line = winston.format((info) => {
    const { level, message, [Symbol.for('level')]: _l, [Symbol.for('message')]: _m, ...fields } = info;
    (info as Record<symbol, unknown>)[Symbol.for('message')] = formatRecord(options.format, {
      time: localTimestamp(now()),
      level: level as LogLevel,
      message: String(message),
      fields: fields as Fields,
    });
    return info;
  });

  const transports: winston.transport[] = [];
  // Maintenance runs one at a time, after each rotation, so two runs never zip one file.
  let maintenance: Promise<unknown> = Promise.resolve();
  let set: LogFileSet | undefined;
  let fileTransport: DailyRotateFile | undefined;
  if (options.file !== undefined) {
    set = logFileSet(options.file.path, options.machineId);
    const file = options.file;
    const maintain = (): void => {
      if (set === undefined) return;
      const files = set;
      maintenance = maintenance
        .then(() => maintainLogFiles(files, { retentionDays: file.retentionDays, archiveMode: file.archiveMode, now: now() }))
        .catch((error: unknown) => {
          process.stderr.write(`codexsync: could not archive old log files in ${files.dir}: ${String(error)}\n`);
        });
    };
    fileTransport = new DailyRotateFile({
      dirname: set.dir,
      filename: `${set.prefix}-%DATE%`,
      extension: '.log',
      datePattern: 'YYYY-MM-DD',
      maxSize: Math.max(1, Math.round(file.maxFileSizeMb * 1024 * 1024)),
      level: options.level,
      eol: '\n',
    });
    fileTransport.on('rotate', maintain);
    transports.push(fileTransport);
    maintain();
  }
  if (options.console !== undefined) {
    transports.push(
      new winston.transports.Stream({ stream: options.console.stream ?? process.stderr, level: options.console.level, eol: '\n' }),
    );
  }

  const logger = winston.createLogger({
    levels,
    level: lowestOf(options.level, options.console?.level),
    format: line(),
    transports: transports.length > 0 ? transports : [new winston.transports.Console({ silent: true })],
    exitOnError: false,
  });
  logger.on('error', () => undefined);

  const log = (level: LogLevel) => (message: string, fields: Fields = {}) => {
    logger.log(level, message, fields);
  };
  let closing: Promise<void> | undefined;
  return {
    debug: log('DEBUG'),
    info: log('INFO'),
    warning: log('WARNING'),
    error: log('ERROR'),
    close() {
      closing ??= (async () => {
        const finished = new Promise<void>((resolvePromise) => {
          if (fileTransport === undefined) return resolvePromise();
          const stream = (fileTransport as unknown as { logStream: NodeJS.EventEmitter }).logStream;
          stream.once('finish', () => resolvePromise());
          stream.once('close', () => resolvePromise());
        });
        logger.end();
        await finished;
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
