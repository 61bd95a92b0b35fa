import type { ProcessFacts, UnreadableRecord } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import type { ConflictCopy } from '../scan/index.ts';
import type { BaseEntry } from '../state/index.ts';
import type { MarkChange, MarksPlan } from './threadMarks.ts';

/** Why an action is planned; src/cli and src/main each have a sentence for every code. */
export type ReasonCode =
  | 'new'
  | 'changed'
  | 'deleted'
  | 'restored'
  | 'edit-beats-delete'
  | 'appended'
  | 'merged-lines'
  | 'conflict-resolved'
  | 'equal-mtime-resolved'
  /** A conflict settled by the user's choice (keep mine, take theirs, keep both, merge lines). */
  | 'chosen'
  /** A file deleted because the other side made a folder of its name (backed up first). */
  | 'became-folder'
  /** A file below a folder deleted because the other side made a file of the folder's name (backed up first). */
  | 'became-file'
  /** A thread's other form (compressed .jsonl.zst or plain .jsonl) replaces this one: the same thread. */
  | 'form-changed'
  /** Both sides compressed the same thread into different bytes: the cloud's are taken. */
  | 'recompressed'
  /** A fork's version that gives way, kept as a thread of its own. */
  | 'fork-kept'
  /** A thread's old place in the cloud mirror, after this machine's Codex archived (or unarchived) it. */
  | 'archived'
  | 'unarchived';

/**
 * One write. `source`/`target` are the facts seen by the scan; apply re-checks them and
 * refuses to overwrite a file that changed since.
 */
export type Action =
  /**
   * `replaceThread`: a thread's rollout replaced here by a version that does not continue it; Codex drops the thread first
   * (`drops`: its file here, when that is at another path than the copy's).
   */
  | { kind: 'copy'; path: string; from: Side; to: Side; reason: ReasonCode; source: FileStat; target: FileStat | undefined; replaceThread?: true; drops?: { path: string; stat: FileStat } }
  /** `fork-kept`: a moved thread's old copy, kept under a fresh id beside it (a `keep` of the same run). */
  | { kind: 'delete'; path: string; side: Side; reason: 'deleted' | 'became-folder' | 'became-file' | 'archived' | 'unarchived' | 'form-changed' | 'fork-kept'; target: FileStat }
  | { kind: 'merge'; path: string; reason: 'merged-lines' | 'chosen'; local: FileStat; cloud: FileStat }
  /**
   * "Keep both": `from`'s version of `of` (the cloud's when absent) written as the new file `path`
   * on `sides`, before `of` is replaced. `rekey`: a fork's version that gives way, kept as a
   * thread of its own under a fresh id (in its first line and its name); `targets`: what is
   * already at `path` (left by a run killed while keeping it), replaced after a backup.
   */
  | {
      kind: 'keep';
      path: string;
      of: string;
      from?: Side;
      sides: Side[];
      reason: 'chosen' | 'fork-kept';
      source: FileStat;
      rekey?: { from: string; to: string };
      targets?: Partial<Record<Side, FileStat>>;
    };

export type ConflictKind =
  /** Changed on both machines since the last sync, differently. */
  | 'both-changed'
  /** Present on both sides, different, and this machine has never synced it. */
  | 'no-base'
  /** Different content with equal modification times, under equal_mtime_action = manual_abort. */
  | 'equal-mtime'
  /** Names that differ only in case: a case-insensitive folder (macOS, Windows) can hold only one. */
  | 'case'
  /** A file on one side, a folder on the other, and not one side's change of type alone. */
  | 'type'
  /** A thread each machine added turns to: both versions are kept, the one that gives way as a thread of its own. */
  | 'fork';

export interface Conflict {
  path: string;
  kind: ConflictKind;
  /** Undefined where the file is missing on that side (for a type conflict: where it is a folder). */
  local: FileStat | undefined;
  cloud: FileStat | undefined;
  /** A type conflict's files below the path on the side where it is a folder: left as they are too. */
  below?: string[];
  /** How a policy settled it, or undefined when the user must decide (manual_abort). */
  resolution: { winner: Side; by: string } | undefined;
  /** The user's choice for it, when a sync was given one (it overrides the policy). */
  chosen?: ConflictChoice;
}

/** The four answers to a conflict a person can give (the app per file; the CLI through conflict.policy). */
export type ConflictChoice = 'keep-local' | 'take-cloud' | 'keep-both' | 'merge-lines';

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
  baseRefreshes: Array<{ path: string; entry: BaseEntry }>;
  /** Paths deleted on both sides: their base entry goes. */
  baseForgets: string[];
  /**
   * Paths at or below an entry the scan skipped on a side (a link, a special file, an
   * unreadable folder): unknown there, so left as they are on both sides, base entries kept.
   */
  unknown: string[];
  /** Paths in sync and untouched. */
  unchanged: number;
  totals: Totals;
  /** Things the user should know that are not actions (a skipped symlink, a scope note). */
  notices: Notice[];
  /** A handoff that has not fully arrived in the cloud folder yet: an apply waits for it. */
  waiting: Waiting | undefined;
  /** Files the cloud client made when two machines wrote the same file. */
  conflictCopies: ConflictCopy[];
  /** Threads the other machine archived or unarchived: this machine's Codex moves them, before the copies. */
  threadMoves: ThreadMove[];
  /** Names and pins: the other machines' newer changes to make here, and this machine's that travel. */
  threadMarks: { incoming: MarkChange[]; outgoing: MarksPlan['outgoing'] };
  /** The plan's changes to threads, one per thread (filled in by the engine, which reads the rollouts). */
  threads: ThreadChange[];
}

