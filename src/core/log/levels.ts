import type { LogLevel } from '../config/index.ts';

/** Lower is more severe: a line is written when its level is at most the threshold's. */
export const levels: Record<LogLevel, number> = { ERROR: 0, WARNING: 1, INFO: 2, DEBUG: 3 };
