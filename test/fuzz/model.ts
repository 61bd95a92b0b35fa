import { basename, join } from 'node:path';
import { isJsonl, mergedPaths } from './steps.ts';
import { hashOf, jsonlLines, rolloutIdOf, rolloutShape, scanTree, versionKey, versionOwner, type FileNode } from './trees.ts';

export type Invariant = 'torn' | 'outside' | 'lost' | 'temps' | 'exit' | 'converge';

export interface Violation {
  invariant: Invariant;
  detail: string;
}

/** Where versions live right now: every Codex home, the cloud folder, and the cloud client's held-back files. */
export interface Live {
  trees: ReadonlyArray<{ name: string; files: ReadonlyMap<string, FileNode> }>;
  held: ReadonlyArray<{ path: string; content: string }>;
  /** Conflict copy -> original: a version the cloud client moved to a copy's name is still live. */
  copies: ReadonlyMap<string, string>;
}

/**
 * What the walk knows: every version of every path a user (or the cloud client) ever wrote,
 * the versions a codexSync run saw that must stay live or be backed up, and the backups.
 */
export class Model {
  /** By owner (a path, or a thread for its rollouts wherever they are): the hashes of every version. */
  readonly #known = new Map<string, Set<string>>();
  /** Every rollout version's shape (rolloutShape): what a fork's version kept under a fresh id may be. */
  readonly #shapes = new Set<string>();
  readonly #lines = new Map<string, Set<string>>();
  /** Rollouts whose conflict copies codexSync may fold in line by line. */
  readonly #unionAllowed = new Set<string>();
  /** Conflict copy -> its original. */
  readonly copies = new Map<string, string>();
  /** Versions a run saw, by key: they must be live somewhere or in a backup. */
  readonly #guarded = new Map<string, { path: string; since: number }>();
  readonly #backedUp = new Set<string>();
  readonly #snapshotsRead = new Set<string>();
  /** Halves the cloud client wrote in place: what a backup of the cloud side may rightly hold. */
  readonly #partials = new Set<string>();

  wrote(path: string, content: string, copyOf?: string): void {
    this.#addVersion(path, content);
    if (copyOf !== undefined) {
      this.copies.set(path, copyOf);
      this.#addVersion(copyOf, content);
      if (isJsonl(copyOf)) this.#unionAllowed.add(copyOf);
    }
  }

