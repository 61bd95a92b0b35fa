import type { Platform } from '../platform.ts';
import { describeProcess, type CodexProcess, type ProcessSnapshot } from './classify.ts';

export interface GuardRules {
  platform: Platform;
  requireStopped: boolean;
  allowTerminate: boolean;
  /** manual_terminate_confirmation, or the command line's override for this run. */
  confirmation: 'manual' | 'auto';
}

export type GuardDecision =
  | { kind: 'clear' }
  /** Codex runs and must be closed by the user: exit 3, nothing is terminated. */
  | { kind: 'refuse'; reason: string }
  /** Codex runs and may be ended, after a yes to `question` when `ask`. */
  | { kind: 'terminate'; targets: CodexProcess[]; ask: boolean; question: string };

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
    return { kind: 'refuse', reason: `Codex is still running (${blocking.map(describeProcess).join(', ')}): close it and run again` };
  }
  if (!rules.allowTerminate) {
    return { kind: 'refuse', reason: `Codex is running (${running.map(describeProcess).join(', ')}): close it and run again` };
  }
  const hasCli = running.some((p) => p.kind === 'cli');
  const ask = rules.confirmation === 'manual' || (hasCli && rules.platform !== 'windows');
  const what = hasCli
    ? `Codex is running (${running.map(describeProcess).join(', ')}). Terminate it and continue?`
    : `Codex's background daemon is running (${running.map(describeProcess).join(', ')}) and holds Codex's databases open. Stop it and continue?`;
  return { kind: 'terminate', targets: running, ask, question: `${what} [y/N] ` };
}

export function isYes(answer: string): boolean {
  return /^\s*(y|yes)\s*$/i.test(answer);
}
