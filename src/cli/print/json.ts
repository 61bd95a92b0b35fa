import type { PlanResult, SyncResult } from '../../core/engine/index.ts';
import { deletionStopText, failureText, noticeText } from './words.ts';

/** The machine-readable form of a plan for --json: plain data, times as ISO strings too. */
export function planJson(result: PlanResult): Record<string, unknown> {
  return {
    // Notices in words, as the text output shows them; the rest of the plan as data.
    plan: { ...result.plan, notices: result.plan.notices.map(noticeText) },
    leftoverTemps: result.leftoverTemps,
    deletionWarning: result.deletionStop === undefined ? null : deletionStopText(result.deletionStop),
    scope: result.scope,
    handoff: result.handoff,
    codex: result.guard.decision.kind === 'clear' ? 'closed' : 'running',
  };
}

export function syncJson(result: SyncResult): Record<string, unknown> {
  return {
    mode: result.mode,
    status: result.status,
    // True only when nothing differs between the two sides once the run is over.
    inSync: result.inSync,
    ...planJson(result),
    applied: result.apply?.applied ?? 0,
    failures: (result.apply?.failures ?? []).map((failure) => ({ path: failure.path, message: failureText(failure), safety: failure.safety })),
    bytes: result.apply?.bytes ?? 0,
    snapshot: result.snapshot ?? null,
    pruned: result.pruned,
    catalogue: result.catalogue ?? null,
  };
}