  #addVersion(path: string, content: string): void {
    const owner = versionOwner(path);
    let versions = this.#known.get(owner);
    if (versions === undefined) this.#known.set(owner, (versions = new Set()));
    versions.add(hashOf(content));
    const shape = rolloutShape(path, content);
    if (shape !== undefined) this.#shapes.add(shape);
    if (!isJsonl(path)) return;
    let lines = this.#lines.get(path);
    if (lines === undefined) this.#lines.set(path, (lines = new Set()));
    for (const line of jsonlLines(content)) lines.add(line);
  }

  /** The cloud client wrote half of a file in place: the cloud may hold it until the rest comes. */
  halfWritten(path: string, content: string): void {
    this.#partials.add(versionKey(path, content));
  }

  /** A version the user (or the cloud client) took away: if it was the last live copy, that loss is theirs. */
  removedByUser(path: string, content: string, live: Live): void {
    const keys = liveKeys(live);
    for (const owner of [path, this.copies.get(path)]) {
      if (owner === undefined) continue;
      const key = versionKey(owner, content);
      if (!keys.has(key)) this.#guarded.delete(key);
    }
  }

  /** A run starts: every version in its Codex home and the cloud folder is one it saw. */
  sawAtRunStart(files: Iterable<[string, FileNode]>, step: number): void {
    for (const [path, node] of files) {
      const key = versionKey(path, node.content);
      if (!this.#guarded.has(key)) this.#guarded.set(key, { path, since: step });
    }
  }

  /** Reads snapshot folders not read before; a backed-up file must itself be a known version. */
  readSnapshots(snapshots: readonly string[]): Violation[] {
    const violations: Violation[] = [];
    for (const snapshot of snapshots) {
      if (this.#snapshotsRead.has(snapshot)) continue;
      this.#snapshotsRead.add(snapshot);
      const name = basename(snapshot);
      for (const side of ['local', 'cloud']) {
        for (const [path, node] of scanTree(join(snapshot, side)).files) {
          this.#backedUp.add(versionKey(path, node.content));
          const original = this.copies.get(path);
          if (original !== undefined) this.#backedUp.add(versionKey(original, node.content));
          if (side === 'cloud' && this.#partials.has(versionKey(path, node.content))) continue;
          if (!this.isKnown(path, node.content)) violations.push({ invariant: 'torn', detail: `backup ${name}/${side}/${path} is no version ever written: ${preview(node.content)}` });
        }
      }
    }
    return violations;
  }

  /** Whether `content` is a version of `path` someone wrote, or (for merged JSONL) a union of such versions' lines. */
  isKnown(path: string, content: string): boolean {
    const original = this.copies.get(path);
    const hash = hashOf(content);
    if (this.#known.get(versionOwner(path))?.has(hash) === true || (original !== undefined && this.#known.get(versionOwner(original))?.has(hash) === true)) return true;
    const shape = rolloutShape(path, content);
    if (shape !== undefined && (this.#shapes.has(shape) || this.#isRekeyedUnion(path, content))) {
      // A fork's version kept under a fresh id is a version of its new path from now on: a
      // conflict copy of it may later be merged with it line by line.
      this.#addVersion(path, content);
      return true;
    }
    const owner = original ?? path;
    if (!isJsonl(path) || !(mergedPaths.includes(owner) || this.#unionAllowed.has(owner))) return false;
    if (content !== '' && !content.endsWith('\n')) return false;
    const lines = this.#lines.get(owner);
    return jsonlLines(content).every((line) => lines?.has(line) === true);
  }

  /**
   * A fork's version kept under a fresh id whose source was a merged conflict copy of a rollout
   * (a union of its versions' lines): its first line is that rollout's with the id changed, and
   * every other line one of that rollout's.
   */
  #isRekeyedUnion(path: string, content: string): boolean {
    const id = rolloutIdOf(path) as string;
    const [first, ...rest] = jsonlLines(content);
    if (first === undefined) return false;
    for (const owner of this.#unionAllowed) {
      const ownerId = rolloutIdOf(owner);
      const lines = this.#lines.get(owner);
      if (ownerId === undefined || lines === undefined || !lines.has(first.replaceAll(id, ownerId))) continue;
      if (rest.every((line) => lines.has(line))) return true;
    }
    return false;
  }

  /** Not torn: every file in `files` is a known version (`skip`: paths the cloud client is writing right now). */
  checkTorn(where: string, files: ReadonlyMap<string, FileNode>, skip: ReadonlySet<string> = new Set()): Violation[] {
    const violations: Violation[] = [];
    for (const [path, node] of files) {
      if (skip.has(path) || this.isKnown(path, node.content)) continue;
      violations.push({ invariant: 'torn', detail: `${where}/${path} is no version ever written: ${preview(node.content)}` });
    }
    return violations;
  }

  /** Nothing lost: each version a run saw is live somewhere, or in a backup. */
  checkLost(live: Live): Violation[] {
    const keys = liveKeys(live);
    const violations: Violation[] = [];
    for (const [key, version] of this.#guarded) {
      if (keys.has(key)) continue;
      if (this.#backedUp.has(key)) {
        this.#guarded.delete(key); // backups are never pruned in the walk: safe for good
        continue;
      }
      violations.push({ invariant: 'lost', detail: `a version of ${version.path} that a run saw (from step ${version.since + 1} on) is neither live nor in any backup` });
      this.#guarded.delete(key);
    }
    return violations;
  }
}

function liveKeys(live: Live): Set<string> {
  const keys = new Set<string>();
  for (const tree of live.trees) {
    for (const [path, node] of tree.files) {
      keys.add(versionKey(path, node.content));
      const original = live.copies.get(path);
      if (original !== undefined) keys.add(versionKey(original, node.content));
    }
  }
  for (const held of live.held) keys.add(versionKey(held.path, held.content));
  return keys;
}

function preview(content: string): string {
  const text = JSON.stringify(content);
  return text.length > 160 ? `${text.slice(0, 100)}…${text.slice(-50)} (${content.length} bytes)` : text;
}
