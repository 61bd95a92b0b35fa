import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { applyPlan, type ApplyReport, type ProgressEvent } from '../apply/apply.ts';
import { applyRestore, chooseSnapshot, openSnapshot, planRestore, type RestorePlan, type RestoreReport } from '../backup/restore.ts';
import { pruneSnapshots, SnapshotWriter } from '../backup/snapshot.ts';
import type { LoadedConfig } from '../config/load.ts';
import { runDoctor, type DoctorReport } from '../doctor/doctor.ts';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { checkCodex, type Confirmer, type GuardReport } from '../guard/guard.ts';
import { findCatalogue, inspectCatalogue, isRollout, refreshCatalogue, threadIdOf, type CatalogueResult } from '../catalogue/catalogue.ts';
import { acquireLock } from '../guard/lock.ts';
import { mergeConflictCopies } from '../apply/mergeCopies.ts';
import { checkArrival, CONTROL_DIR, newestRecord, readHandoffRecords, writeHandoffRecord, type Arrival, type HandoffRecord } from '../handoff/record.ts';
import type { ProcessSource } from '../guard/processes.ts';
import type { Logger } from '../log/logger.ts';
import type { Platform } from '../platform.ts';
import { buildPlan, fileProbe, unresolvedConflicts } from '../plan/build.ts';
import type { Rules } from '../plan/decide.ts';
import { lastDateOnly } from '../plan/sessionMode.ts';
import type { Plan } from '../plan/types.ts';
import { mergedFiles } from '../scope/codexHome.ts';
import { buildScope, type Scope, type ScopeVerdict } from '../scope/scope.ts';
import { scanSide } from '../scan/walk.ts';
import type { Side, SideScan } from '../scan/types.ts';
import { loadBase, saveBase, type BaseState } from '../state/base.ts';
import { baseStateFile } from '../state/location.ts';
import { tempPrefix } from '../fs/atomic.ts';
import { pathBelow } from '../fs/paths.ts';
import { version } from '../version.ts';

/** Everything a run needs from outside the engine; the CLI, the app and tests each build one. */
export interface EngineContext {
  config: LoadedConfig;
  log: Logger;
  platform: Platform;
  now: () => Date;
  processes: ProcessSource;
  confirmer: Confirmer;
  terminateOverride: 'manual' | 'auto' | undefined;
  verbose: boolean;
  progress?: (event: ProgressEvent) => void;
  /** Test hook for crash injection: a pause after each applied file. */
  pauseAfterEachMs?: number;
  /** Cancels an apply between files (Ctrl-C in the CLI, Cancel in the app). */
  signal?: AbortSignal;
}

export interface PlanResult {
  plan: Plan;
  guard: GuardReport;
  /** Why each top-level entry of the Codex home is or is not synced. */
  scope: Array<{ name: string } & ScopeVerdict>;
  /** Files an interrupted run left behind; the next apply removes them. */
  leftoverTemps: Array<{ side: Side; path: string }>;
  /** Set when the large-deletion guard would stop an apply. */
  deletionWarning: string | undefined;
  /** Handoff records in the cloud folder: whose files this machine waits for, and who wrote last. */
  handoff: { from: string | undefined; newest: string | undefined };
}

export type SyncStatus = 'in-sync' | 'dry-run' | 'applied' | 'conflicts' | 'partial' | 'cancelled';

export interface SyncResult extends PlanResult {
  mode: 'dry-run' | 'apply';
  status: SyncStatus;
  exitCode: ExitCode;
  apply: ApplyReport | undefined;
  snapshot: string | undefined;
  pruned: string[];
  /** What was done so that Codex lists the handed-off threads. */
  catalogue: CatalogueResult | undefined;
}

export function rulesFrom(config: LoadedConfig): Rules {
  const s = config.settings.sync;
  return {
    compare: s.compare,
    toleranceMs: s.time_tolerance_seconds * 1000,
    equalMtimeAction: s.equal_mtime_action,
    deletePolicy: s.delete_policy,
    conflictPolicy: config.settings.conflict.policy,
    isMergeable: (path) => mergedFiles.has(path),
    isAppendOnly: (path) => /^(sessions|archived_sessions)\/.+\.jsonl$/.test(path),
  };
}

