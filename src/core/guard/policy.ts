import type { ProcessFacts } from '../errors.ts';
import type { Platform } from '../platform.ts';
import type { TerminationRequest } from '../plan/index.ts';
import type { CodexProcess, ProcessSnapshot } from './classify.ts';

export interface GuardRules {
  platform: Platform;
  requireStopped: boolean;
  allowTerminate: boolean;
  /** manual_terminate_confirmation, or the command line's override for this run. */
  confirmation: 'manual' | 'auto';
}

export type GuardDecision =
  | { kind: 'clear' }
  /**
   * Codex runs and must be closed by the user: exit 3, nothing is terminated. `closable` is
   * false for what only the user can close (desktop app, an IDE, a marker), true when
   * codexSync may not end it (allow_terminate_if_running = false).
   */
  | { kind: 'refuse'; processes: ProcessFacts[]; closable: boolean }
  /** Codex runs and may be ended, after a yes to `request` when `ask`. */
  | { kind: 'terminate'; targets: CodexProcess[]; ask: boolean; request: TerminationRequest };

/** A Codex process as data for the words of a UI. */
export function factsOf(p: CodexProcess): ProcessFacts {
  return { pid: p.pid, kind: p.kind, name: p.program };
}

/**
 * The rules of codexsync 0.1.2, and what codexSync adds:
 * - the desktop app, an IDE's app-server or a marker (codex-windows-sandbox) means "Codex is
 *   still running": exit 3, nothing is terminated;
 * - a CLI/TUI may be ended after a confirmation (on Windows also without one, when
 *   manual confirmation is off); on macOS and Linux never without a confirmation;
 * - the managed background daemon, which holds Codex's databases open, may be stopped on
 *   every OS under the same confirmation rules.
 */
export function decideGuard(snapshot: ProcessSnapshot, rules: GuardRules): GuardDecision {
  const running = snapshot.codex;
  if (running.length === 0 || !rules.requireStopped) return { kind: 'clear' };
  const blocking = running.filter((p) => p.kind === 'desktop' || p.kind === 'ide-server' || p.kind === 'marker');
  if (blocking.length > 0) {
    return { kind: 'refuse', processes: blocking.map(factsOf), closable: false };
  }
  if (!rules.allowTerminate) return { kind: 'refuse', processes: running.map(factsOf), closable: true };
  const hasCli = running.some((p) => p.kind === 'cli');
  const ask = rules.confirmation === 'manual' || (hasCli && rules.platform !== 'windows');
  return { kind: 'terminate', targets: running, ask, request: { processes: running.map(factsOf), cli: hasCli } };
}
