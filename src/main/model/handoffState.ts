import type { ReviewCode } from './handoffDecision.ts';
import type { PlanFacts } from './planFacts.ts';

export type BusyTask = 'handoff' | 'apply' | 'restore';

/** What the tray shows: one state at a time, each with only the facts it needs. */
export type HandoffState =
  /** handedOffAt: when this machine last handed off, where known (its own handoff record, or the hand-off just made). */
  | { kind: 'idle'; note: 'unknown' | 'in-sync' | 'handed-off' | 'left-different'; handedOffAt?: Date }
  /**
   * A hand-off is waiting: another machine's work to take, or this machine's to give; `arriving`
   * counts the files of another machine's hand-off that the cloud client has not brought in yet.
   */
  | { kind: 'waiting'; direction: 'incoming' | 'outgoing'; machine: string | undefined; arriving?: number }
  | { kind: 'busy'; task: BusyTask; done: number; total: number }
  /** Files changed on both machines; planId when a review window holds the plan. */
  | { kind: 'conflict'; count: number; planId: string | undefined }
  /** A plan waits in the review window (deletions, a large change). */
  | { kind: 'review'; planId: string; reasons: ReviewCode[] }
  | { kind: 'error'; message: string };

export type FinishedOutcome = 'applied' | 'partial' | 'in-sync' | 'conflicts' | 'cancelled' | 'changed' | 'restored';

export type HandoffEvent =
  | { type: 'start'; task: BusyTask }
  | { type: 'progress'; done: number; total: number }
  /** A plan made in the background (at login, on another machine's handoff record). */
  | { type: 'checked'; facts: PlanFacts; machine: string | undefined; handedOffAt?: Date }
  | { type: 'review'; planId: string; facts: PlanFacts; reasons: ReviewCode[] }
  | { type: 'finished'; outcome: FinishedOutcome; conflicts: number; message: string; at?: Date }
  | { type: 'failed'; message: string }
  | { type: 'review-closed' };

export const initialState: HandoffState = { kind: 'idle', note: 'unknown' };

export function isBusy(state: HandoffState): boolean {
  return state.kind === 'busy';
}

/** Pure: the state after an event. Events that do not apply in a state leave it as it is. */
export function nextState(state: HandoffState, event: HandoffEvent): HandoffState {
  switch (event.type) {
    case 'start':
      return state.kind === 'busy' ? state : { kind: 'busy', task: event.task, done: 0, total: 0 };
    case 'progress':
      return state.kind === 'busy' ? { ...state, done: event.done, total: event.total } : state;
    case 'checked':
      // A running task and a plan under review are not overruled by a check made beside them.
      if (state.kind === 'busy' || state.kind === 'review' || (state.kind === 'conflict' && state.planId !== undefined)) return state;
      // A check that cannot tell the time of the last hand-off keeps the one already known.
      return fromFacts(event.facts, event.machine, event.handedOffAt ?? (state.kind === 'idle' ? state.handedOffAt : undefined));
    case 'review':
      if (event.facts.conflicts > 0) return { kind: 'conflict', count: event.facts.conflicts, planId: event.planId };
      return { kind: 'review', planId: event.planId, reasons: event.reasons };
    case 'finished':
      switch (event.outcome) {
        case 'applied':
          return at(event.at, { kind: 'idle', note: 'handed-off' });
        case 'in-sync':
          return at(event.at, { kind: 'idle', note: 'in-sync' });
        // A restore is not a hand-off: the two sides may differ until the next check.
        case 'restored':
          return { kind: 'idle', note: 'unknown' };
        case 'conflicts':
          return { kind: 'conflict', count: event.conflicts, planId: undefined };
        case 'partial':
          return { kind: 'error', message: event.message };
        case 'cancelled':
        case 'changed':
          return { kind: 'idle', note: 'unknown' };
      }
      return state;
    case 'failed':
      return { kind: 'error', message: event.message };
    case 'review-closed':
      return state.kind === 'review' || (state.kind === 'conflict' && state.planId !== undefined) ? { kind: 'idle', note: 'unknown' } : state;
  }
}

/** What a plan says about the two machines, as a tray state. */
export function fromFacts(facts: PlanFacts, machine: string | undefined, handedOffAt?: Date): HandoffState {
  if (facts.unresolved > 0) return { kind: 'conflict', count: facts.unresolved, planId: undefined };
  if (facts.arriving !== undefined) return { kind: 'waiting', direction: 'incoming', machine: facts.arriving.from, arriving: facts.arriving.files };
  if (facts.toLocal + facts.merges + facts.deletesLocal > 0) return { kind: 'waiting', direction: 'incoming', machine };
  if (facts.toCloud + facts.deletesCloud > 0) return { kind: 'waiting', direction: 'outgoing', machine: undefined };
  // Never "in sync" while files differ, even on purpose.
  return at(handedOffAt, { kind: 'idle', note: facts.leftDifferent > 0 ? 'left-different' : 'in-sync' });
}

/** An idle state with the time of the last hand-off, when it is known. */
function at(handedOffAt: Date | undefined, state: Extract<HandoffState, { kind: 'idle' }>): HandoffState {
  return handedOffAt === undefined ? state : { ...state, handedOffAt };
}