function scopeOf(config: LoadedConfig): Scope {
  return buildScope({ include_roots: config.settings.targets.include_roots, exclude_globs: config.settings.filters.exclude_globs });
}

function guardOptions(ctx: EngineContext) {
  return {
    settings: ctx.config.settings,
    platform: ctx.platform,
    override: ctx.terminateOverride,
    confirmer: ctx.confirmer,
    processes: ctx.processes,
    log: ctx.log,
    verbose: ctx.verbose,
  };
}

interface Prepared extends PlanResult {
  base: BaseState;
  baseFile: string;
  /** The newest handoff record of another machine, whose hashes pulled files must match. */
  arrival: Arrival;
  records: HandoffRecord[];
  /** Whether a path's base entry describes the cloud file after this run (for the handoff record). */
  recordable(path: string): boolean;
  /** The newest handoff record does not describe the mirror as this machine synced it. */
  recordStale(): boolean;
  /** Files of the Codex home as scanned (the rollouts among them order Codex's import). */
  localFiles: ReadonlyMap<string, unknown>;
}

/** `guard` may still be running (a report-only check overlaps the scans: it reads the process list in another process). */
async function prepare(ctx: EngineContext, guardCheck: GuardReport | Promise<GuardReport>, options: { ignoreRecord: boolean }): Promise<Prepared> {
  const { config } = ctx;
  const paths = config.paths;
  const machineId = config.settings.identity.machine_id;
  const scope = scopeOf(config);
  const baseFile = baseStateFile(paths);
  const base = await loadBase(baseFile, machineId, paths.localStateDir, paths.cloudRoot);
  const [local, cloud, { records, unreadable }] = await Promise.all([
    scanSide('local', paths.localStateDir, scope),
    scanSide('cloud', paths.cloudRoot, scope, { conflictCopies: { known: (path) => base.entries.has(path) } }),
    readHandoffRecords(paths.cloudRoot),
  ]);
  if (!local.rootExists) {
    throw new CodexSyncError(ExitCode.invalidInput, `the Codex home ${paths.localStateDir} does not exist: start Codex once on this machine or fix paths.local_state_dir`);
  }
  const arrival = options.ignoreRecord ? { from: undefined, record: undefined, pending: [] } : checkArrival(records, machineId, cloud.files, (path) => scope.includesFile(path));
  const sessionFilter = config.settings.sync.session_mode === 'last_date_only' ? lastDateOnly(allPaths(local, cloud)) : undefined;
  const plan = await buildPlan(
    {
      machineId,
      local,
      cloud,
      base,
      rules: rulesFrom(config),
      inScope: (path) => scope.includesFile(path),
      sessionFilter,
      ...(arrival.from === undefined ? {} : { waiting: { from: arrival.from, paths: arrival.pending } }),
    },
    fileProbe({ local: paths.localStateDir, cloud: paths.cloudRoot }),
  );
  if (!cloud.rootExists) plan.notices.push(`the cloud mirror ${paths.cloudRoot} does not exist yet: an apply creates it`);
  const catalogue = await inspectCatalogue(paths.localStateDir);
  if (catalogue.kind === 'tested') {
    const incoming = plan.actions.filter((a) => a.kind === 'copy' && a.to === 'local' && isRollout(a.path) && !catalogue.knownThreads.has(threadIdOf(a.path) as string));
    if (incoming.length > 0) plan.notices.push(`${incoming.length} handed-off thread(s) are not in Codex's thread list yet: an apply arms Codex's own import for its next start`);
  }
  for (const name of unreadable) plan.notices.push(`the handoff record ${name} cannot be read yet (still arriving, or damaged)`);
  const guard = await guardCheck;
  plan.notices.push(...guard.notes);
  const leftoverTemps = [
    ...local.leftoverTemps.map((path) => ({ side: 'local' as const, path })),
    ...cloud.leftoverTemps.map((path) => ({ side: 'cloud' as const, path })),
    ...(await controlTemps(paths.cloudRoot)).map((path) => ({ side: 'cloud' as const, path })),
  ];
  const unsettled = new Set([...plan.skips.map((x) => x.path), ...plan.conflicts.map((x) => x.path), ...arrival.pending]);
  const recordable = (path: string): boolean =>
    scope.includesFile(path) && !unsettled.has(path) && (sessionFilter === undefined || sessionFilter.includes(path, local.files.get(path), cloud.files.get(path)));
  return {
    plan,
    guard,
    scope: await describeScope(paths.localStateDir, scope),
    leftoverTemps,
    deletionWarning: deletionGuard(plan, base, local, cloud, config.settings.safety.max_delete_percent, scope),
    handoff: { from: arrival.from, newest: newestRecord(records)?.machineId },
    base,
    baseFile,
    arrival,
    records,
    localFiles: local.files,
    recordable,
    // Only an apply asks (a plan never writes a record): comparing 20,000 entries is not free.
    recordStale: () => !recordMatches(newestRecord(records), recordedFiles(base, recordable), recordable),
  };
}

