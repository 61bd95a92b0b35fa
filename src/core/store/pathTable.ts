/**
 * One string per relative path for the whole process, and a number for it: both scans, the base
 * state and the handoff records each held their own copy of every path (five strings per path at
 * 100,000 files), then each its own Map from path to row (3.5 MB a table at 100,000 paths, see
 * bench/results/profile-notes.md). A path is interned once; a table finds its rows by the path's
 * number. The table only grows: a long-lived app keeps every path it met, which is what it keeps
 * between runs anyway.
 */
const ids = new Map<string, number>();
const paths: string[] = [];

/** The one copy of `path` that every table of this process shares. */
export function internPath(path: string): string {
  return paths[pathId(path)] as string;
}

/** The number of `path` for this process, given to it now when it has none. */
export function pathId(path: string): number {
  let id = ids.get(path);
  if (id === undefined) {
    id = paths.length;
    ids.set(path, id);
    paths.push(path);
  }
  return id;
}

/** The number of `path` if it has one: what no table holds needs none. */
export function knownPathId(path: string): number | undefined {
  return ids.get(path);
}

export function pathOfId(id: number): string {
  return paths[id] as string;
}

/** How many paths have a number: every number is below it. */
export function pathCount(): number {
  return paths.length;
}

/**
 * A yes or no per path, a byte by the path's number: a cache of verdicts on the paths the tables
 * hold (a Map of them was 3.5 MB at 100,000 paths). A path with no number is not kept: it is
 * asked about afresh, and a long-lived app does not keep every name a watcher reported.
 */
export class PathFlags {
  // 0: not known, 1: no, 2: yes.
  #flags = new Uint8Array(0);

  get(path: string): boolean | undefined {
    const id = knownPathId(path);
    const flag = id === undefined ? 0 : (this.#flags[id] ?? 0);
    return flag === 0 ? undefined : flag === 2;
  }

  set(path: string, value: boolean): void {
    const id = knownPathId(path);
    if (id === undefined) return;
    if (id >= this.#flags.length) {
      const flags = new Uint8Array(Math.max(id + 1, Math.ceil(pathCount() * 1.25)));
      flags.set(this.#flags);
      this.#flags = flags;
    }
    this.#flags[id] = value ? 2 : 1;
  }
}

/**
 * A set of paths, a byte by the path's number (a Set of 100,000 paths was 2.5 MB, this 0.1 MB).
 * Iterated in the order the paths got their numbers, not in the order they were added.
 */
export class PathSet implements Iterable<string> {
  #held = new Uint8Array(0);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  has(path: string): boolean {
    const id = knownPathId(path);
    return id !== undefined && this.#held[id] === 1;
  }

  add(path: string): this {
    const id = pathId(path);
    if (id >= this.#held.length) {
      const held = new Uint8Array(Math.max(id + 1, Math.ceil(pathCount() * 1.25)));
      held.set(this.#held);
      this.#held = held;
    }
    if (this.#held[id] === 0) {
      this.#held[id] = 1;
      this.#size += 1;
    }
    return this;
  }

  delete(path: string): boolean {
    const id = knownPathId(path);
    if (id === undefined || this.#held[id] !== 1) return false;
    this.#held[id] = 0;
    this.#size -= 1;
    return true;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let id = 0; id < this.#held.length; id += 1) if (this.#held[id] === 1) yield pathOfId(id);
  }
}
