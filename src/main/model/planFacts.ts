import type { PlanResult } from '../../core/engine/index.ts';
import { unsettledConflicts } from '../../core/plan/index.ts';
import { deletionStopText } from '../service/words.ts';

/** The few numbers of a plan that the tray's decisions depend on. */
export interface PlanFacts {
  toLocal: number;
  toCloud: number;
  merges: number;
  deletesLocal: number;
  deletesCloud: number;
  /** Bytes a hand-off would copy, both ways. */
  bytes: number;
  conflicts: number;
  /** Conflicts no policy settled (conflict.policy = "manual_abort"). */
  unresolved: number;
  /** Anything at all to write: actions, base records, leftover temp files. */
  work: number;
  deletionWarning: string | undefined;
  /** Files the plan leaves different on purpose (equal_mtime_action = "skip", or unknown on a side). */
  leftDifferent: number;
  /** Another machine's handoff that has not fully arrived in the cloud folder: its files, and its handoff record when that cannot be read yet. */
  arriving: { from: string; files: number } | undefined;
}

export function planFacts(result: PlanResult): PlanFacts {
  const { plan } = result;
  const t = plan.totals;
  return {
    toLocal: t.toLocal.files,
    toCloud: t.toCloud.files,
    merges: t.merges,
    deletesLocal: t.deletesLocal,
    deletesCloud: t.deletesCloud,
    bytes: t.toLocal.bytes + t.toCloud.bytes,
    conflicts: plan.conflicts.length,
    unresolved: unsettledConflicts(plan).length,
    work: plan.actions.length + plan.baseRefreshes.length + plan.baseForgets.length + result.leftoverTemps.length + plan.conflictCopies.length,
    deletionWarning: result.deletionStop === undefined ? undefined : deletionStopText(result.deletionStop),
    leftDifferent: plan.skips.length + plan.unknown.length,
    arriving: plan.waiting === undefined ? undefined : { from: plan.waiting.from ?? 'another machine', files: plan.waiting.paths.length + plan.waiting.records.length },
  };
}
