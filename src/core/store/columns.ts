import { knownPathId, pathCount, pathId, pathOfId } from './pathTable.ts';

/**
 * A Map from relative path to a value kept in columns (typed arrays) rather than one object per
 * path: a row per path, the values made into an object only when asked for. It has the whole
 * Map interface, so code that reads or changes a scan, a base or a record's files is unchanged.
 * Iteration follows insertion order, as a Map's does.
 */
export abstract class PathColumns<V> implements Map<string, V> {
  /** By path number (pathTable.ts): the path's row + 1, 0 where this table does not hold it. */
  #rowById = new Int32Array(0);
  /** By row: its path's number, -1 for a deleted row. Rows are never reused, so rows in order are the insertion order. */
  #idAt = new Int32Array(0);
  #count = 0;
  #next = 0;
  #capacity = 0;

  /** Makes every column hold at least `capacity` rows, keeping rows below `used`. */
  protected abstract resize(capacity: number, used: number): void;
  protected abstract read(row: number): V;
  protected abstract write(row: number, value: V): void;

  get size(): number {
    return this.#count;
  }

  /** A Map's tag: what tells a Map by its tag (a deep equality) compares it as one, keys in any order. */
  get [Symbol.toStringTag](): string {
    return 'Map';
  }

  has(path: string): boolean {
    return this.rowOf(path) !== undefined;
  }

  get(path: string): V | undefined {
    const row = this.rowOf(path);
    return row === undefined ? undefined : this.read(row);
  }

  set(path: string, value: V): this {
    this.write(this.rowFor(path), value);
    return this;
  }

  /** Makes room for `count` rows at once (a stored table says how many it holds): no column is grown row by row. */
  reserve(count: number): void {
    if (count <= this.#capacity) return;
    this.#grow(count);
  }

  /** The row of `path`, or undefined when it has none. */
  protected rowOf(path: string): number | undefined {
    const id = knownPathId(path);
    const held = id === undefined ? 0 : (this.#rowById[id] ?? 0);
    return held === 0 ? undefined : held - 1;
  }

  /** The row of `path`, added when absent; its columns are then for the caller to write. */
  protected rowFor(path: string): number {
    const id = pathId(path);
    if (id >= this.#rowById.length) {
      const rowOf = new Int32Array(Math.max(id + 1, Math.ceil(pathCount() * 1.25)));
      rowOf.set(this.#rowById);
      this.#rowById = rowOf;
    }
    const held = this.#rowById[id] as number;
    if (held !== 0) return held - 1;
    const row = this.#next++;
    if (row >= this.#capacity) this.#grow(Math.max(64, this.#capacity * 2, row + 1));
    this.#idAt[row] = id;
    this.#rowById[id] = row + 1;
    this.#count += 1;
    return row;
  }

  delete(path: string): boolean {
    const row = this.rowOf(path);
    if (row === undefined) return false;
    this.#rowById[this.#idAt[row] as number] = 0;
    // Left as a hole: a table is read afresh (a walk, a stored base) long before holes add up.
    this.#idAt[row] = -1;
    this.#count -= 1;
    return true;
  }

  clear(): void {
    this.#rowById = new Int32Array(0);
    this.#count = 0;
    this.#next = 0;
  }

  keys(): MapIterator<string> {
    return this.#keys() as unknown as MapIterator<string>;
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
    for (const [path, value] of this.#entries()) callback.call(thisArg, value, path, this);
  }

  #grow(capacity: number): void {
    this.#capacity = capacity;
    const idAt = new Int32Array(capacity);
    idAt.set(this.#idAt.subarray(0, this.#next));
    this.#idAt = idAt;
    this.resize(capacity, this.#next);
  }

  // Rows in order, read afresh at each step: as a Map's iteration, it sees what is added or deleted on the way.
  *#keys(): Generator<string> {
    for (let row = 0; row < this.#next; row += 1) {
      const id = this.#idAt[row] as number;
      if (id !== -1) yield pathOfId(id);
    }
  }

  *#values(): Generator<V> {
    for (let row = 0; row < this.#next; row += 1) if (this.#idAt[row] !== -1) yield this.read(row);
  }

  *#entries(): Generator<[string, V]> {
    for (let row = 0; row < this.#next; row += 1) {
      const id = this.#idAt[row] as number;
      if (id !== -1) yield [pathOfId(id), this.read(row)];
    }
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
