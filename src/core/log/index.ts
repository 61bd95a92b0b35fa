export { readDayLog } from './dayLog.ts';
export { localDate, logFileSet } from './files.ts';
export { createLogger, type Logger } from './logger.ts';
