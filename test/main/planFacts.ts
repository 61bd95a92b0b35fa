import type { PlanFacts } from '../../src/main/model/planFacts.ts';

/** The facts of an empty plan, with what a test sets. */
export const facts = (over: Partial<PlanFacts> = {}): PlanFacts => ({
  toLocal: 0,
  toCloud: 0,
  merges: 0,
  deletesLocal: 0,
  deletesCloud: 0,
  bytes: 0,
  conflicts: 0,
  unresolved: 0,
  work: 0,
  leftDifferent: 0,
  deletionWarning: undefined,
  arriving: undefined,
  ...over,
});
