import { crc32 } from 'node:zlib';
import { DIGEST_BYTES } from './columns.ts';

/**
 * codexSync's compact table file, for the large files of this machine's state folder (the
 * base state, its own records, the records it last read): a header (JSON), then one row per
 * path, then the row count and a CRC-32 of everything before it. Read back without an object
 * per row; written in pieces of a few hundred rows, never one large string.
 *
 *     "CXST" | u32 version | u32 header bytes | header | u32 numbers a row | u32 digest (0/1)
 *     rows: u32 path bytes | path (UTF-8) | f64 x numbers | 32 digest bytes when digest is 1
 *     u32 rows | u32 CRC-32 of all bytes before it
 */
const MAGIC = Buffer.from('CXST', 'latin1');
const VERSION = 1;
/** Rows per written piece. */
const PIECE_ROWS = 512;

export interface TableLayout {
  numbers: number;
  digest: boolean;
}

/** One row to write: a path, its numbers (layout.numbers of them), its digest (32 bytes, when the layout has one). */
export interface TableRow {
  path: string;
  numbers: ArrayLike<number>;
  digest?: Uint8Array;
}

/** Whether these bytes begin as a table file (and not as JSON, the form state files had before). */
export function isTableFile(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.equals(bytes.subarray(0, MAGIC.length));
}

/** The table's bytes, piece by piece: for writeFileAtomic. */
export function* tablePieces(header: unknown, layout: TableLayout, rows: Iterable<TableRow>): Iterable<Uint8Array> {
  let crc = 0;
  const emit = (piece: Buffer): Buffer => {
    crc = crc32(piece, crc);
    return piece;
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Buffer.alloc(20);
  MAGIC.copy(start, 0);
  start.writeUInt32LE(VERSION, 4);
  start.writeUInt32LE(head.length, 8);
  yield emit(start.subarray(0, 12));
  yield emit(head);
  start.writeUInt32LE(layout.numbers, 12);
  start.writeUInt32LE(layout.digest ? 1 : 0, 16);
  yield emit(start.subarray(12, 20));
  const fixed = 8 * layout.numbers + (layout.digest ? DIGEST_BYTES : 0);
  let count = 0;
  let piece: Buffer[] = [];
  for (const row of rows) {
    const path = Buffer.from(row.path, 'utf8');
    const bytes = Buffer.allocUnsafe(4 + path.length + fixed);
    bytes.writeUInt32LE(path.length, 0);
    path.copy(bytes, 4);
    let at = 4 + path.length;
    for (let i = 0; i < layout.numbers; i += 1, at += 8) bytes.writeDoubleLE(row.numbers[i] as number, at);
    if (layout.digest) bytes.set((row.digest as Uint8Array).subarray(0, DIGEST_BYTES), at);
    piece.push(bytes);
    count += 1;
    if (piece.length === PIECE_ROWS) {
      yield emit(Buffer.concat(piece));
      piece = [];
    }
  }
  if (piece.length > 0) yield emit(Buffer.concat(piece));
  const end = Buffer.alloc(8);
  end.writeUInt32LE(count, 0);
  crc = crc32(end.subarray(0, 4), crc);
  end.writeUInt32LE(crc, 4);
  yield end;
}

/** A table file that is not whole or not one: a damaged file, said by its caller as it says one. */
export class TableDamaged extends Error {}

/**
 * Reads a table: checks its length, CRC and layout, then calls `row` for each row with its
 * path, its numbers (one array reused for every row: copy what is kept) and where its digest
 * starts in `bytes`, after `reserve` with the number of rows. Returns the header (JSON,
 * unchecked: the caller checks it).
 */
export function readTable(bytes: Buffer, layout: TableLayout, row: (path: string, numbers: Float64Array, digestAt: number) => void, reserve?: (count: number) => void): unknown {
  if (!isTableFile(bytes) || bytes.length < 28) throw new TableDamaged('too short');
  if (bytes.readUInt32LE(4) !== VERSION) throw new TableDamaged('version');
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== bytes.readUInt32LE(bytes.length - 4)) throw new TableDamaged('crc');
  const headLength = bytes.readUInt32LE(8);
  let at = 12 + headLength;
  if (at + 8 > bytes.length - 8) throw new TableDamaged('header');
  let header: unknown;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, at));
  } catch {
    throw new TableDamaged('header');
  }
  if (bytes.readUInt32LE(at) !== layout.numbers || bytes.readUInt32LE(at + 4) !== (layout.digest ? 1 : 0)) throw new TableDamaged('layout');
  at += 8;
  const end = bytes.length - 8;
  const count = bytes.readUInt32LE(end);
  const fixed = 8 * layout.numbers + (layout.digest ? DIGEST_BYTES : 0);
  // Each row takes at least its fixed bytes: a count beyond them is a damaged file, not rows to make room for.
  if (count * (4 + fixed) > end - at) throw new TableDamaged('rows');
  reserve?.(count);
  const numbers = new Float64Array(layout.numbers);
  for (let i = 0; i < count; i += 1) {
    if (at + 4 > end) throw new TableDamaged('rows');
    const pathEnd = at + 4 + bytes.readUInt32LE(at);
    if (pathEnd + fixed > end) throw new TableDamaged('rows');
    const path = bytes.toString('utf8', at + 4, pathEnd);
    at = pathEnd;
    for (let n = 0; n < layout.numbers; n += 1, at += 8) numbers[n] = bytes.readDoubleLE(at);
    row(path, numbers, at);
    if (layout.digest) at += DIGEST_BYTES;
  }
  if (at !== end) throw new TableDamaged('rows');
  return header;
}
