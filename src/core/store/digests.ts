import { DIGEST_BYTES, grown, grownDigests, PathColumns } from './columns.ts';

/** A file as a handoff record lists it: its size and SHA-256 (hex). */
export interface ListedFile {
  size: number;
  sha256: string;
}

/** Writes a hex SHA-256 into a digest column; anything else is a bug of the caller (values are checked where they are read). */
export function putDigest(column: Buffer, row: number, sha256: string): void {
  if (sha256.length !== DIGEST_BYTES * 2 || column.write(sha256, row * DIGEST_BYTES, DIGEST_BYTES, 'hex') !== DIGEST_BYTES) throw new Error(`internal: not a SHA-256: ${sha256}`);
}

export function digestAt(column: Buffer, row: number): string {
  return column.toString('hex', row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES);
}

/** A record's files: size and digest in columns, the hex made only when a file is asked for. */
export class DigestColumns extends PathColumns<ListedFile> {
  #size = new Float64Array(0);
  #digest = Buffer.alloc(0);

  protected resize(capacity: number, used: number): void {
    this.#size = grown(this.#size, capacity, used);
    this.#digest = grownDigests(this.#digest, capacity, used);
  }

  protected read(row: number): ListedFile {
    return { size: this.#size[row] as number, sha256: digestAt(this.#digest, row) };
  }

  protected write(row: number, value: ListedFile): void {
    this.#size[row] = value.size;
    putDigest(this.#digest, row, value.sha256);
  }

  /** A file's size, or undefined when it is not listed. */
  sizeOf(path: string): number | undefined {
    const row = this.rowOf(path);
    return row === undefined ? undefined : (this.#size[row] as number);
  }

  /** A file's digest as its 32 raw bytes (a view of the column: copy what is kept), or undefined. */
  digestView(path: string): Buffer | undefined {
    const row = this.rowOf(path);
    return row === undefined ? undefined : this.#digest.subarray(row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES);
  }

  /** Adds a file from its raw digest (32 bytes at `at` in `bytes`), as a stored table is read back. */
  addRaw(path: string, size: number, bytes: Uint8Array, at: number): void {
    const row = this.rowFor(path);
    this.#size[row] = size;
    this.#digest.set(bytes.subarray(at, at + DIGEST_BYTES), row * DIGEST_BYTES);
  }
}

/** Paths and their SHA-256 alone (a record's listing as this machine kept it), the hex made only when asked for. */
export class DigestListing extends PathColumns<string> {
  #digest = Buffer.alloc(0);

  protected resize(capacity: number, used: number): void {
    this.#digest = grownDigests(this.#digest, capacity, used);
  }

  protected read(row: number): string {
    return digestAt(this.#digest, row);
  }

  protected write(row: number, value: string): void {
    putDigest(this.#digest, row, value);
  }

  /** A path's digest as its 32 raw bytes (a view of the column: copy what is kept), or undefined. */
  digestView(path: string): Buffer | undefined {
    const row = this.rowOf(path);
    return row === undefined ? undefined : this.#digest.subarray(row * DIGEST_BYTES, (row + 1) * DIGEST_BYTES);
  }

  /** Adds a path from its raw digest (32 bytes at `at` in `bytes`). */
  addRaw(path: string, bytes: Uint8Array, at: number): void {
    const row = this.rowFor(path); // first: it may grow the column
    this.#digest.set(bytes.subarray(at, at + DIGEST_BYTES), row * DIGEST_BYTES);
  }
}