/** What a handoff record of this machine lists: the base entries of the paths it is responsible for. */
function recordedFiles(base: BaseState, recordable: (path: string) => boolean): Map<string, { size: number; sha256: string }> {
  const files = new Map<string, { size: number; sha256: string }>();
  for (const [path, entry] of base.entries) if (recordable(path)) files.set(path, entry);
  return files;
}

/**
 * Whether the newest handoff record describes the mirror as this machine's base does. It may
 * not, after a run that was interrupted between its last file and its record: then the next
 * run writes the record, or the other machine would wait for files that never come.
 */
function recordMatches(record: HandoffRecord | undefined, files: ReadonlyMap<string, { size: number; sha256: string }>, recordable: (path: string) => boolean): boolean {
  if (record === undefined) return files.size === 0;
  let listed = 0;
  for (const path in record.files) {
    if (!recordable(path)) continue;
    listed += 1;
    const listedFile = record.files[path] as { size: number; sha256: string };
    const file = files.get(path);
    if (file === undefined || file.size !== listedFile.size || file.sha256 !== listedFile.sha256) return false;
  }
  return listed === files.size;
}

/** Temp files an interrupted run left in codexSync's control folder of the cloud. */
async function controlTemps(cloudRoot: string): Promise<string[]> {
  const names = await readdir(join(cloudRoot, CONTROL_DIR)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(tempPrefix)).map((name) => `${CONTROL_DIR}/${name}`);
}

function* allPaths(local: SideScan, cloud: SideScan): Iterable<[string, undefined, undefined]> {
  for (const path of local.files.keys()) yield [path, undefined, undefined];
  for (const path of cloud.files.keys()) yield [path, undefined, undefined];
}

async function describeScope(localRoot: string, scope: Scope): Promise<PlanResult['scope']> {
  let names: string[] = [];
  try {
    names = (await readdir(localRoot)).sort();
  } catch (error) {
    if (!isNodeError(error, 'ENOENT')) throw error;
  }
  return names.map((name) => ({ name, ...scope.explainTopLevel(name) }));
}

/**
 * Stops an apply that would delete or empty more than max_delete_percent of the files this
 * machine synced, or that finds one side empty while the base says it had files: both are
 * what a half-synced or unmounted cloud folder looks like.
 */
function deletionGuard(plan: Plan, base: BaseState, local: SideScan, cloud: SideScan, maxPercent: number, scope: Scope): string | undefined {
  let tracked = 0;
  for (const path of base.entries.keys()) if (scope.includesFile(path)) tracked += 1;
  if (tracked === 0) return undefined;
  for (const scan of [local, cloud]) {
    if (scan.files.size === 0) {
      const where = scan.side === 'local' ? `the Codex home ${scan.root}` : `the cloud folder ${scan.root}`;
      return `${where} has none of the ${tracked} files this machine synced last time: is it mounted and fully synced?`;
    }
  }
  const destructive = plan.actions.filter((a) => a.kind === 'delete' || (a.kind === 'copy' && a.source.size === 0 && (a.target?.size ?? 0) > 0)).length;
  if (destructive > 0 && (destructive / tracked) * 100 > maxPercent) {
    return `this run would delete or empty ${destructive} of ${tracked} synced files (more than safety.max_delete_percent = ${maxPercent}%)`;
  }
  return undefined;
}

