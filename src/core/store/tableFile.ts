import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { DIGEST_BYTES } from './columns.ts';

/**
 * codexSync's compact table file, for the large files of this machine's state folder (the
 * base state, its own records, the records it last read): a header (JSON), then one row per
 * path, then the row count and a CRC-32 of everything before it. Read back without an object
 * per row; written in pieces of 256 KiB, never one large string.
 *
 *     "CXST" | u32 version | u32 header bytes | header | u32 numbers a row | u32 digest (0/1)
 *     rows: u32 path bytes | path (UTF-8) | f64 x numbers | 32 digest bytes when digest is 1
 *     u32 rows | u32 CRC-32 of all bytes before it
 */
const MAGIC = Buffer.from('CXST', 'latin1');
const VERSION = 1;
/** Bytes of a written piece (a row longer than that is a piece of its own). */
const PIECE_BYTES = 256 * 1024;

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

/**
 * Rows already in a table's encoding, copied from a stored table with their numbers set anew:
 * written as they are, never decoded (a listing kept from one write of a table to the next).
 */
export class EncodedRows {
  count = 0;
  readonly #full: Buffer[] = [];
  #piece = Buffer.alloc(0);
  #used = 0;

  /** Copies one row (its bytes as a table holds them) and writes `numbers` over its numbers, which begin at `numbersAt`. */
  add(row: Uint8Array, numbersAt: number, numbers: ArrayLike<number>): void {
    if (this.#used + row.length > this.#piece.length) {
      if (this.#used > 0) this.#full.push(this.#piece.subarray(0, this.#used));
      this.#piece = Buffer.allocUnsafe(Math.max(PIECE_BYTES, row.length));
      this.#used = 0;
    }
    this.#piece.set(row, this.#used);
    for (let i = 0; i < numbers.length; i += 1) this.#piece.writeDoubleLE(numbers[i] as number, this.#used + numbersAt + 8 * i);
    this.#used += row.length;
    this.count += 1;
  }

  /** The rows' bytes, piece by piece. */
  get pieces(): Buffer[] {
    return this.#used === 0 ? [...this.#full] : [...this.#full, this.#piece.subarray(0, this.#used)];
  }
}

/** Whether these bytes begin as a table file (and not as JSON, the form state files had before). */
export function isTableFile(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && MAGIC.equals(bytes.subarray(0, MAGIC.length));
}

/** The table's bytes, piece by piece: for writeFileAtomic. */
export function* tablePieces(header: unknown, layout: TableLayout, rows: Iterable<TableRow | EncodedRows>): Iterable<Uint8Array> {
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
  // Rows are encoded straight into one piece at a time: a buffer per row and their concatenation
  // were most of a table's writing (bench/results/profile-notes.md).
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  for (const row of rows) {
    if (row instanceof EncodedRows) {
      if (used > 0) yield emit(piece.subarray(0, used));
      piece = Buffer.allocUnsafe(PIECE_BYTES);
      used = 0;
      for (const encoded of row.pieces) yield emit(encoded);
      count += row.count;
      continue;
    }
    // At most 3 bytes of UTF-8 per UTF-16 unit of the path.
    const room = 4 + 3 * row.path.length + fixed;
    if (used + room > piece.length) {
      if (used > 0) yield emit(piece.subarray(0, used));
      piece = Buffer.allocUnsafe(Math.max(PIECE_BYTES, room));
      used = 0;
    }
    const pathBytes = piece.write(row.path, used + 4, 'utf8');
    piece.writeUInt32LE(pathBytes, used);
    let at = used + 4 + pathBytes;
    for (let i = 0; i < layout.numbers; i += 1, at += 8) piece.writeDoubleLE(row.numbers[i] as number, at);
    if (layout.digest) {
      piece.set((row.digest as Uint8Array).subarray(0, DIGEST_BYTES), at);
      at += DIGEST_BYTES;
    }
    used = at;
    count += 1;
  }
  if (used > 0) yield emit(piece.subarray(0, used));
  const end = Buffer.alloc(8);
  end.writeUInt32LE(count, 0);
  crc = crc32(end.subarray(0, 4), crc);
  end.writeUInt32LE(crc, 4);
  yield end;
}

/** A table file that is not whole or not one: a damaged file, said by its caller as it says one. */
export class TableDamaged extends Error {}

/** Bytes of a table read at once: a large table is never one buffer (see bench/results/profile-notes.md). */
const CHUNK = 1024 * 1024;

/** What `row` is given for each row: its path, its numbers (one array reused for every row: copy what is kept), and its digest's place in `bytes`. */
export type RowReader = (path: string, numbers: Float64Array, bytes: Buffer, digestAt: number) => void;

/**
/** What a reader may ask beside its rows. */
export interface TableReading {
  /** Called with the number of rows before the first. */
  reserve?(count: number): void;
  /**
   * Offered each row first, with its numbers and the table's header, and its bytes (a view valid
   * during the call) with where its numbers begin in them; true: the row is neither decoded nor
   * handed to `row` (not wanted, or taken as it is into EncodedRows). It is checked all the same.
   */
  skip?(row: Buffer, numbersAt: number, numbers: Float64Array, header: unknown): boolean;
}

/**
 * Reads a table file a chunk at a time: checks its layout, its length and CRC (at the end: a
 * caller keeps nothing it was given until this returns), then calls `row` for each row it wants.
 * Returns the header (JSON, unchecked: the caller checks it), or undefined when the file is not
 * a table at all (an older form of the file). A missing file throws as readFile does.
 */
export async function readTableFile(file: string, layout: TableLayout, row: RowReader, reading: TableReading = {}): Promise<unknown> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const readAt = async (buffer: Buffer, offset: number, length: number, position: number): Promise<void> => {
      for (let done = 0; done < length;) {
        const { bytesRead } = await handle.read(buffer, offset + done, length - done, position + done);
        if (bytesRead === 0) throw new TableDamaged('cut short');
        done += bytesRead;
      }
    };
    const start = Buffer.alloc(12);
    if (size < MAGIC.length) return undefined;
    await readAt(start, 0, Math.min(12, size), 0);
    if (!isTableFile(start)) return undefined;
    if (size < 28 || start.readUInt32LE(4) !== VERSION) throw new TableDamaged('version');
    const headLength = start.readUInt32LE(8);
    const end = size - 8;
    if (12 + headLength + 8 > end) throw new TableDamaged('header');
    const head = Buffer.alloc(headLength + 8);
    await readAt(head, 0, head.length, 12);
    const trailer = Buffer.alloc(8);
    await readAt(trailer, 0, 8, end);
    let crc = crc32(head, crc32(start));
    let header: unknown;
    try {
      header = JSON.parse(head.toString('utf8', 0, headLength));
    } catch {
      throw new TableDamaged('header');
    }
    if (head.readUInt32LE(headLength) !== layout.numbers || head.readUInt32LE(headLength + 4) !== (layout.digest ? 1 : 0)) throw new TableDamaged('layout');
    let position = 12 + head.length;
    const count = trailer.readUInt32LE(0);
    const fixed = 8 * layout.numbers + (layout.digest ? DIGEST_BYTES : 0);
    // Each row takes at least its fixed bytes: a count beyond them is a damaged file, not rows to make room for.
    if (count * (4 + fixed) > end - position) throw new TableDamaged('rows');
    reading.reserve?.(count);
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - position));
    let have = 0;
    let at = 0;
    /** Keeps the unread rest, reads on until `need` bytes are there (or the rows end). */
    const fill = async (need: number): Promise<void> => {
      if (need > buffer.length) buffer = Buffer.concat([buffer.subarray(at, have)], need);
      else buffer.copy(buffer, 0, at, have);
      have -= at;
      at = 0;
      const length = Math.min(buffer.length - have, end - position);
      if (length <= 0) return;
      await readAt(buffer, have, length, position);
      crc = crc32(buffer.subarray(have, have + length), crc);
      position += length;
      have += length;
    };
    const numbers = new Float64Array(layout.numbers);
    for (let i = 0; i < count; i += 1) {
      if (have - at < 4) await fill(4);
      if (have - at < 4) throw new TableDamaged('rows');
      const need = 4 + buffer.readUInt32LE(at) + fixed;
      if (need > have - at + (end - position)) throw new TableDamaged('rows');
      if (have - at < need) await fill(need);
      const pathEnd = at + need - fixed;
      let n = pathEnd;
      for (let k = 0; k < layout.numbers; k += 1, n += 8) numbers[k] = buffer.readDoubleLE(n);
      if (reading.skip?.(buffer.subarray(at, at + need), pathEnd - at, numbers, header) !== true) row(buffer.toString('utf8', at + 4, pathEnd), numbers, buffer, n);
      at += need;
    }
    if (at !== have || position !== end) throw new TableDamaged('rows');
    if (crc32(trailer.subarray(0, 4), crc) !== trailer.readUInt32LE(4)) throw new TableDamaged('crc');
    return header;
  } finally {
    await handle.close();
  }
}
