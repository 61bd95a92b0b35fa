import { join } from 'node:path';
import { applyPlan, mergeConflictCopies, mergedCopyTimes, ThreadNotDropped, type ApplyReport } from '../apply/index.ts';
import { snapshotBaseName } from '../backup/index.ts';
import { catalogueCopiesDir, findCatalogue, mapProjectFolders, reserveCatalogueCopy, type CatalogueResult } from '../catalogue/index.ts';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { checkCodex, removeOwnStaleLock } from '../guard/index.ts';
import { newestRecord } from '../handoff/index.ts';
import { unsettledConflicts, type ConflictChoice, type Plan } from '../plan/index.ts';
import { isThreadFile, threadIdOf } from '../scope/index.ts';
import type { PushNotes } from '../state/index.ts';
import { guardOptions, rulesFrom, type EngineContext } from './context.ts';
import { hasWork, planRun, recordNeeded, recordOf, reportOnlyCheck, waitingRecordOf, type PlannedRun, type PlanResult } from './planRun.ts';
import { inWriteSession, type WriteSession } from './session.ts';
import { carryMarks, readMarks } from './marksPhase.ts';
import { addThreads, CodexCalls, keepBaseOfNamed, markForks, moveThreads, type ForkOutcome, type ThreadsResult } from './threadPhase.ts';

/**
 * 'in-sync': nothing to write and nothing differs; 'left-different': nothing to write, but
 * files differ on purpose (equal_mtime_action = "skip") or were left alone behind a skipped entry.
 */
export type SyncStatus = 'in-sync' | 'left-different' | 'dry-run' | 'applied' | 'conflicts' | 'partial' | 'cancelled' | 'plan-changed';

export interface SyncResult extends PlanResult {
  mode: 'dry-run' | 'apply';
  status: SyncStatus;
  /** Whether both sides hold the same files once the run is over: nothing differs, nothing was left different. */
  inSync: boolean;
  exitCode: ExitCode;
  apply: ApplyReport | undefined;
  snapshot: string | undefined;
  pruned: string[];
  /** What Codex was asked so that it lists, archives and unarchives the handed-off threads. */
  threads: ThreadsResult | undefined;
  /** What [paths.map] did to the project folders in Codex's catalogue. */
  catalogue: CatalogueResult | undefined;
}

export interface SyncOptions {
  apply: boolean;
  /** The user's choice per conflicting path (the app's conflict review); overrides conflict.policy. */
  choices?: ReadonlyMap<string, ConflictChoice>;
  /** Apply only if a fresh scan finds exactly the plan with this fingerprint (the plan a person reviewed). */
  expectPlanFingerprint?: string;
  /** Go past the large-deletion guard. */
  acceptLargeDeletion?: boolean;
  /** Take the cloud's files as they are, without waiting for the other machine's handoff record. */
  ignoreHandoffRecord?: boolean;
  /** Merge the cloud client's conflict copies of JSONL files into their originals. */
  mergeConflictCopies?: boolean;
}

/**
 * `sync`: a dry run reports. An apply checks Codex is closed, plans, and stops before any
 * write for a conflict nobody settled, a handoff that has not fully arrived or a large
 * deletion; then, in one write session, it backs up, copies, verifies, records the base and,
 * when the cloud folder changed, writes its handoff record last.
 */
