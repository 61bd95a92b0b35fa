import type { Side } from './facts.ts';

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

/** A Codex process as a user would recognise it. */
export interface ProcessFacts {
  pid: number;
  /** What it is: cli, daemon, desktop, ide-server, marker. */
  kind: string;
  name: string;
}

/** Why a guard stopped an apply before any write (large deletion, or a side that looks unmounted). */
export type DeletionStop =
  /** One side has none of the files this machine synced last time. */
  | { kind: 'side-empty'; side: Side; root: string; tracked: number }
  /** More than max_delete_percent of the synced files would be deleted or emptied. */
  | { kind: 'large-deletion'; destructive: number; tracked: number; maxPercent: number };

/** What is wrong with a handoff record that cannot be read. */
export type RecordDamage =
  /** Not whole JSON: the cloud client is still writing it, or it is damaged. */
  | { kind: 'incomplete' }
  /** A field missing, of the wrong type, or unsafe (a sequence that is not a safe whole number, another machine's name). */
  | { kind: 'field'; field: string }
  /** A file entry with an unsafe path, an impossible size or no valid SHA-256. */
  | { kind: 'entry'; path: string; why: 'unsafe-path' | 'size' | 'sha256' };

/** A handoff record file that exists but cannot be read: the machine named by its file name, handoff-<machine>.json. */
export interface UnreadableRecord {
  machineId: string;
  name: string;
  damage: RecordDamage;
}

/**
 * An entry of the backup folder named like one of this machine's snapshots that a restore
 * did not take as "the newest snapshot", and why.
 */
export type IgnoredSnapshot =
  /** Not a readable snapshot; `why` is the damage ("has no manifest.jsonl"). */
  | { name: string; kind: 'damaged'; why: string }
  /** Neither a folder nor a .zip. */
  | { name: string; kind: 'not-a-snapshot' }
  /** Its manifest says another machine wrote it. */
  | { name: string; kind: 'other-machine'; machineId: string };

/**
 * What stopped a run, as data: the command line and the app each put it in their own words.
 * No problem names a command-line flag; `message` is for problems whose only data is a
 * sentence about a file (a config problem, a damaged snapshot).
 */
export type Problem =
  | { code: 'message'; text: string }
  | { code: 'config-invalid'; summary: string }
  | { code: 'config-missing'; path: string }
  | { code: 'home-missing'; root: string }
  | { code: 'home-unwritable'; root: string; why: string }
  | { code: 'cloud-unwritable'; root: string; why: string }
  | { code: 'disk-full'; path: string }
  | { code: 'base-damaged'; file: string }
  | { code: 'vanished-while-planning'; side: Side; path: string }
  /** Files another machine handed off have not fully arrived. `paths` names them when the copy found them. */
  | { code: 'arrival-pending'; from: string | undefined; count: number; paths: string[] | undefined }
  /** Files that changed (or went) on `side` between this run's scan and its copy of them: nothing was taken. */
  | { code: 'changed-during-run'; side: Side; count: number; paths: string[] }
  /** Handoff records that cannot be read: until they can, any file of the cloud folder may be part of a handoff that has not arrived. */
  | { code: 'record-unreadable'; records: UnreadableRecord[] }
  /** Another installation of codexSync (`otherHost`, from its handoff record or its lock) uses this machine's machine_id. */
  | { code: 'machine-id-shared'; machineId: string; thisHost: string; otherHost: string | undefined }
  | { code: 'deletion-stop'; stop: DeletionStop }
  | { code: 'unsafe-path'; path: string }
  | { code: 'codex-running'; processes: ProcessFacts[]; closable: boolean }
  | { code: 'termination-declined' }
  | { code: 'termination-timeout'; seconds: number; pids: number[] }
  | { code: 'codex-restarted' }
  | { code: 'process-list-unreadable'; why: string }
  | { code: 'lock-held'; machineId: string; host: string; pid: number; startedAt: string; expiresAt: string }
  | { code: 'lock-contended'; file: string }
  /** At the lock's path lies a folder, or a file that is no lock of codexSync's (not even a half-written one). */
  | { code: 'lock-unusable'; file: string; what: 'folder' | 'not-a-lock' }
  /** No snapshot of this machine to restore; `ignored` are those named like one that are not. */
  | { code: 'no-snapshot'; machineId: string; backupDir: string; ignored: IgnoredSnapshot[] }
  /** Restore "as it was at" a time before this machine's first readable snapshot. */
  | { code: 'no-snapshot-before'; machineId: string; backupDir: string; at: string; ignored: IgnoredSnapshot[] }
  | { code: 'snapshot-missing'; name: string; backupDir: string }
  | { code: 'snapshot-not-a-name'; name: string; backupDir: string }
  | { code: 'not-a-snapshot'; name: string; backupDir: string }
  | { code: 'snapshot-damaged'; name: string; why: string }
  | { code: 'choice-invalid'; path: string; choice: string; why: 'not-a-conflict' | 'not-offered' }
  /** codex.binary names no program this machine can start. */
  | { code: 'codex-binary-unusable'; path: string; why: 'missing' | 'not-a-file' | 'not-executable' }
  /** No rollout of this thread id on this machine or in the cloud folder (or the id is not one Codex makes). */
  | { code: 'thread-unknown'; id: string }
  /** First run: the machine name chosen is empty or not one config.toml accepts. */
  | { code: 'setup-machine-id'; value: string }
  /** First run: the cloud folder chosen lies inside the Codex home, or the Codex home inside it. */
  | { code: 'setup-nested'; cloudFolder: string; codexHome: string; inside: 'cloud-in-home' | 'home-in-cloud' }
  /** First run: the cloud folder chosen is not a folder this machine can write in. */
  | { code: 'setup-unwritable'; folder: string; why: 'missing' | 'not-a-folder' | 'refused' }
  /** First run: there is a config file already; setup never replaces one. */
  | { code: 'setup-config-exists'; path: string };

/**
 * An error a user can act on: a problem as data, and the exit code the replaced tool defined
 * for it. Anything else that escapes is a bug and is reported as a runtime error (exit 1).
 */
export class CodexSyncError extends Error {
  readonly exitCode: ExitCode;
  readonly problem: Problem;
  /** Further lines (every problem of a config) printed after the message. */
  readonly details: readonly string[];

  constructor(exitCode: ExitCode, problem: Problem, details: readonly string[] = []) {
    // The message is for logs and stack traces; a user reads the words src/cli or src/main make of `problem`.
    super(problem.code === 'message' ? problem.text : problem.code === 'config-invalid' ? problem.summary : `${problem.code} ${JSON.stringify(problem)}`);
    this.name = 'CodexSyncError';
    this.exitCode = exitCode;
    this.problem = problem;
    this.details = details;
  }
}

/** An error whose words are core's own (a file-level fact with nothing to decide on). */
export function plainError(exitCode: ExitCode, text: string, details: readonly string[] = []): CodexSyncError {
  return new CodexSyncError(exitCode, { code: 'message', text }, details);
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
  ENOTDIR: 'a file stands where its folder should be',
  ENOTEMPTY: 'a folder of that name is in the way and holds other files',
};

/** A file-system error in words, without Node's internal temp-file paths. */
export function describeFsError(error: unknown): string {
  if (isNodeError(error) && error.code !== undefined && error.code in fsErrors) return fsErrors[error.code] as string;
  return error instanceof Error ? error.message : String(error);
}
