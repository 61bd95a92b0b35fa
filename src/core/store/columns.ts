import { internPath } from './pathTable.ts';

/**
 * A Map from relative path to a value kept in columns (typed arrays) rather than one object per
 * path: a row per path, the values made into an object only when asked for. It has the whole
 * Map interface, so code that reads or changes a scan, a base or a record's files is unchanged.
 * Iteration follows insertion order, as a Map's does.
 */
export abstract class PathColumns<V> implements Map<string, V> {
  readonly #rows = new Map<string, number>();
  #free: number[] = [];
  #next = 0;
  #capacity = 0;

  /** Makes every column hold at least `capacity` rows, keeping rows below `used`. */
  protected abstract resize(capacity: number, used: number): void;
  protected abstract read(row: number): V;
  protected abstract write(row: number, value: V): void;

  get size(): number {
    return this.#rows.size;
  }

  /** A Map's tag: what tells a Map by its tag (a deep equality) compares it as one, keys in any order. */
  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  has(path: string): boolean {
    return this.#rows.has(path);
  }

  get(path: string): V | undefined {
    const row = this.#rows.get(path);
    return row === undefined ? undefined : this.read(row);
  }

  set(path: string, value: V): this {
    this.write(this.rowFor(path), value);
    return this;
  }

  /** Makes room for `count` rows at once (a stored table says how many it holds): no column is grown row by row. */
  reserve(count: number): void {
    if (count <= this.#capacity) return;
    this.#capacity = count;
    this.resize(this.#capacity, this.#next);
  }

  /** The row of `path`, or undefined when it has none. */
  protected rowOf(path: string): number | undefined {
    return this.#rows.get(path);
  }

  /** The row of `path`, added when absent; its columns are then for the caller to write. */
  protected rowFor(path: string): number {
    let row = this.#rows.get(path);
    if (row === undefined) {
      row = this.#free.pop() ?? this.#next++;
      if (row >= this.#capacity) {
        this.#capacity = Math.max(64, this.#capacity * 2, row + 1);
        this.resize(this.#capacity, this.#next);
      }
      this.#rows.set(internPath(path), row);
    }
    return row;
  }

  delete(path: string): boolean {
    const row = this.#rows.get(path);
    if (row === undefined) return false;
    this.#rows.delete(path);
    this.#free.push(row);
    return true;
  }

  clear(): void {
    this.#rows.clear();
    this.#free = [];
    this.#next = 0;
  }

  keys(): MapIterator<string> {
    return this.#rows.keys();
  }

  values(): MapIterator<V> {
    return this.#values() as unknown as MapIterator<V>;
  }

  entries(): MapIterator<[string, V]> {
    return this.#entries() as unknown as MapIterator<[string, V]>;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, path: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [path, row] of this.#rows) callback.call(thisArg, this.read(row), path, this);
  }

  *#values(): Generator<V> {
    for (const row of this.#rows.values()) yield this.read(row);
  }

  *#entries(): Generator<[string, V]> {
    for (const [path, row] of this.#rows) yield [path, this.read(row)];
  }
}

/** A Float64Array of `capacity` holding the first `used` values of `old`. */
export function grown(old: Float64Array, capacity: number, used: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(capacity);
  next.set(old.subarray(0, Math.min(used, old.length)));
  return next;
}

/** A digest column (32 bytes a row) of `capacity` rows holding the first `used` rows of `old`. */
export function grownDigests(old: Buffer, capacity: number, used: number): Buffer<ArrayBuffer> {
  const next = Buffer.alloc(capacity * DIGEST_BYTES);
  old.copy(next, 0, 0, Math.min(used * DIGEST_BYTES, old.length));
  return next;
}

export const DIGEST_BYTES = 32;
