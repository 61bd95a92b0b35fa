import type { DeletionStop } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import type { Plan } from '../plan/index.ts';

export interface DeletionFacts {
  plan: Plan;
  /** The paths this machine synced last time that are still in scope. */
  tracked: number;
  scans: ReadonlyArray<{ side: Side; root: string; files: ReadonlyMap<string, FileStat> }>;
  maxPercent: number;
}

/**
 * Stops an apply that would delete or empty more than max_delete_percent of the files this
 * machine synced, or that finds one side empty while the base says it had files: both are
 * what a half-synced or unmounted cloud folder looks like.
 */
export function deletionStop(facts: DeletionFacts): DeletionStop | undefined {
  const { plan, tracked, maxPercent } = facts;
  if (tracked === 0) return undefined;
  for (const scan of facts.scans) {
    if (scan.files.size === 0) return { kind: 'side-empty', side: scan.side, root: scan.root, tracked };
  }
  // A thread moved (archived, unarchived, compressed, kept under a fresh id) loses nothing: its content is written at its new place in the same run.
  const moved = new Set(['archived', 'unarchived', 'form-changed', 'fork-kept']);
  const destructive = plan.actions.filter((a) => (a.kind === 'delete' && !moved.has(a.reason)) || (a.kind === 'copy' && a.source.size === 0 && (a.target?.size ?? 0) > 0)).length;
  if (destructive > 0 && (destructive / tracked) * 100 > maxPercent) return { kind: 'large-deletion', destructive, tracked, maxPercent };
  return undefined;
}
