import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CodexSyncError, describeFsError, ExitCode, isNodeError } from '../errors.ts';
import { otherSide, type FileStat, type Side } from '../facts.ts';
import { rekeyRollout } from '../threads/index.ts';
import { WriteRefused, writeProblem, type Staged, type WriteSource, type Written } from '../fs/index.ts';
import { threadIdOf } from '../scope/index.ts';
import { forEachConcurrently } from '../fs/index.ts';
import { pathBelow } from '../fs/index.ts';
import { sameStat, statOrUndefined } from '../fs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Action, Plan } from '../plan/index.ts';
import type { BaseEntry, BaseState } from '../state/index.ts';
import { mergeJsonl } from './mergeJsonl.ts';
import type { GuardedWriter } from './writer.ts';

/** Progress of an apply, one event per finished file. */
export interface ApplyProgress {
  phase: 'apply';
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  path: string;
}

export interface ApplyOptions {
  plan: Plan;
  writer: GuardedWriter;
  /** Updated in place as each action succeeds. */
  base: BaseState;
  /** backup.backup_before_overwrite: ordinary overwrites are backed up (deletions and the loser of a conflict always are). */
  backupBeforeOverwrite: boolean;
  log: Logger;
  progress?: (event: ApplyProgress) => void;
  /** The handoff record's hash of a file pulled from the cloud, when another machine recorded one. */
  expectedCloudHash?: (path: string) => string | undefined;
  /** The machine whose handoff is pulled, for the problem raised when its files have not arrived. */
  pushedBy?: string;
  /** Once aborted, no further file is started; the ones under way finish whole. */
  signal?: AbortSignal;
  /** Has this machine's Codex drop a thread before another version of its rollout takes its place (see plan/forks.ts). */
  dropThread?: (thread: string, path: string) => Promise<void>;
}

