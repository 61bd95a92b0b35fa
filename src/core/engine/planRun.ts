import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { inspectCatalogue } from '../catalogue/index.ts';
import { CodexSyncError, ExitCode, isNodeError, type DeletionStop } from '../errors.ts';
import type { Side } from '../facts.ts';
import { pathBelow, statOrUndefined, tempPrefix } from '../fs/index.ts';
import { awaitWholeLines, checkArrival, checkCodex, deletionStop, nothingAwaited, ownListingsNeeded, verifyArrival, type Accounting, type Arrival, type GuardReport } from '../guard/index.ts';
import {
  controlDir,
  CONTROL_DIR,
  didNotSee,
  machineOfCloudFile,
  newestFirst,
  newestRecord,
  otherInstallation,
  recordDescribes,
  recordedFiles,
  type HandoffRecord,
  type RecordedFiles,
} from '../handoff/index.ts';
import {
  buildPlan,
  buildPlanAround,
  fileProbe,
  lastDateOnly,
  settleByChoices,
  unsettledConflicts,
  type ChoiceContext,
  type ConflictChoice,
  type Notice,
  type Plan,
  type QuietPaths,
  type Waiting,
} from '../plan/index.ts';
import { endsWithNewline, skippedOver, type SideScan } from '../scan/index.ts';
import { isNewerVersion } from '../threads/index.ts';
import { isLineFile, isThreadFile, threadIdOf, type Scope, type ScopeVerdict } from '../scope/index.ts';
import { baseStateFile, ownRecordsFile, readOwnRecords, type BaseState } from '../state/index.ts';
import { codexOf } from './codexAccess.ts';
import { readRunInputs, type RunInputs } from './runInputs.ts';
import { guardOptions, rulesFrom, scopeOf, type EngineContext } from './context.ts';
import { marksWork, readMarks, type MarksRead } from './marksPhase.ts';
import type { CodexAccess } from './threadPhase.ts';
import { threadView } from './threadView.ts';

/** What `plan` tells, and what every sync and the app see of a run before it writes. */
export interface PlanResult {
  plan: Plan;
  guard: GuardReport;
  /** Why each top-level entry of the Codex home is or is not synced. */
  scope: Array<{ name: string } & ScopeVerdict>;
  /** Files an interrupted run left behind; the next apply removes them. */
  leftoverTemps: Array<{ side: Side; path: string }>;
  /** Set when the large-deletion guard would stop an apply. */
  deletionStop: DeletionStop | undefined;
  /** Handoff records in the cloud folder: whose files this machine waits for, and who wrote last. */
  handoff: { from: string | undefined; newest: string | undefined };
  /** What must stay the same between a plan a person reviewed and the one about to be applied. */
  fingerprint: string;
}

/** A planned run: the public result and what an apply of it needs besides. */
export interface PlannedRun {
  result: PlanResult;
  scope: Scope;
  base: BaseState;
  baseFile: string;
  /** The newest handoff record of another machine, whose hashes pulled files must match. */
  arrival: Arrival;
  records: HandoffRecord[];
  local: SideScan;
  cloud: SideScan;
  /** Whether this machine's handoff record answers for a path: in scope, settled, not awaited, not filtered out. */
  answersFor(path: string): boolean;
  /** This machine's Codex, called to add, archive and unarchive threads. */
  codex: CodexAccess;
  /** The threads Codex's catalogue lists (read only), when it can be read. */
  knownThreads: ReadonlySet<string> | undefined;
  /** Names and pins to carry, when Codex's catalogue can be read. */
  marks: MarksRead | undefined;
  /** Whether the cloud holds a path in scope exactly as the base has it (stat for stat). */
  cloudAsBase(path: string): boolean;
  /**
   * Cloud files at paths this run leaves alone (behind a skipped entry here, this machine's own
   * unrecorded push), as the cloud holds them where the base does not describe them. Each is
   * accounted for, or the run would wait for it.
   */
  leftAlone: ReadonlyMap<string, { size: number; sha256: string }>;
  /** This machine's own cloud changes an interrupted run left unrecorded (state/pushes.ts): pushes, as the cloud holds them. */
  own: { noted: boolean; pushes: ReadonlyMap<string, { size: number; sha256: string }> };
}

