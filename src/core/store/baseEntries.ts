import { DIGEST_BYTES, grown, grownDigests, PathColumns } from './columns.ts';
import { digestAt, putDigest } from './digests.ts';

/**
 * What this machine knows of a path as of its last successful sync: the content both sides
 * then had (size + SHA-256) and the modification time each side showed right after. With
 * each side's inode it is also a hash cache: a file whose size, time and inode are still
 * these holds `sha256` without being read again (sync.compare = "mtime_hash_fallback").
 */
export interface BaseEntry {
  size: number;
  sha256: string;
  localMtimeMs: number;
  cloudMtimeMs: number;
  /** Undefined in a base written before inodes were kept, or where a side's inode was not seen. */
  localIno?: number;
  cloudIno?: number;
}

/** The numbers of a base entry, in the order a stored base keeps its columns. */
export const BASE_NUMBERS = ['size', 'localMtimeMs', 'cloudMtimeMs', 'localIno', 'cloudIno'] as const;

/** The base's entries in columns (NaN: no inode); an entry object is made only when one is asked for. */
export class BaseColumns extends PathColumns<BaseEntry> {
  // One column per name of BASE_NUMBERS, in its order.
  #size = new Float64Array(0);
  #localMtime = new Float64Array(0);
  #cloudMtime = new Float64Array(0);
  #localIno = new Float64Array(0);
  #cloudIno = new Float64Array(0);
  #digest = Buffer.alloc(0);

  protected resize(capacity: number, used: number): void {
    this.#size = grown(this.#size, capacity, used);
    this.#localMtime = grown(this.#localMtime, capacity, used);
    this.#cloudMtime = grown(this.#cloudMtime, capacity, used);
    this.#localIno = grown(this.#localIno, capacity, used);
    this.#cloudIno = grown(this.#cloudIno, capacity, used);
    this.#digest = grownDigests(this.#digest, capacity, used);
  }

  protected read(row: number): BaseEntry {
    const entry: BaseEntry = { size: this.#size[row] as number, sha256: digestAt(this.#digest, row), localMtimeMs: this.#localMtime[row] as number, cloudMtimeMs: this.#cloudMtime[row] as number };
    const localIno = this.#localIno[row] as number;
    const cloudIno = this.#cloudIno[row] as number;
    if (!Number.isNaN(localIno)) entry.localIno = localIno;
    if (!Number.isNaN(cloudIno)) entry.cloudIno = cloudIno;
    return entry;
  }

  protected write(row: number, value: BaseEntry): void {
    this.put(row, value.size, value.localMtimeMs, value.cloudMtimeMs, value.localIno ?? Number.NaN, value.cloudIno ?? Number.NaN);
    putDigest(this.#digest, row, value.sha256);
  }

  /** An entry's numbers in BASE_NUMBERS order (NaN: no inode) into `out`, and its digest as 32 raw bytes (a view of the column); undefined when there is no entry. */
  rawEntry(path: string, out: Float64Array): Buffer | undefined {
    const row = this.rowOf(path);
    if (row === undefined) return undefined;
    out[0] = this.#size[row] as number;
    out[1] = this.#localMtime[row] as number;
    out[2] = this.#cloudMtime[row] as number;
    out[3] = this.#localIno[row] as number;
    out[4] = this.#cloudIno[row] as number;
    return this.#digest.subarray(row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES);
  }

  /** Adds an entry from a stored base: its numbers in BASE_NUMBERS order, its digest as 32 raw bytes at `at`. */
  addRaw(path: string, numbers: ArrayLike<number>, bytes: Uint8Array, at: number): void {
    const row = this.rowFor(path); // first: it may grow the columns
    this.put(row, numbers[0] as number, numbers[1] as number, numbers[2] as number, numbers[3] as number, numbers[4] as number);
    this.#digest.set(bytes.subarray(at, at + DIGEST_BYTES), row * DIGEST_BYTES);
  }

  private put(row: number, size: number, localMtime: number, cloudMtime: number, localIno: number, cloudIno: number): void {
    this.#size[row] = size;
    this.#localMtime[row] = localMtime;
    this.#cloudMtime[row] = cloudMtime;
    this.#localIno[row] = localIno;
    this.#cloudIno[row] = cloudIno;
  }
}
