import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownRecordsFile, readOwnRecords, rememberOwnRecord } from '../../../src/core/state/index.ts';
import { isTableFile } from '../../../src/core/store/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const h = (c: string): string => c.repeat(64);
const plain = (records: Awaited<ReturnType<typeof readOwnRecords>>) => ({
  mine: [...records.mine].map(([s, listing]) => [s, [...listing]]),
  others: [...records.others].map(([m, r]) => [m, r.sequence, [...r.files]]),
});

describe("this machine's own records", () => {
  it('are read from the JSON form when no table is there yet; the next record written replaces it with the table', async () => {
    const file = ownRecordsFile(join(tempDir(), 'base-x.json'));
    writeFileSync(`${file}.json`, JSON.stringify({ version: 1, records: { '3': { a: h('1') } }, others: { desk: { sequence: 2, files: { b: h('2') } } } }));
    expect(plain(await readOwnRecords(file))).toEqual({ mine: [[3, [['a', h('1')]]]], others: [['desk', 2, [['b', h('2')]]]] });
    await rememberOwnRecord(file, { sequence: 5, files: new Map([['a', { sha256: h('3') }]]) }, [{ machineId: 'desk', sequence: 4, files: new Map([['c', { sha256: h('4') }]]) }], 3);
    expect(existsSync(`${file}.json`)).toBe(false);
    expect(isTableFile(readFileSync(file))).toBe(true);
    expect(plain(await readOwnRecords(file))).toEqual({
      mine: [
        [5, [['a', h('3')]]],
        [3, [['a', h('1')]]],
      ],
      others: [['desk', 4, [['c', h('4')]]]],
    });
  });

  it('a plan reads only the listings it names, by sequence and by machine; without names, every kept listing', async () => {
    const file = ownRecordsFile(join(tempDir(), 'base-x.json'));
    const files = (c: string) => new Map([[`p${c}`, { sha256: h(c) }]]);
    for (const sequence of [1, 2, 3])
      await rememberOwnRecord(
        file,
        { sequence, files: files(String(sequence)) },
        sequence === 3
          ? [
              { machineId: 'desk', sequence: 9, files: files('9') },
              { machineId: 'laptop', sequence: 4, files: files('4') },
            ]
          : [],
        0,
      );
    expect(plain(await readOwnRecords(file, { mine: new Set([2, 7]), others: new Set(['laptop']) }))).toEqual({ mine: [[2, [['p2', h('2')]]]], others: [['laptop', 4, [['p4', h('4')]]]] });
    expect(plain(await readOwnRecords(file, { mine: new Set(), others: new Set() }))).toEqual({ mine: [], others: [] });
    expect(plain(await readOwnRecords(file))).toEqual({
      mine: [
        [3, [['p3', h('3')]]],
        [2, [['p2', h('2')]]],
        [1, [['p1', h('1')]]],
      ],
      others: [
        ['desk', 9, [['p9', h('9')]]],
        ['laptop', 4, [['p4', h('4')]]],
      ],
    });
  });

  it('keeps its newest four from keepFrom on, each listing as written, across writes; a sequence written again is replaced', async () => {
    const file = ownRecordsFile(join(tempDir(), 'base-x.json'));
    // Listings of several files each, one with a path of two-byte characters, so that copied rows differ in length.
    const files = (n: number) => new Map(Array.from({ length: n + 1 }, (_v, i) => [`sessions/${i === 1 ? 'é'.repeat(n) : 'p'}${n}-${i}.jsonl`, { sha256: h(String(n % 10)) }]));
    const listed = (n: number) => [...files(n)].map(([path, f]) => [path, f.sha256]);
    for (const sequence of [1, 2, 3, 4, 5, 6]) await rememberOwnRecord(file, { sequence, files: files(sequence) }, [{ machineId: 'desk', sequence: 10 + sequence, files: files(9) }], 0);
    expect(plain(await readOwnRecords(file))).toEqual({ mine: [6, 5, 4, 3].map((n) => [n, listed(n)]), others: [['desk', 16, listed(9)]] });
    await rememberOwnRecord(file, { sequence: 7, files: files(7) }, [], 5);
    expect(plain(await readOwnRecords(file))).toEqual({ mine: [7, 6, 5].map((n) => [n, listed(n)]), others: [] });
    await rememberOwnRecord(file, { sequence: 7, files: files(8) }, [], 5);
    expect(plain(await readOwnRecords(file))).toEqual({ mine: [[7, listed(8)], ...[6, 5].map((n) => [n, listed(n)])], others: [] });
  });

  it('a damaged table is as none: only a convenience', async () => {
    const file = ownRecordsFile(join(tempDir(), 'base-x.json'));
    await rememberOwnRecord(file, { sequence: 1, files: new Map([['a', { sha256: h('1') }]]) }, [], 0);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    expect(plain(await readOwnRecords(file))).toEqual({ mine: [], others: [] });
  });
});