/** `plan`: scans and decides; writes nothing and never ends a process. */
export async function makePlan(ctx: EngineContext): Promise<PlanResult> {
  return publicPart(await prepare(ctx, reportOnlyCheck(ctx), { ignoreRecord: false }));
}

/** A check that only reports, started now and awaited when its notes are needed. */
function reportOnlyCheck(ctx: EngineContext): Promise<GuardReport> {
  const check = checkCodex(guardOptions(ctx), 'report');
  check.catch(() => undefined); // its error is thrown where it is awaited
  return check;
}

function publicPart(prepared: Prepared): PlanResult {
  const { base: _b, baseFile: _f, arrival: _a, records: _r, recordable: _c, localFiles: _l, recordStale: _s, ...result } = prepared;
  return result;
}

export interface SyncOptions {
  apply: boolean;
  /** Go past the large-deletion guard and the handoff record's arrival check. */
  force: boolean;
  /** Merge the cloud client's conflict copies of JSONL files into their originals. */
  mergeConflictCopies?: boolean;
}

/**
 * `sync`: a dry run reports. An apply checks Codex is closed (again just before the first
 * write), takes the lock, waits for nothing: a handoff that has not fully arrived, a large
 * deletion or a conflict stop it before any write. Then it backs up, copies, verifies,
 * records the base, and, when it changed the cloud folder, writes its handoff record last.
 */
