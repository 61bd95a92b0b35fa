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
  /** One column per name of BASE_NUMBERS. */
  #numbers: Float64Array[] = BASE_NUMBERS.map(() => new Float64Array(0));
  #digest = Buffer.alloc(0);

  protected resize(capacity: number, used: number): void {
    this.#numbers = this.#numbers.map((column) => grown(column, capacity, used));
    this.#digest = grownDigests(this.#digest, capacity, used);
  }

  protected read(row: number): BaseEntry {
    const [size, local, cloud, localIno, cloudIno] = this.#numbers.map((column) => column[row] as number) as [number, number, number, number, number];
    const entry: BaseEntry = { size, sha256: digestAt(this.#digest, row), localMtimeMs: local, cloudMtimeMs: cloud };
    if (!Number.isNaN(localIno)) entry.localIno = localIno;
    if (!Number.isNaN(cloudIno)) entry.cloudIno = cloudIno;
    return entry;
  }

  protected write(row: number, value: BaseEntry): void {
    const values = [value.size, value.localMtimeMs, value.cloudMtimeMs, value.localIno ?? Number.NaN, value.cloudIno ?? Number.NaN];
    this.#numbers.forEach((column, i) => (column[row] = values[i] as number));
    putDigest(this.#digest, row, value.sha256);
  }

  /** Adds an entry from a stored base: its numbers in BASE_NUMBERS order, its digest as 32 raw bytes at `at`. */
  addRaw(path: string, numbers: ArrayLike<number>, bytes: Uint8Array, at: number): void {
    const row = this.rowFor(path);
    this.#numbers.forEach((column, i) => (column[row] = numbers[i] as number));
    this.#digest.set(bytes.subarray(at, at + DIGEST_BYTES), row * DIGEST_BYTES);
  }

  /** A number of a row, by its index in BASE_NUMBERS. */
  numberAt(row: number, index: number): number {
    return (this.#numbers[index] as Float64Array)[row] as number;
  }

  rawDigest(row: number): Uint8Array {
    return this.#digest.subarray(row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES);
  }
}
