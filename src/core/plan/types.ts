import type { Side, FileStat } from '../scan/types.ts';
import type { BaseEntry } from '../state/base.ts';
import type { ConflictCopy } from '../scan/conflictCopies.ts';

/** Why an action is planned. Each code has one sentence in describeReason(). */
export type ReasonCode =
  | 'new'
  | 'changed'
  | 'deleted'
  | 'restored'
  | 'edit-beats-delete'
  | 'appended'
  | 'merged-lines'
  | 'conflict-resolved'
  | 'equal-mtime-resolved';

/**
 * One write. `source`/`target` are the facts seen by the scan; apply re-checks them and
 * refuses to overwrite a file that changed since.
 */
export type Action =
  | { kind: 'copy'; path: string; from: Side; to: Side; reason: ReasonCode; source: FileStat; target: FileStat | undefined }
  | { kind: 'delete'; path: string; side: Side; reason: 'deleted'; target: FileStat }
  | { kind: 'merge'; path: string; reason: 'merged-lines'; local: FileStat; cloud: FileStat };

export type ConflictKind =
  /** Changed on both machines since the last sync, differently. */
  | 'both-changed'
  /** Present on both sides, different, and this machine has never synced it. */
  | 'no-base'
  /** Different content with equal modification times, under equal_mtime_action = manual_abort. */
  | 'equal-mtime'
  /** Names that differ only in case: a case-insensitive folder (macOS, Windows) can hold only one. */
  | 'case';

export interface Conflict {
  path: string;
  kind: ConflictKind;
  /** Undefined where the file is missing on that side. */
  local: FileStat | undefined;
  cloud: FileStat | undefined;
  /** How a policy settled it, or undefined when the user must decide (manual_abort). */
  resolution: { winner: Side; by: string } | undefined;
}

/** A difference reported and deliberately left alone (equal_mtime_action = skip). */
export interface Skip {
  path: string;
  why: string;
  local: FileStat;
  cloud: FileStat;
}

export interface Totals {
  toCloud: { files: number; bytes: number };
  toLocal: { files: number; bytes: number };
  merges: number;
  deletesLocal: number;
  deletesCloud: number;
}

/** A plan is plain data: the CLI prints it, the app renders it, tests assert on it. */
export interface Plan {
  machineId: string;
  localRoot: string;
  cloudRoot: string;
  actions: Action[];
  conflicts: Conflict[];
  skips: Skip[];
  /** Paths already identical on both sides whose base entry must be (re)written. */
  records: Array<{ path: string; entry: BaseEntry }>;
  /** Paths deleted on both sides: their base entry goes. */
  forgets: string[];
  /** Paths in sync and untouched. */
  unchanged: number;
  totals: Totals;
  /** Things the user should know that are not actions (a skipped symlink, a scope note). */
  notices: string[];
  /** Files another machine handed off that have not fully arrived in the cloud folder yet. */
  waiting: { from: string; paths: string[] } | undefined;
  /** Files the cloud client made when two machines wrote the same file. */
  conflictCopies: ConflictCopy[];
}

export function describeReason(action: Action): string {
  const where = (side: Side): string => (side === 'local' ? 'this machine' : 'the cloud');
  switch (action.reason) {
    case 'new':
      return action.kind === 'copy' ? `new on ${where(action.from)}` : 'new';
    case 'changed':
      return action.kind === 'copy' ? `changed on ${where(action.from)}` : 'changed';
    case 'deleted':
      return action.kind === 'delete' ? `deleted on ${where(action.side === 'local' ? 'cloud' : 'local')}` : 'deleted';
    case 'restored':
      return action.kind === 'copy' ? `deleted on ${where(action.to)}; delete_policy = "never" brings it back` : 'restored';
    case 'edit-beats-delete':
      return action.kind === 'copy' ? `changed on ${where(action.from)} and deleted on ${where(action.to)}: the changed version is kept` : 'kept';
    case 'appended':
      return action.kind === 'copy' ? `appended to on ${where(action.from)} (the other side is a prefix of it)` : 'appended';
    case 'merged-lines':
      return 'changed on both sides: lines merged';
    case 'conflict-resolved':
      return action.kind === 'copy' ? `conflict settled by conflict.policy: ${where(action.from)} wins` : 'conflict settled';
    case 'equal-mtime-resolved':
      return action.kind === 'copy' ? `same time, different content: sync.equal_mtime_action takes ${where(action.from)}` : 'same time';
  }
}