export async function sync(ctx: EngineContext, options: SyncOptions): Promise<SyncResult> {
  const { config, log } = ctx;
  // An apply must know Codex is closed before it scans: Codex writes its files as it exits.
  const guardCheck = options.apply ? await checkCodex(guardOptions(ctx), 'enforce') : reportOnlyCheck(ctx);
  let prepared = await prepare(ctx, guardCheck, { ignoreRecord: options.force });
  const guard = prepared.guard;
  const result = (p: Prepared, status: SyncStatus, exitCode: ExitCode, extra: Partial<SyncResult> = {}): SyncResult => ({
    ...publicPart(p),
    mode: options.apply ? 'apply' : 'dry-run',
    status,
    exitCode,
    apply: undefined,
    snapshot: undefined,
    pruned: [],
    catalogue: undefined,
    ...extra,
  });
  const stopsForConflicts = (p: Prepared): boolean => unresolvedConflicts(p.plan).length > 0 || p.plan.conflictCopies.length > 0;

  const mergeable = prepared.plan.conflictCopies.filter((copy) => copy.original.endsWith('.jsonl'));
  const onlyMergeableCopies = mergeable.length === prepared.plan.conflictCopies.length && unresolvedConflicts(prepared.plan).length === 0;
  if (stopsForConflicts(prepared) && !(options.apply && options.mergeConflictCopies === true && onlyMergeableCopies)) {
    log.info(`stopped before any write: ${unresolvedConflicts(prepared.plan).length} conflict(s), ${prepared.plan.conflictCopies.length} conflict copies`);
    return result(prepared, 'conflicts', ExitCode.conflict);
  }
  if (!options.apply) return result(prepared, 'dry-run', ExitCode.ok);
  if (prepared.plan.waiting !== undefined) {
    const { from, paths } = prepared.plan.waiting;
    throw new CodexSyncError(
      ExitCode.safeAbort,
      `the cloud folder has not finished syncing from ${from} (${paths.length} ${paths.length === 1 ? 'file' : 'files'} pending): nothing was changed; wait for the cloud client and run again (--force takes the files as they are)`,
    );
  }
  if (prepared.deletionWarning !== undefined && !options.force) {
    throw new CodexSyncError(ExitCode.safeAbort, `${prepared.deletionWarning} Nothing was changed; check the folders, or run with --force to go ahead`);
  }
  const work = (p: Prepared): number =>
    p.plan.actions.length + p.plan.records.length + p.plan.forgets.length + p.leftoverTemps.length + p.plan.conflictCopies.length + (p.recordStale() ? 1 : 0);
  if (work(prepared) === 0) {
    log.info('already in sync');
    // Threads Codex imported since the last run may still carry another machine's folders.
    if (config.paths.pathMap.length === 0) return result(prepared, 'in-sync', ExitCode.ok);
    const snapshot = new SnapshotWriter(config.paths.backupDir, { machineId: config.settings.identity.machine_id, localRoot: config.paths.localStateDir, cloudRoot: config.paths.cloudRoot }, ctx.now());
    const catalogue = await updateCatalogue(ctx, snapshot, [], prepared);
    const snapshotName = await snapshot.finish(config.settings.backup.compression);
    return result(prepared, 'in-sync', ExitCode.ok, { catalogue, snapshot: snapshotName });
  }

  // Again, just before the first write: Codex may have started since the scan.
  await checkCodex(guardOptions(ctx), 'enforce');
  const roots: Record<Side, string> = { local: config.paths.localStateDir, cloud: config.paths.cloudRoot };
  const machineId = config.settings.identity.machine_id;
  const lock = await acquireLock(roots.cloud, machineId, ctx.now);
  if (lock.tookOver !== undefined) {
    log.warning(`took over a stale lock of ${lock.tookOver.machineId} (PID ${lock.tookOver.pid}, since ${lock.tookOver.startedAt})`);
  }
  try {
    const now = ctx.now();
    const snapshot = new SnapshotWriter(config.paths.backupDir, { machineId, localRoot: roots.local, cloudRoot: roots.cloud }, now);
    for (const temp of prepared.leftoverTemps) {
      await rm(pathBelow(roots[temp.side], temp.path), { force: true });
      log.info(`removed a temp file left by an interrupted run: ${temp.path}`, { side: temp.side });
    }
    if (prepared.plan.conflictCopies.length > 0) {
      await mergeConflictCopies(prepared.plan.conflictCopies, roots.cloud, snapshot, log);
      prepared = await prepare(ctx, guard, { ignoreRecord: options.force });
      if (stopsForConflicts(prepared)) return result(prepared, 'conflicts', ExitCode.conflict);
    }

    const { base, baseFile, plan, arrival } = prepared;
    let report: ApplyReport;
    try {
      report = await applyPlan({
        plan,
        roots,
        base,
        snapshot,
        backupBeforeOverwrite: config.settings.backup.backup_before_overwrite,
        log,
        ...(arrival.record === undefined ? {} : { expectedCloudHash: (path: string) => arrival.record?.files[path]?.sha256, pushedBy: arrival.record.machineId }),
        ...(ctx.progress === undefined ? {} : { progress: ctx.progress }),
        ...(ctx.pauseAfterEachMs === undefined ? {} : { pauseAfterEachMs: ctx.pauseAfterEachMs }),
        ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      });
    } finally {
      // What succeeded is recorded even when a later file failed or the disk filled up.
      await saveBase(baseFile, base, ctx.now());
    }
    const failedPaths = new Set(report.failures.map((f) => f.path));
    const pulled = plan.actions.filter((a) => a.kind === 'copy' && a.to === 'local' && !failedPaths.has(a.path)).map((a) => a.path);
    const catalogue = await updateCatalogue(ctx, snapshot, pulled, prepared);
    const files = recordedFiles(base, prepared.recordable);
    if (report.failures.length === 0 && !report.cancelled && !recordMatches(newestRecord(prepared.records), files, prepared.recordable)) {
      const record = await writeHandoffRecord(roots.cloud, machineId, files, prepared.records, ctx.now(), version);
      log.info(`wrote the handoff record (sequence ${record.sequence}, ${files.size} files)`);
    }
    const snapshotName = await snapshot.finish(config.settings.backup.compression);
    const pruned = await pruneSnapshots(config.paths.backupDir, machineId, {
      retentionDays: config.settings.backup.retention_days,
      maxBackups: config.settings.backup.max_backups,
      now,
      ...(snapshotName === undefined ? {} : { keep: snapshotName }),
    });
    const failed = report.failures.length > 0;
    if (report.cancelled && !failed) return result(prepared, 'cancelled', ExitCode.safeAbort, { apply: report, snapshot: snapshotName, pruned, catalogue });
    const exitCode = !failed ? ExitCode.ok : report.failures.every((f) => f.safety) ? ExitCode.safeAbort : ExitCode.runtimeError;
    return result(prepared, failed ? 'partial' : 'applied', exitCode, { apply: report, snapshot: snapshotName, pruned, catalogue });
  } finally {
    await lock.release();
  }
}