export async function sync(ctx: EngineContext, options: SyncOptions): Promise<SyncResult> {
  const { config, log } = ctx;
  // An apply must know Codex is closed before it scans: Codex writes its files as it exits.
  const guard = options.apply ? await checkCodex(guardOptions(ctx), 'enforce') : reportOnlyCheck(ctx);
  const planOptions = { ignoreHandoffRecord: options.ignoreHandoffRecord === true, ...(options.choices === undefined ? {} : { choices: options.choices }) };
  let run = await planRun(ctx, guard, planOptions);
  const done = (status: SyncStatus, exitCode: ExitCode, extra: Partial<SyncResult> = {}): SyncResult => ({
    ...run.result,
    mode: options.apply ? 'apply' : 'dry-run',
    status,
    inSync: sidesAgree(run.result, status),
    exitCode,
    apply: undefined,
    snapshot: undefined,
    pruned: [],
    threads: undefined,
    catalogue: undefined,
    ...extra,
  });
  if (options.expectPlanFingerprint !== undefined && options.expectPlanFingerprint !== run.result.fingerprint) return done('plan-changed', ExitCode.safeAbort);

  const { plan } = run.result;
  const mergingCopies = options.apply && options.mergeConflictCopies === true && plan.conflictCopies.every((copy) => copy.original.endsWith('.jsonl'));
  if (unsettledConflicts(plan).length > 0 || (plan.conflictCopies.length > 0 && !mergingCopies)) {
    log.info(`stopped before any write: ${unsettledConflicts(plan).length} conflict(s), ${plan.conflictCopies.length} conflict copies`);
    return done('conflicts', ExitCode.conflict);
  }
  if (!options.apply) return done('dry-run', ExitCode.ok);
  if (plan.waiting !== undefined) await recordWhileWaiting(ctx, run);
  stopIfWaiting(plan);
  if (run.result.deletionStop !== undefined && options.acceptLargeDeletion !== true) throw new CodexSyncError(ExitCode.safeAbort, { code: 'deletion-stop', stop: run.result.deletionStop });
  if (!hasWork(run)) {
    const status = leftDifferent(plan) > 0 ? 'left-different' : 'in-sync';
    log.info(status === 'in-sync' ? 'already in sync' : `nothing to write; ${leftDifferent(plan)} file(s) left different`);
    // This run takes no lock, so the lock a crashed run of this machine left would stay for good.
    const stale = await removeOwnStaleLock(config.paths.cloudRoot, config.settings.identity.machine_id);
    if (stale !== undefined) log.warning(`removed a stale lock this machine left (PID ${stale.pid}, since ${stale.startedAt}): its process is gone`);
    // Threads Codex imported since the last run may still carry another machine's folders.
    if (config.paths.pathMap.length === 0) return done(status, ExitCode.ok);
    return inWriteSession(ctx, async (session) => {
      const catalogue = await mapFolders(ctx, session);
      const { snapshot } = await session.finishSnapshot({ prune: false });
      return done(status, ExitCode.ok, { catalogue, snapshot });
    });
  }

  return inWriteSession(ctx, async (session) => {
    const { writer } = session;
    for (const temp of run.result.leftoverTemps) {
      await writer.removeLeftover(temp.side, temp.path);
      log.info(`removed a temp file left by an interrupted run: ${temp.path}`, { side: temp.side });
    }
    if (plan.conflictCopies.length > 0) {
      const times = mergedCopyTimes(plan.conflictCopies, config.paths.cloudRoot, ctx.now(), rulesFrom(config).toleranceMs);
      await session.notePushes(run.baseFile, new Map([...times].map(([original, mtimeMs]) => [original, { size: null, mtimeMs }])));
      const writtenByRun = await mergeConflictCopies(plan.conflictCopies, times, writer, log);
      // The merged originals changed in the cloud: the plan is made again from what is there now.
      run = await planRun(ctx, await guard, { ...planOptions, writtenByRun });
      if (unsettledConflicts(run.result.plan).length > 0 || run.result.plan.conflictCopies.length > 0) return done('conflicts', ExitCode.conflict);
      stopIfWaiting(run.result.plan);
    }
    const { base, baseFile, arrival } = run;
    let report: ApplyReport | undefined;
    await session.notePushes(baseFile, plannedPushes(run.result.plan));
    const codex = new CodexCalls(run.codex);
    const threads: ThreadsResult = { codex: 'not-needed', moved: [], added: [], notListed: [] };
    try {
      // Codex moves what the other machine archived or unarchived before any file is copied: a copy of new content may follow the move.
      const moves = run.result.plan.threadMoves.length === 0 ? undefined : await codex.run((calls) => moveThreads(run.result.plan, calls, base, config.paths.localStateDir, log));
      report = await applyPlan({
        plan: run.result.plan,
        writer,
        base,
        backupBeforeOverwrite: config.settings.backup.backup_before_overwrite,
        log,
        // The hash that accounts for each pulled file (its handoff record's, read or checked while copying);
        // none for this machine's own unrecorded push, which no record lists as it is.
        expectedCloudHash: (path: string) => {
          if (arrival.pushedHere.has(path)) return undefined;
          const accounting = arrival.accountedBy.get(path);
          return accounting?.hashes.length === 1 ? accounting.hashes[0] : arrival.record?.files.get(path)?.sha256;
        },
        ...(arrival.from === undefined ? {} : { pushedBy: arrival.from }),
        ...(ctx.progress === undefined ? {} : { progress: ctx.progress }),
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
        dropThread: async (thread) => {
          const dropped = await codex.run((calls) => calls.remove(thread));
          const why = !dropped.ok ? dropped.why : dropped.value.ok ? undefined : dropped.value.why;
          if (why !== undefined) throw new ThreadNotDropped(why);
          log.info(`Codex dropped its version of thread ${thread}: the other machine's takes its place`);
        },
      });
      if (moves !== undefined) {
        threads.moved = moves.ok ? moves.value.moved : [];
        const failed = moves.ok ? moves.value.failures : run.result.plan.threadMoves.map((m) => ({ path: m.from, why: 'codex-call-failed' as const, detail: moves.why, safety: true }));
        report.failures.push(...failed);
        report.failures.sort((a, b) => (a.path < b.path ? -1 : 1));
      }
      const failedPaths = new Set(report.failures.map((f) => f.path));
      const arrived = threadsToAdd(run, failedPaths);
      if (arrived.length > 0) {
        const added = await codex.run((calls) => addThreads(arrived, calls, log));
        if (added.ok) Object.assign(threads, added.value);
        else Object.assign(threads, { notListed: arrived, why: added.why });
      }
      const forks = forkOutcome(run, failedPaths, config.settings.identity.machine_id);
      const named = forks.kept.map((k) => k.thread);
      if (forks.replaced.length + forks.kept.length > 0) await codex.run((calls) => markForks(forks, calls, base, log));
      // Names and pins, read again when threads were just added: Codex lists them now.
      const marks = arrived.length > 0 ? await readMarks(config.paths.localStateDir, config.paths.cloudRoot, config.settings.identity.machine_id, base) : run.marks;
      if (marks !== undefined) {
        const carried = await carryMarks(marks, codex, base, log);
        if (carried.result.applied.length + carried.result.failed.length + carried.result.sent > 0) threads.marks = carried.result;
        if (carried.file !== undefined) await session.writeThreadState(carried.file);
        named.push(...carried.result.applied.filter((c) => c.mark === 'name').map((c) => c.thread));
      }
      await keepBaseOfNamed(new Set(named), base, config.paths.localStateDir);
      threads.codex = codex.outcome;
    } finally {
      await codex.close();
      // Every file of the newest handoff taken: a run stopped before its record does not wait for it again.
      const newest = newestRecord(run.records);
      if (report !== undefined && report.failures.length === 0 && !report.cancelled && newest !== undefined) base.handoffSeen = { machineId: newest.machineId, sequence: newest.sequence };
      await session.saveBase(baseFile, base, report !== undefined);
    }
    const catalogue = await mapFolders(ctx, session);
    // Also after a failed file (see recordOf): the rest of the handoff goes on while one file keeps failing.
    const { files, lists } = recordOf(run, new Set(report.failures.map((f) => f.path)));
    if (!report.cancelled && recordNeeded(run, files, lists)) await session.writeRecord(files, run.records, run.codex.found ? await run.codex.version() : undefined);
    const { snapshot, pruned } = await session.finishSnapshot({ prune: true });
    const failed = report.failures.length > 0;
    const extra = { apply: report, snapshot, pruned, threads, catalogue };
    if (report.cancelled && !failed) return done('cancelled', ExitCode.safeAbort, extra);
    const exitCode = !failed ? ExitCode.ok : report.failures.every((f) => f.safety) ? ExitCode.safeAbort : ExitCode.runtimeError;
    return done(failed ? 'partial' : 'applied', exitCode, extra);
  });
}