/** Why one file was not written: each leaves it exactly as it was. */
export interface Failure {
  path: string;
  /** 'codex-call-failed': this machine's Codex did not archive or unarchive a thread as asked. */
  why: WriteRefused['why'] | 'cannot-write' | 'codex-call-failed';
  /** The file a refusal is about (the source, the target, or the link on the way). */
  file?: string;
  /** The file-system error in words, for 'cannot-write'; Codex's words, for 'codex-call-failed'. */
  detail?: string;
  /** A refusal that protects data (a file changed under us, a link on the way), not a broken disk. */
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

/** Codex did not drop a thread before another version of it was to take its place: the file is left as it is. */
export class ThreadNotDropped extends Error {}

/** Files written at once: enough to overlap the fsync of one with the copying of others. */
const APPLY_CONCURRENCY = 8;
type Copy = Extract<Action, { kind: 'copy' }>;

/**
 * Runs a plan's writes through the run's writer. Files coming into the Codex home are first
 * all staged (copied to temp files beside their targets, hashed and checked against the
 * handoff record): if any has not fully arrived, nothing in the Codex home changes. Then kept
 * copies, merges, copies and deletions, each file backed up first and renamed into place whole.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyReport> {
  const { plan, base, log } = options;
  // A type change's deletions come before the copies: a folder's files cannot be written where its name is still a file, nor the reverse.
  const typeChange = (a: Action): boolean => a.kind === 'delete' && a.reason !== 'deleted';
  const phases = [
    plan.actions.filter((a) => a.kind === 'keep'),
    plan.actions.filter((a) => a.kind === 'merge'),
    plan.actions.filter(typeChange),
    plan.actions.filter((a) => a.kind === 'copy'),
    plan.actions.filter((a) => a.kind === 'delete' && !typeChange(a)),
  ];
  const total = plan.actions.length;
  const bytesTotal = plan.actions.reduce((sum, a) => sum + (a.kind === 'merge' ? a.local.size + a.cloud.size : a.kind === 'delete' ? 0 : a.source.size), 0);
  const report: ApplyReport = { applied: 0, failures: [], bytes: 0, cloudChanged: false, cancelled: false };
  const staged = await stagePulls(
    plan.actions.filter((a): a is Copy => a.kind === 'copy' && a.to === 'local'),
    options,
  );

  for (const refresh of plan.baseRefreshes) base.entries.set(refresh.path, refresh.entry);
  for (const path of plan.baseForgets) base.entries.delete(path);

  let done = 0;
  let diskFull: { path: string } | undefined;
  const run = async (action: Action): Promise<void> => {
    if (diskFull !== undefined) return;
    if (options.signal?.aborted === true) {
      report.cancelled = true;
      return;
    }
    try {
      const bytes = await applyOne(action, options, staged);
      report.applied += 1;
      report.bytes += bytes;
      if ((action.kind === 'copy' && action.to === 'cloud') || (action.kind === 'delete' && action.side === 'cloud') || action.kind === 'merge' || action.kind === 'keep') {
        report.cloudChanged = true;
      }
      log.info(describe(action), { path: action.path });
    } catch (error) {
      if (isNodeError(error, 'ENOSPC')) {
        diskFull ??= { path: action.path };
        return;
      }
      const failure: Failure =
        error instanceof ThreadNotDropped
          ? { path: action.path, why: 'codex-call-failed', detail: error.message, safety: true }
          : error instanceof WriteRefused
            ? { path: action.path, why: error.why, file: error.file, safety: true }
            : { path: action.path, why: 'cannot-write', detail: describeFsError(error), safety: false };
      report.failures.push(failure);
      log.error(`not done: ${describe(action)}: ${failure.why}${failure.detail === undefined ? '' : ` (${failure.detail})`}`, { path: action.path });
    }
    done += 1;
    options.progress?.({ phase: 'apply', done, total, bytesDone: report.bytes, bytesTotal, path: action.path });
  };
  try {
    // Kept copies, merges, type changes' deletions, copies, then deletions; within each, a few files at a time.
    for (const phase of phases) await forEachConcurrently(phase, APPLY_CONCURRENCY, run);
  } finally {
    // Staged files whose commit never came (a failure, a full disk) leave nothing behind.
    await Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
    await options.writer.flush();
  }
  if (diskFull !== undefined) throw new CodexSyncError(ExitCode.runtimeError, { code: 'disk-full', path: diskFull.path });
  report.failures.sort((a, b) => (a.path < b.path ? -1 : 1));
  return report;
}

async function stagePulls(pulls: Copy[], options: ApplyOptions): Promise<Map<string, Staged>> {
  const { writer } = options;
  const staged = new Map<string, Staged>();
  // Not fully arrived (other bytes than the handoff record says), and changed (or gone) since this run's scan.
  const pending: string[] = [];
  const changed: string[] = [];
  const discard = (): Promise<unknown> => Promise.all([...staged.values()].map((s) => rm(s.temp, { force: true })));
  try {
    await forEachConcurrently(pulls, APPLY_CONCURRENCY, async (action) => {
      try {
        const expected = options.expectedCloudHash?.(action.path);
        const source = { file: pathBelow(writer.roots.cloud, action.path), seen: action.source };
        staged.set(action.path, await writer.stage('local', action.path, source, { target: action.target, ...(expected === undefined ? {} : { sha256: expected }) }));
      } catch (error) {
        if (error instanceof WriteRefused && error.why === 'unsafe-path') throw error;
        const sourceGone = isNodeError(error, 'ENOENT') && statOrUndefined(pathBelow(writer.roots.cloud, action.path)) === undefined;
        if (error instanceof WriteRefused && error.why === 'hash-mismatch') pending.push(action.path);
        else if (error instanceof WriteRefused || sourceGone) changed.push(action.path);
        else {
          const cause = (await writeProblem(dirname(pathBelow(writer.roots.local, action.path)))) ?? error;
          throw new CodexSyncError(ExitCode.runtimeError, { code: 'home-unwritable', root: writer.roots.local, why: describeFsError(cause) });
        }
      }
    });
  } catch (error) {
    await discard();
    if (error instanceof WriteRefused) throw new CodexSyncError(ExitCode.safeAbort, { code: 'unsafe-path', path: error.file });
    throw error;
  }
  if (pending.length > 0) {
    await discard();
    throw new CodexSyncError(ExitCode.safeAbort, { code: 'arrival-pending', from: options.pushedBy, count: pending.length, paths: pending.sort() });
  }
  if (changed.length > 0) {
    await discard();
    throw new CodexSyncError(ExitCode.safeAbort, { code: 'changed-during-run', side: 'cloud', count: changed.length, paths: changed.sort() });
  }
  return staged;
}

async function applyOne(action: Action, options: ApplyOptions, staged: Map<string, Staged>): Promise<number> {
  const { writer, base } = options;
  switch (action.kind) {
    case 'copy': {
      const backup = action.target !== undefined && (options.backupBeforeOverwrite || replacesALoser(action));
      const pulled = staged.get(action.path);
      let written: Written;
      if (action.to === 'local' && pulled !== undefined) {
        staged.delete(action.path);
        const dropped = action.drops ?? (action.target === undefined ? undefined : { path: action.path, stat: action.target });
        if (action.replaceThread === true && dropped !== undefined) {
          // Codex drops its own version of the thread (file, list entry, history), backed up first; then the other version takes its place.
          await writer.backup('local', dropped.path, dropped.stat, 'overwrite');
          if (options.dropThread === undefined) throw new WriteRefused('target-changed', pathBelow(writer.roots.local, dropped.path));
          await options.dropThread(threadIdOf(action.path) as string, dropped.path);
          if (dropped.path !== action.path) base.entries.delete(dropped.path);
          written = await writer.commit(pulled, undefined);
        } else {
          if (backup && action.target !== undefined) await writer.backup('local', action.path, action.target, 'overwrite');
          written = await writer.commit(pulled, action.target);
        }
      } else {
        const source = { file: pathBelow(writer.roots[action.from], action.path), seen: action.source };
        written = await writer.replace(action.to, action.path, source, { target: action.target }, backup ? 'overwrite' : undefined);
      }
      base.entries.set(action.path, entryFor(action.to, written, action.source));
      return written.size;
    }
    case 'keep': {
      // One side's version of a conflict, kept beside it under a new name on both sides; a fork's under a fresh thread id.
      const from = action.from ?? 'cloud';
      const file = pathBelow(writer.roots[from], action.of);
      const rekeyed = action.rekey === undefined ? undefined : underFreshId(await readExpected(file, action.source), action.of, action.rekey, file);
      const source = (): WriteSource => (rekeyed === undefined ? { file, seen: action.source } : { bytes: rekeyed });
      const mtimes: Partial<Record<Side, number>> = {};
      const inos: Partial<Record<Side, number>> = {};
      let written: Written | undefined;
      for (const side of action.sides) {
        const target = action.targets?.[side];
        // With its source's time, as a copy keeps it: a run killed after this write knows it for its own push (state/pushes.ts).
        written = await writer.replace(side, action.path, source(), { target, mtimeMs: action.source.mtimeMs }, target === undefined ? undefined : 'overwrite');
        mtimes[side] = written.mtimeMs;
        inos[side] = written.ino;
      }
      if (written !== undefined && action.sides.length === 2) {
        base.entries.set(action.path, { size: written.size, sha256: written.sha256, localMtimeMs: mtimes.local ?? 0, cloudMtimeMs: mtimes.cloud ?? 0, ...inodes(inos.local, inos.cloud) });
      }
      return rekeyed?.length ?? action.source.size;
    }
    case 'delete': {
      await writer.remove(action.side, action.path, action.target);
      base.entries.delete(action.path);
      return 0;
    }
    case 'merge': {
      const [localBytes, cloudBytes] = await Promise.all([
        readExpected(await writer.target('local', action.path), action.local),
        readExpected(await writer.target('cloud', action.path), action.cloud),
      ]);
      const merged = mergeJsonl(localBytes, cloudBytes);
      const mtimeMs = Math.max(action.local.mtimeMs, action.cloud.mtimeMs);
      const results: Partial<Record<Side, Written>> = {};
      for (const side of ['local', 'cloud'] as const) {
        const current = side === 'local' ? localBytes : cloudBytes;
        if (Buffer.compare(current, merged) === 0) continue;
        const seen = side === 'local' ? action.local : action.cloud;
        const backup = options.backupBeforeOverwrite || replacesALoser(action) ? 'merge' : undefined;
        results[side] = await writer.replace(side, action.path, { bytes: merged }, { target: seen, mtimeMs }, backup);
      }
      base.entries.set(action.path, {
        size: merged.length,
        sha256: createHash('sha256').update(merged).digest('hex'),
        localMtimeMs: results.local?.mtimeMs ?? action.local.mtimeMs,
        cloudMtimeMs: results.cloud?.mtimeMs ?? action.cloud.mtimeMs,
        ...inodes(results.local === undefined ? action.local.ino : results.local.ino, results.cloud === undefined ? action.cloud.ino : results.cloud.ino),
      });
      return merged.length;
    }
  }
}

/**
 * Whether an action replaces the version that lost a conflict: settled by conflict.policy, by
 * sync.equal_mtime_action (planned only where the content differs) or by the user's choice.
 * That version is always backed up; backup_before_overwrite covers ordinary overwrites only.
 */
function replacesALoser(action: Extract<Action, { kind: 'copy' | 'merge' }>): boolean {
  return action.reason === 'conflict-resolved' || action.reason === 'equal-mtime-resolved' || action.reason === 'chosen';
}

/** A fork's version under its fresh thread id; a rollout whose first line does not name its thread is not rewritten. */
function underFreshId(bytes: Buffer, of: string, rekey: { from: string; to: string }, file: string): Buffer {
  const result = rekeyRollout(bytes, of.slice(of.lastIndexOf('/') + 1), rekey.from, rekey.to);
  if (!result.ok) throw new WriteRefused('hash-mismatch', file);
  return result.bytes;
}

async function readExpected(file: string, expected: FileStat): Promise<Buffer> {
  const bytes = await readFile(file);
  if (!sameStat(statOrUndefined(file), expected) || bytes.length !== expected.size) throw new WriteRefused('target-changed', file);
  return bytes;
}

function entryFor(written: Side, result: Written, source: FileStat): BaseEntry {
  const mtimes = { [written]: result.mtimeMs, [otherSide(written)]: source.mtimeMs } as Record<Side, number>;
  const inos = { [written]: result.ino, [otherSide(written)]: source.ino } as Record<Side, number | undefined>;
  return { size: result.size, sha256: result.sha256, localMtimeMs: mtimes.local, cloudMtimeMs: mtimes.cloud, ...inodes(inos.local, inos.cloud) };
}

/** A base entry's inodes (the hash cache's keys), where known. */
function inodes(local: number | undefined, cloud: number | undefined): Pick<BaseEntry, 'localIno' | 'cloudIno'> {
  return { ...(local === undefined ? {} : { localIno: local }), ...(cloud === undefined ? {} : { cloudIno: cloud }) };
}

/** One action in a log line (the log is codexSync's own record, not a user interface). */
/** A deletion's cause in the log, after its path (a plain deletion needs none). */
const deletedWhy: Record<Extract<Action, { kind: 'delete' }>['reason'], string> = {
  deleted: '',
  'became-folder': ' (the other side changed it from a file to a folder)',
  'became-file': ' (the other side changed a folder it is in to a file)',
  archived: ' (the thread was archived: it moved to archived_sessions/)',
  unarchived: ' (the thread was unarchived: it moved back to sessions/)',
  'form-changed': " (the thread's other form takes its place)",
  'fork-kept': ' (kept under a fresh id beside it: the thread was moved on one side and continued on the other)',
};

export function describe(action: Action): string {
  const arrow = (from: Side): string => (from === 'local' ? 'this machine -> cloud' : 'cloud -> this machine');
  switch (action.kind) {
    case 'copy':
      return `copied ${action.path} (${arrow(action.from)})`;
    case 'keep':
      return action.rekey === undefined
        ? `kept the cloud's version of ${action.of} as ${action.path}`
        : `kept ${action.from === 'local' ? "this machine's" : "the cloud's"} version of thread ${action.rekey.from} as thread ${action.rekey.to} (${action.path})`;
    case 'delete':
      return `deleted ${action.path} on ${action.side === 'local' ? 'this machine' : 'the cloud'}${deletedWhy[action.reason]}`;
    case 'merge':
      return `merged ${action.path} (both sides)`;
  }
}