/**
 * After files arrived, makes Codex list the handed-off threads (see catalogue.ts). Runs only
 * inside an apply, after the guard found Codex and its daemon stopped.
 */
async function updateCatalogue(ctx: EngineContext, snapshot: SnapshotWriter, pulled: string[], prepared: Prepared): Promise<CatalogueResult> {
  const home = ctx.config.paths.localStateDir;
  const known = (await findCatalogue(home)) ?? join(home, 'state.sqlite');
  const catalogue = await refreshCatalogue({
    home,
    pulled,
    allRollouts: () => [...new Set([...prepared.localFiles.keys(), ...pulled])].filter(isRollout),
    pathMap: ctx.config.paths.pathMap,
    backupTo: () => snapshot.reserveExtra(`catalogue/${known.split(/[\\/]/).pop() ?? 'state.sqlite'}`, "Codex's thread catalogue before codexSync wrote to it"),
    codexStopped: true,
  });
  if (catalogue.rearmed) ctx.log.info(`Codex will add ${catalogue.missing.length} handed-off thread(s) to its thread list at its next start`);
  if (catalogue.mapped > 0) ctx.log.info(`mapped the project folder of ${catalogue.mapped} thread(s) with [paths.map]`);
  if (catalogue.message !== undefined) ctx.log.warning(catalogue.message);
  return catalogue;
}

export interface RestoreResult {
  mode: 'dry-run' | 'apply';
  plan: RestorePlan;
  report: RestoreReport | undefined;
  /** The snapshot holding what the restore replaced. */
  backup: string | undefined;
  exitCode: ExitCode;
}

/** `restore`: puts a snapshot's files back on one side; a dry run unless `apply`. */
export async function restore(ctx: EngineContext, options: { from: string | undefined; target: Side; apply: boolean }): Promise<RestoreResult> {
  const { config, log } = ctx;
  const machineId = config.settings.identity.machine_id;
  await checkCodex(guardOptions(ctx), options.apply ? 'enforce' : 'report');
  const name = await chooseSnapshot(config.paths.backupDir, machineId, options.from);
  const snapshot = await openSnapshot(config.paths.backupDir, name);
  try {
    const root = options.target === 'local' ? config.paths.localStateDir : config.paths.cloudRoot;
    const plan = await planRestore(snapshot, options.target, root);
    if (!options.apply) return { mode: 'dry-run', plan, report: undefined, backup: undefined, exitCode: ExitCode.ok };
    await checkCodex(guardOptions(ctx), 'enforce');
    const lock = await acquireLock(config.paths.cloudRoot, machineId, ctx.now);
    try {
      const writer = new SnapshotWriter(config.paths.backupDir, { machineId, localRoot: config.paths.localStateDir, cloudRoot: config.paths.cloudRoot }, ctx.now());
      const report = await applyRestore(plan, snapshot, writer, log);
      const backup = await writer.finish(config.settings.backup.compression);
      return { mode: 'apply', plan, report, backup, exitCode: report.failures.length === 0 ? ExitCode.ok : ExitCode.safeAbort };
    } finally {
      await lock.release();
    }
  } finally {
    snapshot.close();
  }
}

/** `doctor` / `preflight`: checks only; never ends a process and leaves no file behind. */
export async function doctor(ctx: EngineContext): Promise<DoctorReport & { exitCode: ExitCode }> {
  const report = await runDoctor(ctx.config, () => checkCodex(guardOptions(ctx), 'report'), ctx.now());
  return { ...report, exitCode: report.summary.FAIL > 0 ? ExitCode.safeAbort : ExitCode.ok };
}