/**
 * Scans both sides, reads the base and the handoff records, and plans. `guard` may still be
 * running (a report-only check overlaps the scans: it reads the process list in another process).
 */
export interface PlanRunOptions {
  ignoreHandoffRecord: boolean;
  /** The user's choices for conflicts; the fingerprint is taken before they are applied (it is the plan the user saw). */
  choices?: ReadonlyMap<string, ConflictChoice>;
  /** Cloud files this run already wrote (merged conflict copies): no handoff record lists them yet. */
  writtenByRun?: ReadonlyMap<string, { size: number; sha256: string }>;
  /** What to plan from, when the caller holds it already (the app's warm planner); read afresh otherwise. */
  inputs?: RunInputs;
  /** The config's scope, when the caller keeps one: it remembers its verdicts on paths. */
  scope?: Scope;
  /** The paths the plan may count as unchanged without deciding them again (see buildPlanAround), when the caller keeps them. */
  quiet?: QuietPaths;
}

export async function planRun(ctx: EngineContext, guard: GuardReport | Promise<GuardReport>, options: PlanRunOptions): Promise<PlannedRun> {
  const { config } = ctx;
  const paths = config.paths;
  const machineId = config.settings.identity.machine_id;
  const scope = options.scope ?? scopeOf(config);
  const inScope = (path: string): boolean => scope.includesFile(path);
  const baseFile = baseStateFile(paths);
  const { base, read, installation, ownPushes, local, cloud } = options.inputs ?? (await readRunInputs(paths, machineId, scope));
  const twin = otherInstallation(read.records, machineId, installation);
  if (twin !== undefined) throw new CodexSyncError(ExitCode.invalidInput, { code: 'machine-id-shared', machineId, thisHost: hostname(), otherHost: twin.host });
  const { records } = read;
  if (!local.rootExists) throw new CodexSyncError(ExitCode.invalidInput, { code: 'home-missing', root: paths.localStateDir });
  // A listed file below what the cloud scan skipped (a link, an unreadable folder) is unknown, not awaited.
  const unknownInCloud = skippedOver(cloud.skipped, cloud.files);
  const sessionFilter = config.settings.sync.session_mode === 'last_date_only' ? lastDateOnly(bothSides(local, cloud)) : undefined;
  const probe = fileProbe({ local: paths.localStateDir, cloud: paths.cloudRoot });
  const codex = codexOf(ctx);
  const planFor = (awaited: Arrival): Promise<Plan> => {
    const input = { machineId, local, cloud, base, rules: rulesFrom(config), inScope, sessionFilter, waiting: waitingOf(awaited), codexAvailable: codex.found };
    return options.quiet === undefined ? buildPlan(input, probe) : buildPlanAround(input, probe, options.quiet);
  };
  // Read only where they matter, and then as they are now (never kept: see ownListingsNeeded).
  const ownListings = options.ignoreHandoffRecord ? undefined : ownListingsNeeded(read, machineId, base.handoffSeen);
  const ownRecords = ownListings === undefined ? undefined : await readOwnRecords(ownRecordsFile(baseFile), ownListings);
  let arrival = options.ignoreHandoffRecord
    ? nothingAwaited
    : checkArrival({
        read,
        machineId,
        local: local.files,
        cloud: cloud.files,
        base: base.entries,
        handoffSeen: base.handoffSeen,
        inScope: (path) => inScope(path) && unknownInCloud(path) === undefined,
        ownPushes,
        ...(ownRecords === undefined ? {} : { ownRecords }),
        ...(options.writtenByRun === undefined ? {} : { writtenByRun: options.writtenByRun }),
      });
  let plan = await planFor(arrival);
  // Bytes of cloud files whose size is right are read now, unless a copy to this machine checks them anyway.
  const pulls = new Set(plan.actions.flatMap((a) => (a.kind === 'copy' && a.to === 'local' ? [a.path] : [])));
  const outsideRun = (path: string): boolean => sessionFilter !== undefined && !sessionFilter.includes(path, local.files.get(path), cloud.files.get(path));
  const checkedByCopy = (path: string, { hashes, sameAsLocal }: Accounting): boolean => pulls.has(path) && hashes.length === 1 && !sameAsLocal;
  const hashed = await verifyArrival(
    arrival,
    (path, accounting) => outsideRun(path) || checkedByCopy(path, accounting),
    (side, path) => probe.hash(side, path),
  );
  const verified = await awaitWholeLines(hashed, isLineFile, (path) => endsWithNewline(pathBelow(paths.cloudRoot, path)));
  if (verified.pending.length > arrival.pending.length) plan = await planFor(verified);
  arrival = verified;
  if (!cloud.rootExists) plan.notices.push({ code: 'cloud-root-missing', root: paths.cloudRoot });
  const catalogue = await inspectCatalogue(paths.localStateDir);
  const knownThreads = catalogue.kind === 'tested' || catalogue.kind === 'untested' ? catalogue.knownThreads : undefined;
  if (knownThreads !== undefined) {
    const incoming = new Set(
      plan.actions.flatMap((a) => (a.kind === 'copy' && a.to === 'local' && isThreadFile(a.path) && !knownThreads.has(threadIdOf(a.path) as string) ? [threadIdOf(a.path) as string] : [])),
    );
    if (incoming.size > 0) plan.notices.push({ code: 'threads-not-listed', count: incoming.size, codexFound: codex.found });
  }
  const marks = await readMarks(paths.localStateDir, paths.cloudRoot, machineId, base);
  if (marks !== undefined) plan.threadMarks = { incoming: marks.plan.incoming, outgoing: marks.plan.outgoing };
  if (options.ignoreHandoffRecord) for (const record of read.unreadable) plan.notices.push({ code: 'record-ignored', record });
  const guardReport = await guard;
  for (const note of guardReport.notes) plan.notices.push({ code: 'guard', note });
  const leftoverTemps = [
    ...local.leftoverTemps.map((path) => ({ side: 'local' as const, path })),
    ...cloud.leftoverTemps.map((path) => ({ side: 'cloud' as const, path })),
    ...(await controlTemps(paths.cloudRoot)).map((path) => ({ side: 'cloud' as const, path })),
  ];
  let tracked = 0;
  for (const path of base.entries.keys()) if (scope.includesFile(path)) tracked += 1;
  const scans = [local, cloud];
  const maxPercent = config.settings.safety.max_delete_percent;
  const fingerprint = JSON.stringify([plan.actions, plan.threadMoves, plan.threadMarks, plan.conflicts, plan.skips, plan.waiting, deletionStop({ plan, tracked, scans, maxPercent })]);
  if (options.choices !== undefined && options.choices.size > 0) settleByChoices(plan, options.choices, choiceContext(ctx, machineId, records, base, local, cloud, scope));
  // Paths this run leaves as they are: its handoff record does not answer for them.
  const unsettled = new Set([...plan.skips.map((x) => x.path), ...unsettledConflicts(plan).flatMap((x) => [x.path, ...(x.below ?? [])]), ...arrival.pending, ...plan.unknown]);
  const answersFor = (path: string): boolean =>
    scope.includesFile(path) && !unsettled.has(path) && (sessionFilter === undefined || sessionFilter.includes(path, local.files.get(path), cloud.files.get(path)));
  const others = newestFirst(records.filter((record) => record.machineId !== machineId));
  plan.threads = await threadView({
    plan,
    roots: { local: paths.localStateDir, cloud: paths.cloudRoot },
    cloudMachine: (path) => machineOfCloudFile(others, path, cloud.files.get(path)?.size) ?? arrival.from,
    names: marks === undefined ? undefined : new Map([...marks.current].map(([id, m]) => [id, m.name])),
  });
  const behind = await codexBehind(plan, others, codex);
  if (behind !== undefined) plan.notices.push(behind);
  const cloudAsBase = (path: string): boolean => {
    const entry = base.entries.get(path);
    const stat = cloud.files.get(path);
    return scope.includesFile(path) && entry !== undefined && stat !== undefined && entry.size === stat.size && entry.cloudMtimeMs === stat.mtimeMs;
  };
  const asCloudHolds = async (paths: Iterable<string>, keep: (path: string) => boolean): Promise<Map<string, { size: number; sha256: string }>> => {
    const found = new Map<string, { size: number; sha256: string }>();
    for (const path of paths) {
      const stat = cloud.files.get(path);
      if (stat !== undefined && scope.includesFile(path) && !cloudAsBase(path) && keep(path)) found.set(path, { size: stat.size, sha256: await probe.hash('cloud', path) });
    }
    return found;
  };
  const ownPushed = await asCloudHolds(arrival.pushedHere, () => true);
  const leftAlone = await asCloudHolds(plan.unknown, (path) => !answersFor(path));
  for (const [path, file] of ownPushed) if (!answersFor(path)) leftAlone.set(path, file);
  const stop = deletionStop({ plan, tracked, scans, maxPercent });
  const result: PlanResult = {
    plan,
    guard: guardReport,
    scope: await describeScope(paths.localStateDir, scope),
    leftoverTemps,
    deletionStop: stop,
    handoff: { from: arrival.from, newest: newestRecord(records)?.machineId },
    fingerprint,
  };
  return { result, scope, base, baseFile, arrival, records, local, cloud, answersFor, cloudAsBase, leftAlone, own: { noted: ownPushes.size > 0, pushes: ownPushed }, codex, knownThreads, marks };
}

