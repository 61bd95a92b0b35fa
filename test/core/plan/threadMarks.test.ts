import { describe, expect, it } from 'vitest';
import { planMarks, type Marks, type MarksFile } from '../../../src/core/plan/threadMarks.ts';

const T = '01a22b1e-eaee-7150-9726-cda98745b7c0';
const marks = (name: string | null, pinned = false): Marks => ({ name, pinned });
const file = (machineId: string, threads: MarksFile['threads']): MarksFile => ({ machineId, threads });

describe('names and pins travel as the newest change', () => {
  it('a name given here since the last sync goes out, stamped above every stamp seen', () => {
    const plan = planMarks({
      machineId: 'laptop',
      current: new Map([[T, marks('Fix the upload retry')]]),
      base: new Map([[T, { name: null, pinned: false }]]),
      own: undefined,
      others: [file('desk', { [T]: { pinned: { value: false, stamp: 4 } } })],
    });
    expect(plan.outgoing).toEqual([{ thread: T, mark: 'name', value: 'Fix the upload retry' }]);
    expect(plan.incoming).toEqual([]);
    expect(plan.own.threads[T]).toEqual({ name: { value: 'Fix the upload retry', stamp: 5 }, pinned: { value: false, stamp: 4 } });
    expect(plan.base.get(T)).toEqual({ name: 'Fix the upload retry', pinned: false });
  });

  it("another machine's newer change is made here, and this machine's file takes its stamp (so it never goes back out as new)", () => {
    const plan = planMarks({
      machineId: 'desk',
      current: new Map([[T, marks(null)]]),
      base: new Map([[T, { name: null, pinned: false }]]),
      own: file('desk', {}),
      others: [file('laptop', { [T]: { name: { value: 'Fix the upload retry', stamp: 5 }, pinned: { value: true, stamp: 6 } } })],
    });
    expect(plan.incoming).toEqual([
      { thread: T, mark: 'name', value: 'Fix the upload retry', from: 'laptop' },
      { thread: T, mark: 'pinned', value: true, from: 'laptop' },
    ]);
    expect(plan.outgoing).toEqual([]);
    expect(plan.own.threads[T]).toEqual({ name: { value: 'Fix the upload retry', stamp: 5 }, pinned: { value: true, stamp: 6 } });
    expect(plan.base.get(T)).toEqual({ name: 'Fix the upload retry', pinned: true });
  });

  it('a change this machine already took is not taken again; a change made after it is (by stamp, not by clock)', () => {
    const settled = { own: file('desk', { [T]: { name: { value: 'A', stamp: 5 } } }), base: new Map([[T, { name: 'A' }]]) };
    const again = planMarks({ machineId: 'desk', current: new Map([[T, marks('A')]]), ...settled, others: [file('laptop', { [T]: { name: { value: 'A', stamp: 5 } } })] });
    expect(again.incoming).toEqual([]);
    expect(again.outgoing).toEqual([]);
    const later = planMarks({ machineId: 'desk', current: new Map([[T, marks('A')]]), ...settled, others: [file('laptop', { [T]: { name: { value: 'B', stamp: 7 } } })] });
    expect(later.incoming).toEqual([{ thread: T, mark: 'name', value: 'B', from: 'laptop' }]);
  });

  it('both machines renamed: the one made after seeing the other wins; equal stamps go to the higher machine id', () => {
    // desk renamed after it had seen laptop's stamp 5: its stamp is 6 and beats laptop's 5.
    const desk = planMarks({
      machineId: 'desk',
      current: new Map([[T, marks('Desk name')]]),
      base: new Map([[T, { name: 'Old' }]]),
      own: file('desk', { [T]: { name: { value: 'Old', stamp: 4 } } }),
      others: [file('laptop', { [T]: { name: { value: 'Laptop name', stamp: 5 } } })],
    });
    expect(desk.own.threads[T]?.name).toEqual({ value: 'Desk name', stamp: 6 });
    expect(desk.incoming).toEqual([]);
    const tie = planMarks({
      machineId: 'studio',
      current: new Map([[T, marks('Old')]]),
      base: new Map([[T, { name: 'Old' }]]),
      own: undefined,
      others: [file('desk', { [T]: { name: { value: 'From desk', stamp: 6 } } }), file('laptop', { [T]: { name: { value: 'From laptop', stamp: 6 } } })],
    });
    expect(tie.incoming).toEqual([{ thread: T, mark: 'name', value: 'From laptop', from: 'laptop' }]);
  });

  it('a thread this machine does not have yet keeps its marks in the file for later, and nothing is asked of Codex', () => {
    const plan = planMarks({ machineId: 'desk', current: new Map(), base: new Map(), own: undefined, others: [file('laptop', { [T]: { pinned: { value: true, stamp: 3 } } })] });
    expect(plan.incoming).toEqual([]);
    expect(plan.own.threads[T]).toEqual({ pinned: { value: true, stamp: 3 } });
    expect(plan.base.has(T)).toBe(false);
  });

  it('a first sync with no base: a thread named here before goes out; one named the same on both sides is no change', () => {
    const plan = planMarks({
      machineId: 'desk',
      current: new Map([
        [T, marks('Mine')],
        ['01a22b1e-f0b3-72b0-9814-6b4a8cb86a23', marks('Same')],
      ]),
      base: new Map(),
      own: undefined,
      others: [file('laptop', { '01a22b1e-f0b3-72b0-9814-6b4a8cb86a23': { name: { value: 'Same', stamp: 2 } } })],
    });
    expect(plan.outgoing).toEqual([{ thread: T, mark: 'name', value: 'Mine' }]);
    expect(plan.incoming).toEqual([]);
  });
});
