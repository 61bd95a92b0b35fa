import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src/core/fs/index.ts';
import { readTableFile, TableDamaged, tablePieces, type TableRow } from '../../../src/core/store/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const layout = { numbers: 2, digest: true };

function rowsOf(count: number): TableRow[] {
  return Array.from({ length: count }, (_v, i) => ({
    // One path longer than the 1 MiB read at once; the others' ends fall anywhere in a chunk.
    path: i === 7 ? `sessions/${'x'.repeat(1_500_000)}` : `sessions/2026/${String(i).padStart(6, '0')}/rollout-é-${'y'.repeat(i % 97)}.jsonl`,
    numbers: [i, i === 3 ? Number.NaN : 1_795_000_000_000 + i / 4],
    digest: Buffer.alloc(32, i % 251),
  }));
}

async function readBack(file: string, wants?: (numbers: Float64Array, header: unknown) => boolean): Promise<{ header: unknown; rows: Array<[string, number[], string]>; reserved: number[] }> {
  const rows: Array<[string, number[], string]> = [];
  const reserved: number[] = [];
  const header = await readTableFile(file, layout, (path, numbers, bytes, at) => rows.push([path, [...numbers], bytes.toString('hex', at, at + 32)]), {
    reserve: (count) => reserved.push(count),
    ...(wants === undefined ? {} : { skip: (_row: Buffer, _at: number, numbers: Float64Array, header: unknown) => !wants(numbers, header) }),
  });
  return { header, rows, reserved };
}

describe('the table file', () => {
  it('reads back every row written, a chunk at a time, rows and a path longer than a chunk across chunk ends', async () => {
    const file = join(tempDir(), 'table');
    const rows = rowsOf(30_000);
    await writeFileAtomic(file, tablePieces({ format: 'test', n: 1 }, layout, rows));
    const read = await readBack(file);
    expect(read.header).toEqual({ format: 'test', n: 1 });
    expect(read.reserved).toEqual([30_000]);
    expect(read.rows).toEqual(rows.map((r) => [r.path, [...(r.numbers as number[])], Buffer.from(r.digest as Uint8Array).toString('hex')]));
  });

  it('hands over only the rows a reader wants, asked with their numbers and the header; the rows it skips are still checked', async () => {
    const file = join(tempDir(), 'table');
    const rows = rowsOf(3_000);
    await writeFileAtomic(file, tablePieces({ format: 'test', every: 3 }, layout, rows));
    const headers = new Set<unknown>();
    const wants = (numbers: Float64Array, header: unknown): boolean => {
      headers.add(JSON.stringify(header));
      return (numbers[0] as number) % (header as { every: number }).every === 0;
    };
    const read = await readBack(file, wants);
    expect([...headers]).toEqual(['{"format":"test","every":3}']);
    expect(read.rows).toEqual(rows.filter((_r, i) => i % 3 === 0).map((r) => [r.path, [...(r.numbers as number[])], Buffer.from(r.digest as Uint8Array).toString('hex')]));
    const whole = readFileSync(file);
    // A byte of a row no reader wants (row 1's path): the file is still damaged.
    const at = whole.indexOf('sessions/2026/000001/');
    writeFileSync(file, Buffer.from(whole.map((byte, i) => (i === at ? byte ^ 0x10 : byte))));
    await expect(readBack(file, wants)).rejects.toBeInstanceOf(TableDamaged);
  });

  it('a file cut short, with a byte changed or a count changed is damaged; a file that is not a table is undefined', async () => {
    const file = join(tempDir(), 'table');
    await writeFileAtomic(file, tablePieces({ format: 'test' }, layout, rowsOf(20)));
    const whole = readFileSync(file);
    const changed = (at: number): Buffer => Buffer.from(whole.map((byte, i) => (i === at ? byte ^ 0x10 : byte)));
    const count = Buffer.from(whole);
    count.writeUInt32LE(2 ** 31, whole.length - 8);
    for (const bytes of [whole.subarray(0, whole.length - 1), whole.subarray(0, 30), changed(whole.length - 100), changed(12), count]) {
      writeFileSync(file, bytes);
      await expect(readBack(file)).rejects.toBeInstanceOf(TableDamaged);
    }
    writeFileSync(file, '{"version":1}');
    expect((await readBack(file)).header).toBeUndefined();
    writeFileSync(file, '');
    expect((await readBack(file)).header).toBeUndefined();
  });
});
