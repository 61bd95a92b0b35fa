/** How a rollout is stored: plain JSON lines, or compressed by Codex (local_thread_store_compression). */
export type RolloutForm = 'jsonl' | 'jsonl.zst';

/** One turn of a thread: what the user asked, and when the turn began. */
export interface TurnSummary {
  /** 0 for the thread's first turn. */
  index: number;
  /** The user's prompt on one line, at most 200 characters; '' when the turn has none (an image only, an interrupted start). */
  prompt: string;
  /** The timestamp of the line that began the turn (ISO 8601, as Codex wrote it). */
  startedAt?: string;
}

/**
 * What codexSync knows of a thread from its rollout, small enough to keep for every thread in
 * the base state. Every string was read from untrusted bytes: text is made one line and cut,
 * other values are kept only when they have the expected shape.
 */
export interface ThreadSummary {
  /** session_meta.payload.id, the same as the id in the file's name. */
  id: string;
  cwd?: string;
  /** The Codex version that started the thread (session_meta.payload.cli_version). */
  cliVersion?: string;
  /** Who started it: "codex_exec", "codex-tui", "codex_vscode", ... */
  originator?: string;
  /** Codex's session source: "exec", "cli", "vscode", "subagent", ... */
  source?: string;
  /** When the thread began (session_meta.payload.timestamp, else its line's). */
  createdAt?: string;
  /** The timestamp of the last complete line that has one. */
  lastActivityAt?: string;
  /** The first user prompt, one line of at most 80 characters ('' when there is none): shown where the thread has no name. */
  title: string;
  turnCount: number;
  lastTurn?: TurnSummary;
  /** The rollout's length once decompressed. */
  bytes: number;
  /** The last line has no "\n" yet: Codex is still writing it, or the file has not fully arrived. */
  tornTail: boolean;
  /** Complete lines that are not JSON objects. */
  badLines: number;
  /** Lines longer than the reader's limit, skipped unread. */
  oversizedLines: number;
}

/** Why a rollout file is not (yet) a thread. */
export type NotAThread =
  /** The file's name is not `rollout-<time>-<id>.jsonl[.zst]`. */
  | { reason: 'name' }
  | { reason: 'empty' }
  /** The first line is still unfinished. */
  | { reason: 'incomplete' }
  /** The first line is not a session_meta line with a thread id. */
  | { reason: 'no-session-meta' }
  /** session_meta names another thread than the file's name. */
  | { reason: 'id-mismatch'; fileId: string; metaId: string };

/** Why a rollout's bytes could not be had. */
export type RolloutUnreadable =
  /** Longer than ReadLimits.maxBytes once decompressed (a zstd bomb, or a runaway file). */
  | { reason: 'too-large'; limit: number }
  /** Not valid zstd, or cut short. */
  | { reason: 'zst-damaged' }
  /** Gone since it was listed. */
  | { reason: 'missing' }
  | { reason: 'io'; code: string };

/** What one rollout file is, as data: a typed outcome, never an exception. */
export type RolloutOutcome = { kind: 'thread'; summary: ThreadSummary } | ({ kind: 'not-a-thread' } & NotAThread) | ({ kind: 'unreadable' } & RolloutUnreadable);

/** A rollout read in full: the outcome, with every turn when it is a thread. */
export type RolloutRead = { kind: 'thread'; summary: ThreadSummary; turns: TurnSummary[] } | Exclude<RolloutOutcome, { kind: 'thread' }>;

/** Whether every line of a thread's rollout was complete JSON. */
export function isWhole(summary: ThreadSummary): boolean {
  return !summary.tornTail && summary.badLines === 0 && summary.oversizedLines === 0;
}
