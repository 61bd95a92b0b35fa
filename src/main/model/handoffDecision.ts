import { formatBytes, plural } from '../../shared/format.ts';
import type { PlanFacts } from './planFacts.ts';

export type ReviewCode = 'conflicts' | 'deletions' | 'large' | 'deletion-guard' | 'arriving';

export interface ReviewReason {
  code: ReviewCode;
  text: string;
}

/** A hand-off of more than this is shown for review first, even without conflicts or deletions. */
export const LARGE_CHANGE = { files: 500, bytes: 200 * 1024 * 1024 } as const;

/** Why a plan should be looked at before it is applied; empty when "Hand off now" may just apply it. */
export function reviewReasons(facts: PlanFacts): ReviewReason[] {
  const reasons: ReviewReason[] = [];
  if (facts.arriving !== undefined) {
    reasons.push({ code: 'arriving', text: `${plural(facts.arriving.files, 'file')} from ${facts.arriving.from} have not fully arrived in the cloud folder yet` });
  }
  if (facts.conflicts > 0) reasons.push({ code: 'conflicts', text: `${plural(facts.conflicts, 'file')} changed on both machines` });
  const deletions = facts.deletesLocal + facts.deletesCloud;
  if (deletions > 0) reasons.push({ code: 'deletions', text: `${plural(deletions, 'file')} would be deleted` });
  if (facts.deletionWarning !== undefined) reasons.push({ code: 'deletion-guard', text: facts.deletionWarning });
  const files = facts.toLocal + facts.toCloud + facts.merges;
  if (files > LARGE_CHANGE.files || facts.bytes > LARGE_CHANGE.bytes) {
    reasons.push({ code: 'large', text: `a large change: ${plural(files, 'file')}, ${formatBytes(facts.bytes)}` });
  }
  return reasons;
}

export type HandoffDecision =
  | { kind: 'nothing' }
  /** Another machine's handoff is still arriving: nothing can be taken yet. */
  | { kind: 'wait'; from: string; files: number }
  | { kind: 'review'; reasons: ReviewReason[] }
  | { kind: 'apply'; files: number; bytes: number };

/** What "Hand off now" does with a fresh plan. */
export function decideHandoff(facts: PlanFacts): HandoffDecision {
  if (facts.arriving !== undefined) return { kind: 'wait', from: facts.arriving.from, files: facts.arriving.files };
  const reasons = reviewReasons(facts);
  if (reasons.length > 0) return { kind: 'review', reasons };
  if (facts.work === 0) return { kind: 'nothing' };
  return { kind: 'apply', files: facts.toLocal + facts.toCloud + facts.merges, bytes: facts.bytes };
}
