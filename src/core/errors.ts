/** Exit codes of codexsync 0.1.2, kept exactly so that users' scripts keep working. */
export const ExitCode = {
  ok: 0,
  runtimeError: 1,
  conflict: 2,
  codexRunning: 3,
  invalidInput: 4,
  safeAbort: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error a user can act on: a one-line message that says what is wrong and what to do,
 * and the exit code the replaced tool defined for it. Anything else that escapes is a bug
 * and is reported as a runtime error (exit 1).
 */
export class CodexSyncError extends Error {
  readonly exitCode: ExitCode;
  /** Further lines (every problem of a config, every conflict) printed after the message. */
  readonly details: readonly string[];

  constructor(exitCode: ExitCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'CodexSyncError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

export function isNodeError(error: unknown, code?: string): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error && (code === undefined || (error as NodeJS.ErrnoException).code === code);
}

const fsErrors: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EBUSY: 'the file is in use',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long for this file system',
  ENOENT: 'it disappeared',
  EIO: 'input/output error',
};

/** A file-system error in words, without Node's internal temp-file paths. */
export function describeFsError(error: unknown): string {
  if (isNodeError(error) && error.code !== undefined && error.code in fsErrors) return fsErrors[error.code] as string;
  return error instanceof Error ? error.message : String(error);
}
