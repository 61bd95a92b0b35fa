import type { PlanResult, SyncResult } from '../../core/engine/sync.ts';

/** The machine-readable form of a plan for --json: plain data, times as ISO strings too. */
export function planJson(result: PlanResult): Record<string, unknown> {
  return {
    plan: result.plan,
    leftoverTemps: result.leftoverTemps,
    deletionWarning: result.deletionWarning ?? null,
    scope: result.scope,
    handoff: result.handoff,
    codex: result.guard.decision.kind === 'clear' ? 'closed' : 'running',
  };
}

export function syncJson(result: SyncResult): Record<string, unknown> {
  return {
    mode: result.mode,
    status: result.status,
    ...planJson(result),
    applied: result.apply?.applied ?? 0,
    failures: result.apply?.failures ?? [],
    bytes: result.apply?.bytes ?? 0,
    snapshot: result.snapshot ?? null,
    pruned: result.pruned,
    catalogue: result.catalogue ?? null,
  };
}
