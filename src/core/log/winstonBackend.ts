import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { LogLevel } from '../config/index.ts';
import { levels } from './levels.ts';
import type { LoggerOptions } from './logger.ts';
import { formatRecord, type LogRecord } from './record.ts';

export interface Backend {
  write(line: LogRecord): void;
  /** Ends the streams; resolves when every line is on disk. */
  end(): Promise<void>;
}

const lineKey = Symbol('codexsync line');

/** winston with a daily rotating file and a console stream, writing lines formatted by formatRecord. */
export function winstonBackend(options: LoggerOptions, threshold: LogLevel, fileDir: { dir: string; prefix: string } | undefined, onRotate: () => void): Backend {
  const line = winston.format((info) => {
    const record = (info as unknown as Record<symbol, LogRecord>)[lineKey] as LogRecord;
    (info as Record<symbol, unknown>)[Symbol.for('message')] = formatRecord(options.format, record);
    return info;
  });

  const transports: winston.transport[] = [];
  let fileTransport: DailyRotateFile | undefined;
  if (options.file !== undefined && fileDir !== undefined) {
    fileTransport = new DailyRotateFile({
      dirname: fileDir.dir,
      filename: `${fileDir.prefix}-%DATE%`,
      extension: '.log',
      datePattern: 'YYYY-MM-DD',
      maxSize: Math.max(1, Math.round(options.file.maxFileSizeMb * 1024 * 1024)),
      level: options.level,
      eol: '\n',
    });
    fileTransport.on('rotate', onRotate);
    transports.push(fileTransport);
  }
  if (options.console !== undefined) {
    transports.push(new winston.transports.Stream({ stream: options.console.stream ?? process.stderr, level: options.console.level, eol: '\n' }));
  }
  const logger = winston.createLogger({
    levels,
    level: threshold,
    format: line(),
    transports: transports.length > 0 ? transports : [new winston.transports.Console({ silent: true })],
    exitOnError: false,
  });
  logger.on('error', () => undefined);

  return {
    write(record) {
      logger.log({ level: record.level, message: record.message, [lineKey]: record });
    },
    end() {
      const finished = new Promise<void>((resolvePromise) => {
        if (fileTransport === undefined) return resolvePromise();
        const stream = (fileTransport as unknown as { logStream: NodeJS.EventEmitter }).logStream;
        stream.once('finish', () => resolvePromise());
        stream.once('close', () => resolvePromise());
      });
      logger.end();
      return finished;
    },
  };
}