/** Files a run leaves different on the two sides without a conflict: skipped on purpose, or unknown on a side. */
function leftDifferent(plan: PlanResult['plan']): number {
  return plan.skips.length + plan.unknown.length;
}

/** Whether nothing differs between the sides once a run with this status is over. */
function sidesAgree(result: PlanResult, status: SyncStatus): boolean {
  const { plan } = result;
  const settled = leftDifferent(plan) === 0 && unsettledConflicts(plan).length === 0 && plan.conflictCopies.length === 0 && plan.waiting === undefined;
  switch (status) {
    case 'in-sync':
    case 'applied':
      return settled;
    case 'dry-run':
      return settled && plan.actions.length === 0;
    default:
      return false;
  }
}

/** A run that waits still records this machine's own unrecorded cloud changes, if any (see waitingRecordOf). */
async function recordWhileWaiting(ctx: EngineContext, run: PlannedRun): Promise<void> {
  const record = waitingRecordOf(run);
  if (record === undefined || !recordNeeded(run, record.files, record.lists)) return;
  const codexVersion = run.codex.found ? await run.codex.version() : undefined;
  // It has not taken the handoff it waits for: it does not name that record as known.
  const knew = run.records.filter((r) => r !== run.arrival.record);
  await inWriteSession(ctx, (session) => session.writeRecord(record.files, run.records, codexVersion, knew));
}