/**
 * When threads arrive from a machine whose Codex is newer than this machine's (its handoff
 * record says which it runs, else the threads' own cli_version), a notice: continuing them
 * with an older Codex may not read what the newer one wrote.
 */
async function codexBehind(plan: Plan, others: readonly HandoffRecord[], codex: CodexAccess): Promise<Notice | undefined> {
  const arriving = plan.threads.filter((t) => t.from === 'cloud' && t.kind !== 'deleted' && t.kind !== 'marked');
  if (arriving.length === 0 || !codex.found) return undefined;
  let newest: { machine: string | undefined; version: string } | undefined;
  const consider = (machine: string | undefined, version: string | undefined): void => {
    if (version !== undefined && (newest === undefined || isNewerVersion(version, newest.version))) newest = { machine, version };
  };
  for (const thread of arriving) {
    consider(thread.machine, others.find((r) => r.machineId === thread.machine)?.codexVersion);
    consider(thread.machine, thread.cliVersion);
  }
  if (newest === undefined) return undefined;
  const ours = await codex.version();
  return ours !== undefined && isNewerVersion(newest.version, ours) ? { code: 'codex-behind', machine: newest.machine, theirs: newest.version, ours } : undefined;
}

function waitingOf(arrival: Arrival): Waiting {
  return { from: arrival.from, paths: arrival.pending, records: arrival.unreadable };
}

