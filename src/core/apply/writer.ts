import { rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { BackupReason, SnapshotWriter } from '../backup/index.ts';
import { isNodeError } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import { fileOnTheWay } from '../fs/index.ts';
import {
  commitStaged,
  DirSyncer,
  forEachConcurrently,
  stageReplace,
  syncStaged,
  tempPrefix,
  WriteRefused,
  type Staged,
  type SyncWhen,
  type WriteExpectation,
  type WriteSource,
  type Written,
} from '../fs/index.ts';
import { isSafeRelativePath, linkOnTheWay, pathBelow } from '../fs/index.ts';
import { sameStat, statOrUndefined } from '../fs/index.ts';

/** One file of a replaceAll. */
export interface Replacement {
  path: string;
  /** Opened only when the file's turn comes. */
  source: () => Promise<WriteSource>;
  /** The new bytes' size, to bound a batch. */
  size: number;
  expect: WriteExpectation;
  /** Keeps the version it replaces in the run's snapshot, for this reason. */
  backup?: BackupReason;
}

/** Files written at once, as in an apply: enough to overlap one file's reading with others' writing. */
const CONCURRENCY = 8;
/** At most this many files, and bytes, of a replaceAll wait in temp files beside their targets. */
const BATCH_FILES = 1000;
const BATCH_BYTES = 256 * 1024 * 1024;

export interface WriterOptions {
  roots: Record<Side, string>;
  snapshot: SnapshotWriter;
  /** Test hook for crash injection: awaited after each finished write (a rename or a deletion), counted from 1. */
  afterWrite?: (count: number) => void | Promise<void>;
}

/**
 * The only thing that writes into the Codex home or the cloud mirror. Every write checks its
 * path (relative, no "..", no symbolic link on the way), keeps the version it replaces in the
 * run's snapshot when asked, and goes through the one atomic replace of fs/atomic.ts; every
 * deletion is backed up and re-checked first. Renames are made durable folder by folder.
 */
export class GuardedWriter {
  readonly roots: Record<Side, string>;
  readonly snapshot: SnapshotWriter;
  readonly #dirs = new DirSyncer();
  readonly #checked: Record<Side, Set<string>> = { local: new Set(), cloud: new Set() };
  readonly #afterWrite: ((count: number) => void | Promise<void>) | undefined;
  #writes = 0;

  constructor(options: WriterOptions) {
    this.roots = options.roots;
    this.snapshot = options.snapshot;
    this.#afterWrite = options.afterWrite;
  }

  /** Where `path` is on `side`, once it is known to be safe to write. */
  async target(side: Side, path: string): Promise<string> {
    if (!isSafeRelativePath(path)) throw new WriteRefused('unsafe-path', path);
    const link = await linkOnTheWay(this.roots[side], path, this.#checked[side]);
    if (link !== undefined) throw new WriteRefused('unsafe-path', link);
    return pathBelow(this.roots[side], path);
  }

  /** Keeps the current version of a file in the run's snapshot. */
  async backup(side: Side, path: string, seen: FileStat, reason: BackupReason): Promise<void> {
    await this.snapshot.add(side, this.roots[side], path, seen, reason);
  }

  /**
   * First half of a replace: the new bytes staged beside the target (see stageReplace). Where
   * a file stands in the way of the target's folder (a file replaced by a folder, deleted
   * later in the run), they are staged beside that file and the folder is made at the commit.
   */
  async stage(side: Side, path: string, source: WriteSource, expect: WriteExpectation, sync: SyncWhen = 'now'): Promise<Staged> {
    const target = await this.target(side, path);
    try {
      return await stageReplace(target, source, expect, undefined, sync);
    } catch (error) {
      const blocking = isNodeError(error, 'ENOTDIR') ? fileOnTheWay(this.roots[side], path) : undefined;
      if (blocking === undefined) throw error;
      return stageReplace(target, source, expect, dirname(blocking), sync);
    }
  }

  /** Second half: the target re-checked and replaced; a new file takes the place of folders left empty (a folder replaced by a file). */
  async commit(staged: Staged, expectTarget: WriteExpectation['target']): Promise<Written> {
    const written = await commitStaged(staged, expectTarget, this.#dirs, { emptyFolderGivesWay: true });
    await this.#count();
    return written;
  }

  /** Replaces (or creates) `path` on `side`; `backup` first keeps the version it replaces. */
  async replace(side: Side, path: string, source: WriteSource, expect: WriteExpectation, backup?: BackupReason): Promise<Written> {
    const staged = await this.stage(side, path, source, expect);
    try {
      if (backup !== undefined && expect.target !== undefined && expect.target !== 'any') await this.backup(side, path, expect.target, backup);
    } catch (error) {
      await rm(staged.temp, { force: true });
      throw error;
    }
    return this.commit(staged, expect.target);
  }

  /**
   * Replaces many files of one side in one pass, batch by batch: each new version staged beside
   * its target and each replaced version backed up, a few files at a time, each file's sync to
   * disk started once it is written while the next ones are (fsyncs in flight together share
   * the journal's commits); once all are on disk, each renamed into place. Stopped anywhere, every file is its old or its new version, and every replaced
   * version is on disk in the snapshot before its file changes. `settled` hears of each file:
   * written, or refused (left as it was). Any other error stops at the end of the files in hand.
   */
  async replaceAll(side: Side, replacements: readonly Replacement[], settled: (replacement: Replacement, outcome: Written | WriteRefused) => void): Promise<void> {
    for (const batch of batches(replacements)) {
      const staged = new Map<Replacement, Staged>();
      // Each sync's failure is kept until the whole batch is written (an unhandled rejection would end the process).
      const syncing: Array<Promise<{ error: unknown } | undefined>> = [];
      try {
        await forEachConcurrently(batch, CONCURRENCY, async (replacement) => {
          const { path, expect, backup } = replacement;
          try {
            const ready = await this.stage(side, path, await replacement.source(), expect, 'later');
            staged.set(replacement, ready);
            if (backup !== undefined && expect.target !== undefined && expect.target !== 'any') await this.snapshot.add(side, this.roots[side], path, expect.target, backup, 'later');
            syncing.push(
              syncStaged([ready]).then(
                () => undefined,
                (error: unknown) => ({ error }),
              ),
            );
          } catch (error) {
            if (!(error instanceof WriteRefused)) throw error;
            await discard(staged, replacement);
            settled(replacement, error);
          }
        });
        const failed = (await Promise.all(syncing)).find((outcome) => outcome !== undefined);
        if (failed !== undefined) throw failed.error;
        await this.snapshot.syncPending();
        await forEachConcurrently([...staged.keys()], CONCURRENCY, async (replacement) => {
          const ready = staged.get(replacement) as Staged;
          staged.delete(replacement);
          try {
            settled(replacement, await this.commit(ready, replacement.expect.target));
          } catch (error) {
            if (!(error instanceof WriteRefused)) throw error;
            settled(replacement, error);
          }
        });
      } finally {
        // Staged files whose commit never came leave nothing behind.
        await Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
      }
    }
  }

  /** Deletes `path` on `side`, always after a backup, and only if it is still what the scan saw. */
  async remove(side: Side, path: string, seen: FileStat): Promise<void> {
    const target = await this.target(side, path);
    await this.backup(side, path, seen, 'delete');
    if (!sameStat(statOrUndefined(target), seen)) throw new WriteRefused('target-changed', target);
    await rm(target);
    this.#dirs.later(dirname(target));
    await this.#count();
  }

  /** Removes a temp file an interrupted run left behind (only codexSync's own temp names). */
  async removeLeftover(side: Side, path: string): Promise<void> {
    if (!basename(path).startsWith(tempPrefix)) throw new WriteRefused('unsafe-path', path);
    await rm(await this.target(side, path), { force: true });
  }

  /** Makes every rename and deletion so far durable (before the base state that records them). */
  async flush(): Promise<void> {
    await this.#dirs.flush();
  }

  async #count(): Promise<void> {
    this.#writes += 1;
    await this.#afterWrite?.(this.#writes);
  }
}

/** Consecutive runs of replacements within the batch limits. */
function* batches(replacements: readonly Replacement[]): Generator<Replacement[]> {
  let batch: Replacement[] = [];
  let bytes = 0;
  for (const replacement of replacements) {
    if (batch.length > 0 && (batch.length === BATCH_FILES || bytes + replacement.size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(replacement);
    bytes += replacement.size;
  }
  if (batch.length > 0) yield batch;
}

async function discard(staged: Map<Replacement, Staged>, replacement: Replacement): Promise<void> {
  const temp = staged.get(replacement)?.temp;
  staged.delete(replacement);
  if (temp !== undefined) await rm(temp, { force: true });
}