/** Stops an apply before any write while a handoff has not fully arrived. */
function stopIfWaiting(plan: Plan): void {
  if (plan.waiting === undefined) return;
  const { records, from, paths } = plan.waiting;
  throw new CodexSyncError(ExitCode.safeAbort, records.length > 0 ? { code: 'record-unreadable', records } : { code: 'arrival-pending', from, count: paths.length, paths: undefined });
}

/**
 * Maps the project folders of this home's threads in Codex's catalogue with [paths.map]. Runs
 * only inside a write session, after the guard found Codex and its daemon stopped and every
 * Codex this run started has ended.
 */
async function mapFolders(ctx: EngineContext, session: WriteSession): Promise<CatalogueResult | undefined> {
  if (ctx.config.paths.pathMap.length === 0) return undefined;
  const home = ctx.config.paths.localStateDir;
  const known = (await findCatalogue(home)) ?? join(home, 'state.sqlite');
  const catalogue = await mapProjectFolders({
    home,
    pathMap: ctx.config.paths.pathMap,
    // Into this machine's state folder, never the backup folder: see reserveCatalogueCopy.
    backupTo: () =>
      reserveCatalogueCopy(
        catalogueCopiesDir(ctx.config.paths.baseStateDir),
        snapshotBaseName(ctx.config.settings.identity.machine_id, session.startedAt),
        known.split(/[\\/]/).pop() ?? 'state.sqlite',
      ),
    codexStopped: true,
  });
  if (catalogue.mapped > 0) ctx.log.info(`mapped the project folder of ${catalogue.mapped} thread(s) with [paths.map]`);
  if (catalogue.untouched !== undefined) ctx.log.warning(`project folders were not mapped with [paths.map] in Codex's catalogue (${catalogue.untouched.why})`);
  return catalogue;
}

/** Threads that arrived in this run: new rollouts pulled, and pulled ones Codex's catalogue does not list yet. */
function threadsToAdd(run: PlannedRun, failed: ReadonlySet<string>): string[] {
  const ids = new Set<string>();
  for (const action of run.result.plan.actions) {
    if (action.kind !== 'copy' || action.to !== 'local' || failed.has(action.path) || !isThreadFile(action.path)) continue;
    const id = threadIdOf(action.path) as string;
    if (action.target === undefined || action.replaceThread === true || run.knownThreads?.has(id) !== true) ids.add(id);
  }
  for (const action of run.result.plan.actions) if (action.kind === 'keep' && action.rekey !== undefined && !failed.has(action.path)) ids.add(action.rekey.to);
  return [...ids].sort();
}

/** What the forks of a run did: threads replaced here, and the versions kept under a fresh id with the name each gets. */
function forkOutcome(run: PlannedRun, failed: ReadonlySet<string>, machineId: string): ForkOutcome {
  const { plan } = run.result;
  const replaced = plan.actions.flatMap((a) => (a.kind === 'copy' && a.replaceThread === true && !failed.has(a.path) ? [threadIdOf(a.path) as string] : []));
  const kept = plan.actions.flatMap((a) => {
    if (a.kind !== 'keep' || a.rekey === undefined || failed.has(a.path)) return [];
    const change = plan.threads.find((t) => t.id === a.rekey?.from);
    const machine = a.from === 'local' ? machineId : (change?.machine ?? 'the other machine');
    return [{ thread: a.rekey.to, name: `${change?.title ?? a.rekey.from} (from ${machine})` }];
  });
  return { replaced, kept };
}

/** The cloud writes of a plan as a copy leaves them: its source's size and time; a line merge's size is known only once written; a deletion. */
function plannedPushes(plan: Plan): PushNotes {
  const notes: PushNotes = new Map();
  for (const action of plan.actions) {
    if (action.kind === 'copy' && action.to === 'cloud') notes.set(action.path, { size: action.source.size, mtimeMs: action.source.mtimeMs });
    else if (action.kind === 'keep' && action.sides.includes('cloud')) notes.set(action.path, { size: action.source.size, mtimeMs: action.source.mtimeMs });
    else if (action.kind === 'merge') notes.set(action.path, { size: null, mtimeMs: Math.max(action.local.mtimeMs, action.cloud.mtimeMs) });
    else if (action.kind === 'delete' && action.side === 'cloud') notes.set(action.path, { size: action.target.size, mtimeMs: action.target.mtimeMs, deleted: true });
  }
  return notes;
}