/** What settleByChoices needs to know of this run: who handed a file off, which names are taken, what is in scope. */
function choiceContext(ctx: EngineContext, machineId: string, records: readonly HandoffRecord[], base: BaseState, local: SideScan, cloud: SideScan, scope: Scope): ChoiceContext {
  const others = newestFirst(records.filter((record) => record.machineId !== machineId));
  return {
    cloudMachine: (path) => machineOfCloudFile(others, path, cloud.files.get(path)?.size) ?? others[0]?.machineId,
    taken: (path) =>
      local.files.has(path) ||
      cloud.files.has(path) ||
      base.entries.has(path) ||
      statOrUndefined(pathBelow(ctx.config.paths.localStateDir, path)) !== undefined ||
      statOrUndefined(pathBelow(ctx.config.paths.cloudRoot, path)) !== undefined,
    inScope: (path) => scope.includesFile(path),
  };
}

/** A report-only check, started now and awaited when its notes are needed. */
export function reportOnlyCheck(ctx: EngineContext): Promise<GuardReport> {
  const check = checkCodex(guardOptions(ctx), 'report');
  check.catch(() => undefined); // its error is thrown where it is awaited
  return check;
}

/** Whether anything is left to write: actions, base entries, temp files, conflict copies, or a record that lags behind the base. */
export function hasWork(run: PlannedRun): boolean {
  const { plan, leftoverTemps } = run.result;
  if (plan.actions.length + plan.threadMoves.length + plan.baseRefreshes.length + plan.baseForgets.length + leftoverTemps.length + plan.conflictCopies.length > 0) return true;
  if (marksWork(run.marks)) return true;
  // Only an apply asks (a plan never writes a record): comparing every entry is not free.
  const { files, lists } = recordOf(run);
  return recordNeeded(run, files, lists);
}

