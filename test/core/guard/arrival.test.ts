import { describe, expect, it } from 'vitest';
import { checkArrival, ownListingsNeeded, verifyArrival, type Arrival } from '../../../src/core/guard/index.ts';
import type { HandoffRecord } from '../../../src/core/handoff/index.ts';
import type { BaseEntry } from '../../../src/core/state/index.ts';

const h = (c: string): string => c.repeat(64);
const record = (machineId: string, sequence: number, files: Record<string, { size: number; sha256: string }>): HandoffRecord => ({
  format: 'codexsync-handoff',
  version: 1,
  machineId,
  createdAt: '2026-11-25T00:00:00.000Z',
  sequence,
  codexsync: '0.2.0',
  files: new Map(Object.entries(files)),
});
const entry = (size: number, sha256: string, cloudMtimeMs: number): BaseEntry => ({ size, sha256, localMtimeMs: cloudMtimeMs, cloudMtimeMs });

function arrival(facts: {
  records?: HandoffRecord[];
  local?: Record<string, [number, number]>;
  cloud?: Record<string, [number, number]>;
  base?: Record<string, BaseEntry>;
  handoffSeen?: { machineId: string; sequence: number };
}): Arrival {
  const stats = (files: Record<string, [number, number]> = {}) => new Map(Object.entries(files).map(([path, [size, mtimeMs]]) => [path, { size, mtimeMs }]));
  return checkArrival({
    read: { records: facts.records ?? [], unreadable: [] },
    machineId: 'laptop',
    local: stats(facts.local),
    cloud: stats(facts.cloud),
    base: new Map(Object.entries(facts.base ?? {})),
    handoffSeen: facts.handoffSeen,
    inScope: () => true,
  });
}

describe('what of the cloud folder has arrived, from stats alone', () => {
  it('no record at all (just moved from 0.1.2): every cloud file is taken as it is', () => {
    expect(arrival({ cloud: { x: [3, 1] } })).toMatchObject({ pending: [], accountedBy: new Map() });
  });

  it('a file as this machine last synced it is never read, unless the awaited record lists other bytes', () => {
    const base = { x: entry(3, h('1'), 10) };
    expect(arrival({ records: [record('laptop', 1, {})], cloud: { x: [3, 10] }, local: { x: [3, 10] }, base })).toMatchObject({ pending: [], accountedBy: new Map() });
    expect(arrival({ records: [record('desk', 2, { x: { size: 3, sha256: h('1') } })], cloud: { x: [3, 10] }, base }).pending).toEqual([]);
    expect(arrival({ records: [record('desk', 2, { x: { size: 3, sha256: h('2') } })], cloud: { x: [3, 10] }, base }).pending).toEqual(['x']);
  });

  it('a handoff this machine took in full (its base says so) is not awaited again: its run stopped before its own record', () => {
    const records = [record('desk', 2, { x: { size: 3, sha256: h('1') } })];
    const pushedOver = { records, cloud: { x: [5, 10] as [number, number] }, local: { x: [5, 10] as [number, number] }, base: { x: entry(5, h('2'), 10) } };
    expect(arrival(pushedOver)).toMatchObject({ from: 'desk', pending: ['x'] });
    expect(arrival({ ...pushedOver, handoffSeen: { machineId: 'desk', sequence: 2 } })).toMatchObject({ from: undefined, pending: [] });
    // Another machine's record of the same sequence was not taken.
    expect(arrival({ ...pushedOver, handoffSeen: { machineId: 'studio', sequence: 2 } })).toMatchObject({ from: 'desk', pending: ['x'] });
  });

  it('a listed file missing from the cloud is pending, unless this machine deleted it too (its own run carried the deletion)', () => {
    const records = [record('desk', 2, { x: { size: 3, sha256: h('1') } })];
    expect(arrival({ records, local: { x: [3, 10] }, base: { x: entry(3, h('1'), 10) } }).pending).toEqual(['x']);
    expect(arrival({ records }).pending).toEqual(['x']);
    expect(arrival({ records, base: { x: entry(3, h('1'), 10) } }).pending).toEqual([]);
  });

  it('a changed cloud file: the size tells what cannot account for it; what can is left to its hash', () => {
    const records = [record('desk', 2, { x: { size: 3, sha256: h('1') } }), record('laptop', 3, { y: { size: 5, sha256: h('2') } })];
    const result = arrival({ records, cloud: { x: [3, 20], y: [5, 20], z: [4, 20], w: [6, 20] }, local: { w: [6, 30] }, base: { y: entry(5, h('3'), 10) } });
    expect(result.pending).toEqual(['z']);
    expect(result.accountedBy).toEqual(
      new Map([
        ['x', { hashes: [h('1')], sameAsLocal: false }],
        ['y', { hashes: [h('2'), h('3')], sameAsLocal: false }],
        ['w', { hashes: [], sameAsLocal: true }],
      ]),
    );
  });

  it('reads only what no copy checks, and a file whose bytes nothing accounts for is pending', async () => {
    const start = arrival({ records: [record('desk', 2, { x: { size: 3, sha256: h('1') }, y: { size: 3, sha256: h('1') } })], cloud: { x: [3, 20], y: [3, 20] } });
    const read: string[] = [];
    const verified = await verifyArrival(
      start,
      (path) => path === 'x',
      async (side, path) => {
        read.push(`${side}:${path}`);
        return h('9');
      },
    );
    expect(read).toEqual(['cloud:y']);
    expect(verified.pending).toEqual(['y']);
    expect(verified.accountedBy).toEqual(new Map([['x', { hashes: [h('1')], sameAsLocal: false }]]));
  });
});

describe("this machine's own records, read only where they matter", () => {
  const read = (...records: HandoffRecord[]) => ({ records, unreadable: [] });
  const knowing = (r: HandoffRecord, seen: Record<string, number>): HandoffRecord => ({ ...r, seen });
  it("only for an awaited record written side by side with this machine's latest one", () => {
    const theirs = knowing(record('desktop', 3, {}), { laptop: 1 });
    // Neither knew of the other: side by side.
    expect(ownListingsNeeded(read(knowing(record('laptop', 2, {}), { desktop: 2 }), theirs), 'laptop', undefined) !== undefined).toBe(true);
    // This machine's latest knew of theirs: one after the other.
    expect(ownListingsNeeded(read(knowing(record('laptop', 4, {}), { desktop: 3 }), theirs), 'laptop', undefined) !== undefined).toBe(false);
    // Theirs knew of this machine's latest, or there is none of this machine's.
    expect(ownListingsNeeded(read(knowing(record('laptop', 1, {}), {}), theirs), 'laptop', undefined) !== undefined).toBe(false);
    expect(ownListingsNeeded(read(theirs), 'laptop', undefined) !== undefined).toBe(false);
    // Theirs was taken in full already: nothing awaited.
    expect(ownListingsNeeded(read(knowing(record('laptop', 2, {}), { desktop: 2 }), theirs), 'laptop', { machineId: 'desktop', sequence: 3 }) !== undefined).toBe(false);
  });
});
