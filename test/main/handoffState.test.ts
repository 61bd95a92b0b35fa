import { describe, expect, it } from 'vitest';
import { decideHandoff, LARGE_CHANGE, reviewReasons } from '../../src/main/model/handoffDecision.ts';
import { statusLabel } from '../../src/main/model/trayMenu.ts';
import { fromFacts, initialState, isBusy, nextState, type HandoffEvent, type HandoffState } from '../../src/main/model/handoffState.ts';
import { facts } from './planFacts.ts';

const run = (events: HandoffEvent[], from: HandoffState = initialState): HandoffState => events.reduce(nextState, from);

describe('hand-off decision', () => {
  it('applies a plain plan at once, and says when there is nothing to do', () => {
    expect(decideHandoff(facts({ toCloud: 3, bytes: 4096, work: 3 }))).toEqual({ kind: 'apply', files: 3, bytes: 4096 });
    expect(decideHandoff(facts())).toEqual({ kind: 'nothing' });
    // Only base records to write (both sides already agree): still applied, silently.
    expect(decideHandoff(facts({ work: 2 }))).toEqual({ kind: 'apply', files: 0, bytes: 0 });
  });

  it('opens the review for conflicts, deletions, a large change and the deletion guard', () => {
    expect(decideHandoff(facts({ conflicts: 2, unresolved: 2, work: 0 }))).toEqual({ kind: 'review', reasons: [{ code: 'conflicts', text: '2 files changed on both machines' }] });
    expect(decideHandoff(facts({ deletesCloud: 1, work: 1 }))).toEqual({ kind: 'review', reasons: [{ code: 'deletions', text: '1 file would be deleted' }] });
    expect(decideHandoff(facts({ toLocal: LARGE_CHANGE.files + 1, bytes: 10, work: LARGE_CHANGE.files + 1 }))).toEqual({
      kind: 'review',
      reasons: [{ code: 'large', text: 'a large change: 501 files, 10 B' }],
    });
    expect(decideHandoff(facts({ toCloud: 1, bytes: LARGE_CHANGE.bytes + 1, work: 1 })).kind).toBe('review');
    expect(reviewReasons(facts({ deletesLocal: 9, deletionWarning: 'this run would delete 9 of 10 synced files', work: 9 })).map((r) => r.code)).toEqual(['deletions', 'deletion-guard']);
  });

  it("waits while another machine's handoff is still arriving", () => {
    expect(decideHandoff(facts({ toLocal: 2, work: 2, arriving: { from: 'desktop', files: 1 } }))).toEqual({ kind: 'wait', from: 'desktop', files: 1 });
  });
});