/** What a run does to one thread, as people see it: "Fix the upload retry (src/app): +2 turns from laptop". */
export interface ThreadChange {
  id: string;
  /** Its name in Codex, else its first prompt, else its id. */
  title: string;
  /** The project folder it was started in (the rollout's cwd). */
  project: string | undefined;
  /**
   * new: a thread this side never had; continued: turns added on one side; replaced: the
   * other side's version is not a continuation of this one; forked: both sides added turns;
   * archived/unarchived: moved as Codex does; compressed/decompressed: stored in Codex's other
   * form, the same turns; deleted; marked: only its name or pin changed.
   */
  kind: 'new' | 'continued' | 'replaced' | 'forked' | 'archived' | 'unarchived' | 'compressed' | 'decompressed' | 'deleted' | 'marked' | 'changed';
  /** Where the change was made: this machine, or the cloud (another machine). */
  from: Side;
  /** That machine's name, when known. */
  machine: string | undefined;
  turnsAdded?: number;
  fork?: { sharedTurns: number; localTurns: number; cloudTurns: number };
  marks?: Array<{ mark: 'name' | 'pinned'; value: string | null | boolean; from: Side }>;
  /** The Codex version that started it. */
  cliVersion?: string;
  /** Its rollout files in this plan (shown with -v). */
  paths: string[];
}

/** A thread the other machine archived (or unarchived), moved here by this machine's Codex. */
export interface ThreadMove {
  thread: string;
  op: 'archive' | 'unarchive';
  /** The rollout's place on this machine now, and where Codex moves it (the other machine's new place). */
  from: string;
  to: string;
  /** The local file as scanned: Codex's move must leave exactly it at `to`. */
  local: FileStat;
  /** The base entry of `to` once moved, when the content is the same on both machines; else a copy of the other machine's content follows the move. */
  baseAfter: BaseEntry | undefined;
}

/** What of another machine's handoff has not arrived: the files left alone, and the records that cannot be read yet. */
export interface Waiting {
  /** The machine handing off, when a record names it. */
  from: string | undefined;
  /** Files listed by the newest record that are missing or not as listed, and cloud files no record accounts for. */
  paths: string[];
  /** Handoff records that cannot be read (still arriving, or damaged). */
  records: UnreadableRecord[];
}

/** What a plan tells beyond its actions; src/cli and src/main say each in their own words. */
export type Notice =
  /** `leftAlone`: synced or other-side files at or below it, left as they are on both sides. */
  | { code: 'skipped'; side: Side; path: string; why: 'symlink' | 'special file' | 'unreadable' | 'name is not valid UTF-8'; leftAlone: number }
  /** sync.session_mode = "last_date_only": from `latest` on, or every session when no folder is dated. */
  | { code: 'session-filter'; latest: string | undefined }
  | { code: 'cloud-root-missing'; root: string }
  /** Threads an apply pulls that Codex does not list yet: it asks this machine's Codex to add them, when one was found. */
  | { code: 'threads-not-listed'; count: number; codexFound: boolean }
  /** A thread whose plain and compressed rollouts differ in a way codexSync does not settle: both left as they are. */
  | { code: 'thread-forms-differ'; plain: string; compressed: string }
  /** Threads arrive from a machine whose Codex is newer than this machine's. */
  | { code: 'codex-behind'; machine: string | undefined; theirs: string; ours: string }
  /** A thread the other machine replaced (a fork settled there), left as it is here: no Codex found to drop this machine's version first. */
  | { code: 'thread-replace-waiting'; thread: string; path: string }
  /** A thread the other machine archived (unarchived), left as it is here: no Codex found to move it. */
  | { code: 'thread-move-waiting'; thread: string; op: 'archive' | 'unarchive'; path: string }
  /** A handoff record that cannot be read, in a run told to ignore the handoff records. */
  | { code: 'record-ignored'; record: UnreadableRecord }
  /** What the process guard would do in an apply (plan and dry runs only report it). */
  | { code: 'guard'; note: GuardNote };

/** What the process guard saw or would do, as data. */
export type GuardNote =
  | { kind: 'process-list-unreadable' }
  | { kind: 'would-refuse'; processes: ProcessFacts[]; closable: boolean }
  | { kind: 'would-ask'; request: TerminationRequest }
  | { kind: 'would-end'; processes: ProcessFacts[] }
  | { kind: 'ended'; processes: ProcessFacts[] };

/** The question before Codex is ended: which processes, and whether the CLI/TUI is among them. */
export interface TerminationRequest {
  processes: ProcessFacts[];
  /** The CLI/TUI runs (else only the background daemon, which holds Codex's databases open). */
  cli: boolean;
}
