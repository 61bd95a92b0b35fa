/**
 * What went wrong talking to Codex's app-server, as data. Codex is another program: its
 * output is untrusted, and every way it can fail a call is one of these, never an exception.
 */
export type CodexFailure =
  /** The program could not be started at all (not found, no permission). */
  | { kind: 'spawn-failed'; binary: string; why: string }
  /**
   * Codex's one-time import of rollout files was interrupted (a Codex killed during its first
   * start): it refuses to start until its lease runs out (about 15 minutes).
   */
  | { kind: 'backfill-running'; codexHome: string; stderr: string }
  /** The app-server serves another Codex home than the one asked for. */
  | { kind: 'home-mismatch'; expected: string; reported: string }
  /** The process ended while `method` waited for its answer (or before the handshake). */
  | { kind: 'exited'; method: string; code: number | null; signal: string | null; stderr: string }
  | { kind: 'timeout'; method: string; ms: number }
  /** Codex answered `method` with a JSON-RPC error. */
  | { kind: 'rpc-error'; method: string; code: number; message: string }
  /** Codex's answer to `method` is not the shape this version of codexSync relies on. */
  | { kind: 'bad-response'; method: string; issue: string }
  /** A line on the app-server's output that is not a JSON-RPC message: the connection is given up. */
  | { kind: 'bad-output'; method: string; sample: string }
  /** The connection was closed by codexSync before `method` was answered. */
  | { kind: 'closed'; method: string };

export type CodexResult<T> = { ok: true; value: T } | { ok: false; failure: CodexFailure };

export const succeeded = <T>(value: T): CodexResult<T> => ({ ok: true, value });
export const failed = <T>(failure: CodexFailure): CodexResult<T> => ({ ok: false, failure });

/** At most this many characters of another program's text go into a failure. */
export const SAMPLE_MAX = 2000;

export function sample(text: string, max = SAMPLE_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