describe('hand-off state machine', () => {
  it('a hand-off that applies: busy with progress, then handed off', () => {
    const states: HandoffState[] = [];
    let state = initialState;
    for (const event of [
      { type: 'start', task: 'handoff' },
      { type: 'progress', done: 1, total: 3 },
      { type: 'progress', done: 3, total: 3 },
      { type: 'finished', outcome: 'applied', conflicts: 0, message: 'Done' },
    ] as HandoffEvent[]) {
      state = nextState(state, event);
      states.push(state);
    }
    expect(states).toEqual([
      { kind: 'busy', task: 'handoff', done: 0, total: 0 },
      { kind: 'busy', task: 'handoff', done: 1, total: 3 },
      { kind: 'busy', task: 'handoff', done: 3, total: 3 },
      { kind: 'idle', note: 'handed-off' },
    ]);
  });

  it('a second start while busy changes nothing, and progress outside a task is ignored', () => {
    const busy: HandoffState = { kind: 'busy', task: 'apply', done: 2, total: 5 };
    expect(nextState(busy, { type: 'start', task: 'restore' })).toBe(busy);
    expect(isBusy(busy)).toBe(true);
    expect(nextState(initialState, { type: 'progress', done: 1, total: 2 })).toBe(initialState);
  });

  it('a background check never overrules a running task or a plan under review', () => {
    const check: HandoffEvent = { type: 'checked', facts: facts({ toLocal: 1 }), machine: 'desktop' };
    for (const state of [
      { kind: 'busy', task: 'apply', done: 0, total: 1 },
      { kind: 'review', planId: 'p', reasons: ['deletions'] },
      { kind: 'conflict', count: 1, planId: 'p' },
    ] as HandoffState[]) {
      expect(nextState(state, check)).toBe(state);
    }
    expect(nextState({ kind: 'error', message: 'x' }, check)).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'desktop' });
  });

  it('a check tells incoming work, outgoing work, conflicts and agreement apart', () => {
    expect(fromFacts(facts({ toLocal: 1, toCloud: 1 }), 'desktop')).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'desktop' });
    expect(fromFacts(facts({ merges: 1 }), undefined)).toEqual({ kind: 'waiting', direction: 'incoming', machine: undefined });
    expect(fromFacts(facts({ deletesCloud: 1 }), 'desktop')).toEqual({ kind: 'waiting', direction: 'outgoing', machine: undefined });
    expect(fromFacts(facts({ unresolved: 2, conflicts: 2 }), 'desktop')).toEqual({ kind: 'conflict', count: 2, planId: undefined });
    expect(fromFacts(facts({ arriving: { from: 'desktop', files: 3 } }), undefined)).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'desktop', arriving: 3 });
    expect(fromFacts(facts(), 'desktop')).toEqual({ kind: 'idle', note: 'in-sync' });
    const at = new Date(2026, 10, 30, 10, 42);
    expect(fromFacts(facts(), 'desktop', at)).toEqual({ kind: 'idle', note: 'in-sync', handedOffAt: at });
  });

  it('keeps the time of the last hand-off: from the hand-off itself, and through a check that cannot tell it', () => {
    const at = new Date(2026, 10, 30, 10, 42);
    const handedOff = run([
      { type: 'start', task: 'handoff' },
      { type: 'finished', outcome: 'applied', conflicts: 0, message: 'Done', at },
    ]);
    expect(handedOff).toEqual({ kind: 'idle', note: 'handed-off', handedOffAt: at });
    expect(nextState(handedOff, { type: 'checked', facts: facts(), machine: undefined })).toEqual({ kind: 'idle', note: 'in-sync', handedOffAt: at });
    const later = new Date(2026, 10, 30, 11, 5);
    expect(nextState(handedOff, { type: 'checked', facts: facts(), machine: undefined, handedOffAt: later })).toEqual({ kind: 'idle', note: 'in-sync', handedOffAt: later });
    // Work waiting is news the time does not soften.
    expect(nextState(handedOff, { type: 'checked', facts: facts({ toLocal: 1 }), machine: 'desktop' })).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'desktop' });
  });

  it('is never "in sync" while files are left different on purpose', () => {
    const state = fromFacts(facts({ leftDifferent: 1 }), 'desktop');
    expect(state).toEqual({ kind: 'idle', note: 'left-different' });
    expect(statusLabel(state)).toBe('Nothing to hand off; some files are left different on purpose');
  });

  it('a hand-off that needs a review waits for it, and closing the review returns to ready', () => {
    const reviewing = run([
      { type: 'start', task: 'handoff' },
      { type: 'review', planId: 'p1', facts: facts({ deletesLocal: 2 }), reasons: ['deletions'] },
    ]);
    expect(reviewing).toEqual({ kind: 'review', planId: 'p1', reasons: ['deletions'] });
    expect(nextState(reviewing, { type: 'review-closed' })).toEqual({ kind: 'idle', note: 'unknown' });
    const conflicted = run([
      { type: 'start', task: 'handoff' },
      { type: 'review', planId: 'p2', facts: facts({ conflicts: 3, unresolved: 3 }), reasons: ['conflicts'] },
    ]);
    expect(conflicted).toEqual({ kind: 'conflict', count: 3, planId: 'p2' });
  });

  it('ends a task in the state its outcome says', () => {
    const after = (outcome: Extract<HandoffEvent, { type: 'finished' }>['outcome']): HandoffState =>
      run([
        { type: 'start', task: 'apply' },
        { type: 'finished', outcome, conflicts: 2, message: '1 not done' },
      ]);
    expect(after('in-sync')).toEqual({ kind: 'idle', note: 'in-sync' });
    // A restore is not a hand-off: nothing says the two sides agree until the next check.
    expect(after('restored')).toEqual({ kind: 'idle', note: 'unknown' });
    expect(after('conflicts')).toEqual({ kind: 'conflict', count: 2, planId: undefined });
    expect(after('partial')).toEqual({ kind: 'error', message: '1 not done' });
    expect(after('cancelled')).toEqual({ kind: 'idle', note: 'unknown' });
    expect(
      run([
        { type: 'start', task: 'apply' },
        { type: 'failed', message: 'Codex is running' },
      ]),
    ).toEqual({ kind: 'error', message: 'Codex is running' });
  });
});