/**
 * Whether this machine must write its record: the newest record does not describe the mirror
 * as it lists it, or this machine's own record, which the newest one did not know of (handoffs
 * made side by side), no longer does: the other machine awaits that one too. Also when its own
 * record lists a file the cloud no longer holds (and has no link over) at a path this run does
 * not speak for, e.g. one listed as the cloud held it, behind a link here, before the other
 * machine's deletion of it arrived: the other machine would wait for that file for good.
 */
export function recordNeeded(run: PlannedRun, files: RecordedFiles, lists: (path: string) => boolean): boolean {
  const newest = newestRecord(run.records);
  if (!recordDescribes(newest, files, lists)) return true;
  const mine = newestFirst(run.records).find((record) => record.machineId === run.result.plan.machineId);
  if (mine === undefined) return false;
  const unknownInCloud = skippedOver(run.cloud.skipped, run.cloud.files);
  for (const path of mine.files.keys()) if (!lists(path) && !run.cloud.files.has(path) && unknownInCloud(path) === undefined) return true;
  return newest !== undefined && mine !== newest && didNotSee(newest, mine) && !recordDescribes(mine, files, lists);
}

/**
 * What this machine's handoff record lists once the run's writes are done (`failed`: paths
 * whose write failed), and which paths it speaks for. It lists what the run answers for, and
 * every other path where the cloud still holds exactly what the base says, or as the cloud
 * holds it where this run leaves it alone (see leftAlone): all true of the mirror, and a cloud
 * file no record lists would make the other machine wait for it for good (a link in its place
 * here, a file left different on purpose, one that failed). A failed file is listed only where
 * the cloud is as the base says: its base entry need not describe the cloud (a pull that failed).
 */
export function recordOf(run: PlannedRun, failed: ReadonlySet<string> = new Set()): { files: RecordedFiles; lists: (path: string) => boolean } {
  const lists = (path: string): boolean => (run.answersFor(path) && !failed.has(path)) || run.cloudAsBase(path) || run.leftAlone.has(path);
  const files = recordedFiles(run.base, lists);
  for (const [path, file] of run.leftAlone) files.set(path, file);
  return { files, lists };
}

/**
 * The record a run that waits writes before it stops, when an interrupted run of this machine
 * left cloud changes no record names: the other machine may wait for those, as this one waits
 * for the other's, and neither would ever write a record. It lists only what is true of the
 * cloud now and not awaited: the paths the cloud holds as the base has them, and this
 * machine's own pushes. Undefined when there is no such change.
 */
export function waitingRecordOf(run: PlannedRun): { files: RecordedFiles; lists: (path: string) => boolean } | undefined {
  if (!run.own.noted) return undefined;
  const pending = new Set(run.arrival.pending);
  const lists = (path: string): boolean => !pending.has(path) && (run.cloudAsBase(path) || run.own.pushes.has(path));
  const files = recordedFiles(run.base, (path) => lists(path) && run.cloudAsBase(path));
  for (const [path, file] of run.own.pushes) if (!pending.has(path)) files.set(path, file);
  return { files, lists };
}

/** Temp files an interrupted run left in codexSync's control folder of the cloud. */
async function controlTemps(cloudRoot: string): Promise<string[]> {
  const names = await readdir(controlDir(cloudRoot)).catch(() => [] as string[]);
  return names.filter((name) => name.startsWith(tempPrefix)).map((name) => `${CONTROL_DIR}/${name}`);
}

function* bothSides(local: SideScan, cloud: SideScan): Iterable<[string, undefined, undefined]> {
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
