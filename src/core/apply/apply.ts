import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DirSyncer, writeProblem } from '../fs/atomic.ts';
import { forEachAtOnce } from '../fs/limit.ts';
import { pathBelow } from '../fs/paths.ts';
import type { BackupReason, SnapshotWriter } from '../backup/snapshot.ts';
import { CodexSyncError, describeFsError, ExitCode, isNodeError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { mergeJsonl } from './mergeJsonl.ts';
import { otherSide, type FileStat, type Side } from '../scan/types.ts';
import type { BaseEntry, BaseState } from '../state/base.ts';
import type { Action, Plan } from '../plan/types.ts';
import { assertNoLinkOnTheWay, commitStaged, CopyRefused, replaceFile, replaceWithBytes, sameStat, stageCopy, statOrUndefined, type Staged, type Written } from './copy.ts';

export interface ProgressEvent {
  phase: 'apply';
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  path: string;
}

export interface ApplyOptions {
  plan: Plan;
  roots: Record<Side, string>;
  /** Updated in place as each action succeeds. */
  base: BaseState;
  snapshot: SnapshotWriter;
  backupBeforeOverwrite: boolean;
  log: Logger;
  progress?: (event: ProgressEvent) => void;
  /** The handoff record's hash of a file pulled from the cloud, when another machine recorded one. */
  expectedCloudHash?: (path: string) => string | undefined;
  /** Named in the message when pulled bytes do not match the record. */
  pushedBy?: string;
  /** Test hook: a pause after each file, so that a crash can be injected between files. */
  pauseAfterEachMs?: number;
  /** Once aborted, no further file is started; the ones under way finish whole. */
  signal?: AbortSignal;
}

export interface Failure {
  path: string;
  message: string;
  /** A refusal that protects data (a file changed under us, a link on the way). */
  safety: boolean;
}

export interface ApplyReport {
  applied: number;
  failures: Failure[];
  bytes: number;
  /** Whether anything in the cloud mirror was written or deleted. */
  cloudChanged: boolean;
  /** Stopped by the signal before every action was done. */
  cancelled: boolean;
}


/** Files written at once: enough to overlap the fsync of one with the copying of others. */
const APPLY_CONCURRENCY = 8;
type Copy = Extract<Action, { kind: 'copy' }>;

/**
 * Runs a plan's writes. Files coming into the Codex home are first all staged (copied to temp
 * files beside their targets, hashed and checked against the handoff record): if any has
 * not fully arrived, nothing in the Codex home changes. Then merges, copies and deletions,
 * each file backed up first and renamed into place whole.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyReport> {
  const { plan, base, log } = options;
  const phases = (['merge', 'copy', 'delete'] as const).map((kind) => plan.actions.filter((a) => a.kind === kind));
  const total = plan.actions.length;
  const bytesTotal = plan.actions.reduce((sum, a) => sum + (a.kind === 'copy' ? a.source.size : a.kind === 'merge' ? a.local.size + a.cloud.size : 0), 0);
  const report: ApplyReport = { applied: 0, failures: [], bytes: 0, cloudChanged: false, cancelled: false };
  const checked: Record<Side, Set<string>> = { local: new Set(), cloud: new Set() };
  const dirs = new DirSyncer();
  const staged = await stagePulls(plan.actions.filter((a): a is Copy => a.kind === 'copy' && a.to === 'local'), options, checked.local);

  for (const record of plan.records) base.entries.set(record.path, record.entry);
  for (const path of plan.forgets) base.entries.delete(path);

  let done = 0;
  let diskFull: { path: string } | undefined;
  const run = async (action: Action): Promise<void> => {
    if (diskFull !== undefined) return;
    if (options.signal?.aborted === true) {
      report.cancelled = true;
      return;
    }
    try {
      const bytes = await applyOne(action, options, staged, checked, dirs);
      report.applied += 1;
      report.bytes += bytes;
      if ((action.kind === 'copy' && action.to === 'cloud') || (action.kind === 'delete' && action.side === 'cloud') || action.kind === 'merge') {
        report.cloudChanged = true;
      }
      log.info(describe(action), { path: action.path });
    } catch (error) {
      if (isNodeError(error, 'ENOSPC')) {
        diskFull ??= { path: action.path };
        return;
      }
      const safety = error instanceof CopyRefused;
      const message = safety ? error.message : `cannot write ${action.path}: ${describeFsError(error)}`;
      report.failures.push({ path: action.path, message, safety });
      log.error(`not done: ${describe(action)}: ${message}`, { path: action.path });
    }
    done += 1;
    options.progress?.({ phase: 'apply', done, total, bytesDone: report.bytes, bytesTotal, path: action.path });
    if (options.pauseAfterEachMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.pauseAfterEachMs));
  };
  try {
    // Merges, then copies, then deletions; within each, a few files at a time.
    for (const phase of phases) await forEachAtOnce(phase, APPLY_CONCURRENCY, run);
  } finally {
    // Staged files whose commit never came (a failure, a full disk) leave nothing behind.
    await Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
    await dirs.flush();
  }
  if (diskFull !== undefined) {
    throw new CodexSyncError(ExitCode.runtimeError, `the disk is full while writing ${diskFull.path}: every file is either its old or its new version; free some space and run again`);
  }
  report.failures.sort((a, b) => (a.path < b.path ? -1 : 1));
  return report;
}

async function stagePulls(pulls: Copy[], options: ApplyOptions, checked: Set<string>): Promise<Map<string, Staged>> {
  const staged = new Map<string, Staged>();
  const pending: string[] = [];
  try {
    await forEachAtOnce(pulls, APPLY_CONCURRENCY, async (action) => {
      try {
        await assertNoLinkOnTheWay(options.roots.local, action.path, checked);
        const expected = options.expectedCloudHash?.(action.path);
        staged.set(
          action.path,
          await stageCopy(pathBelow(options.roots.cloud, action.path), pathBelow(options.roots.local, action.path), {
            source: action.source,
            ...(expected === undefined ? {} : { sha256: expected }),
          }),
        );
      } catch (error) {
        if (error instanceof CopyRefused && error.why === 'unsafe-path') throw error;
        const target = pathBelow(options.roots.local, action.path);
        const sourceGone = isNodeError(error, 'ENOENT') && (await statOrUndefined(pathBelow(options.roots.cloud, action.path))) === undefined;
        if (error instanceof CopyRefused || sourceGone) pending.push(action.path);
        else {
          const cause = (await writeProblem(dirname(target))) ?? error;
          throw new CodexSyncError(ExitCode.runtimeError, `cannot write into the Codex home ${options.roots.local} (${describeFsError(cause)}): nothing was changed`);
        }
      }
    });
  } catch (error) {
    await Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
    if (error instanceof CopyRefused) throw new CodexSyncError(ExitCode.safeAbort, `${error.message}: nothing was changed`);
    throw error;
  }
  if (pending.length > 0) {
    await Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
    const from = options.pushedBy === undefined ? 'the other machine' : options.pushedBy;
    throw new CodexSyncError(
      ExitCode.safeAbort,
      `the cloud folder has not finished syncing from ${from} (${pending.length} ${pending.length === 1 ? 'file' : 'files'} pending: ${pending.slice(0, 5).join(', ')}${pending.length > 5 ? ', …' : ''}): nothing in the Codex home was changed; wait for the cloud client and run again`,
    );
  }
  return staged;
}

async function applyOne(action: Action, options: ApplyOptions, staged: Map<string, Staged>, checked: Record<Side, Set<string>>, dirs: DirSyncer): Promise<number> {
  const { roots, base } = options;
  switch (action.kind) {
    case 'copy': {
      await assertNoLinkOnTheWay(roots[action.to], action.path, checked[action.to]);
      if (action.target !== undefined && options.backupBeforeOverwrite) {
        await backup(options, action.to, action.path, action.target, 'overwrite');
      }
      let written: Written;
      const pulled = staged.get(action.path);
      if (action.to === 'local' && pulled !== undefined) {
        staged.delete(action.path);
        written = await commitStaged(pulled, action.target, dirs);
      } else {
        written = await replaceFile(pathBelow(roots[action.from], action.path), pathBelow(roots[action.to], action.path), { source: action.source, target: action.target }, dirs);
      }
      base.entries.set(action.path, entryFor(action.to, written, action.source));
      return written.size;
    }
    case 'delete': {
      // A deletion always keeps a copy, whatever backup_before_overwrite says.
      await backup(options, action.side, action.path, action.target, 'delete');
      const target = pathBelow(roots[action.side], action.path);
      if (!sameStat(await statOrUndefined(target), action.target)) {
        throw new CopyRefused('target-changed', `${target} changed since the scan; it was not deleted`);
      }
      await rm(target);
      dirs.later(dirname(target));
      base.entries.delete(action.path);
      return 0;
    }
    case 'merge': {
      for (const side of ['local', 'cloud'] as const) await assertNoLinkOnTheWay(roots[side], action.path, checked[side]);
      const [localBytes, cloudBytes] = await Promise.all([
        readExpected(pathBelow(roots.local, action.path), action.local),
        readExpected(pathBelow(roots.cloud, action.path), action.cloud),
      ]);
      const merged = mergeJsonl(localBytes, cloudBytes);
      const mtimeMs = Math.max(action.local.mtimeMs, action.cloud.mtimeMs);
      const results: Partial<Record<Side, Written>> = {};
      for (const side of ['local', 'cloud'] as const) {
        const current = side === 'local' ? localBytes : cloudBytes;
        const stat = side === 'local' ? action.local : action.cloud;
        if (Buffer.compare(current, merged) === 0) continue;
        if (options.backupBeforeOverwrite) await backup(options, side, action.path, stat, 'merge');
        results[side] = await replaceWithBytes(pathBelow(roots[side], action.path), merged, mtimeMs, stat, dirs);
      }
      base.entries.set(action.path, {
        size: merged.length,
        sha256: createHash('sha256').update(merged).digest('hex'),
        localMtimeMs: results.local?.mtimeMs ?? action.local.mtimeMs,
        cloudMtimeMs: results.cloud?.mtimeMs ?? action.cloud.mtimeMs,
      });
      return merged.length;
    }
  }
}

async function backup(options: ApplyOptions, side: Side, path: string, stat: FileStat, reason: BackupReason): Promise<void> {
  await options.snapshot.add(side, options.roots[side], path, stat, reason);
}

async function readExpected(file: string, expected: FileStat): Promise<Buffer> {
  const bytes = await readFile(file);
  if (!sameStat(await statOrUndefined(file), expected) || bytes.length !== expected.size) {
    throw new CopyRefused('target-changed', `${file} changed since the scan; it was left as it is`);
  }
  return bytes;
}

function entryFor(written: Side, result: Written, source: FileStat): BaseEntry {
  const mtimes = { [written]: result.mtimeMs, [otherSide(written)]: source.mtimeMs } as Record<Side, number>;
  return { size: result.size, sha256: result.sha256, localMtimeMs: mtimes.local, cloudMtimeMs: mtimes.cloud };
}

export function describe(action: Action): string {
  const arrow = (from: Side): string => (from === 'local' ? 'this machine -> cloud' : 'cloud -> this machine');
  switch (action.kind) {
    case 'copy':
      return `copied ${action.path} (${arrow(action.from)})`;
    case 'delete':
      return `deleted ${action.path} on ${action.side === 'local' ? 'this machine' : 'the cloud'}`;
    case 'merge':
      return `merged ${action.path} (both sides)`;
  }
}
