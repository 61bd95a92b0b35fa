import { statSync } from 'node:fs';
import type { Side } from '../facts.ts';
import { CONTROL_DIR, readHandoffRecords } from '../handoff/index.ts';
import { mayChangeScan, restatPaths, scanSide, type SideScan } from '../scan/index.ts';
import type { Scope } from '../scope/index.ts';
import { baseStateFile, ownRecordsFile, pushNotesFile } from '../state/index.ts';
import { rulesFrom, scopeOf, type EngineContext } from './context.ts';
import { findQuiet, updateQuiet, type QuietFacts, type QuietPaths } from '../plan/index.ts';
import { planRun, reportOnlyCheck, type PlannedRun } from './planRun.ts';
import { cloudScanOptions, readRunInputs, type RunInputs, type RunPaths } from './runInputs.ts';

/** A path whose stat a full rescan found different from the kept scan: a change the watcher did not report. */
export interface WatcherMiss {
  side: Side;
  path: string;
}

interface Kept {
  /** The config the inputs were read under: another one (paths, scope, rules) plans from scratch. */
  config: string;
  /** This machine's own files as they were read: another run (an apply of the command line) changes them. */
  ownFiles: string;
  scope: Scope;
  inputs: RunInputs;
  /** The paths a plan counts as unchanged without deciding them again. */
  quiet: QuietPaths;
}

/**
 * Plans as a cold `plan` would, from inputs kept between plans: both scans, the base state and
 * this machine's notes, the handoff records. A watcher reports the paths that changed on either
 * side; the next plan stats only those again (and reads the handoff records again only when a
 * file of the control folder changed), then plans from the kept inputs. What the kept inputs
 * cannot be trusted for (see restatPaths; a watcher error; another config; an apply; a wake from
 * sleep) is read afresh. Plans run one at a time.
 */
export class WarmPlanner {
  private kept: Kept | undefined;
  private readonly changes: Record<Side, Set<string>> = { local: new Set(), cloud: new Set() };
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Paths (relative, "/"-separated) a watcher saw change on one side since the last plan. Returns
   * whether any of them can change the plan (see mayChangeScan; the control folder's files).
   */
  changed(side: Side, paths: Iterable<string>): boolean {
    const scope = this.kept?.scope;
    let matters = scope === undefined;
    for (const path of paths) {
      this.changes[side].add(path);
      matters ||= path === CONTROL_DIR || path.startsWith(`${CONTROL_DIR}/`) || (scope !== undefined && mayChangeScan(scope, path));
    }
    return matters;
  }

  /** The kept inputs can no longer be trusted (a watcher's error, an apply): the next plan reads everything. */
  distrust(): void {
    this.kept = undefined;
  }

  /** A plan of the files as they are now, from the kept inputs brought up to date (or read afresh when there are none). */
  plan(ctx: EngineContext): Promise<PlannedRun> {
    return this.serial(async () => {
      const inputs = await this.inputs(ctx);
      const { scope, quiet } = this.kept as Kept;
      return planRun(ctx, reportOnlyCheck(ctx), { ignoreHandoffRecord: false, inputs, scope, quiet });
    });
  }

  /**
   * Reads everything afresh (at start, after sleep, and as an hourly safety net) and plans. The
   * kept inputs, brought up to date with what the watchers reported, are compared with the fresh
   * scans first: each path where they differ is a change a watcher missed.
   */
  rescan(ctx: EngineContext): Promise<{ run: PlannedRun; misses: WatcherMiss[] }> {
    return this.serial(async () => {
      const warm = this.kept === undefined ? undefined : await this.inputs(ctx);
      const { config } = ctx;
      const scope = scopeOf(config);
      const ownFiles = ownFilesKey(config.paths);
      const fresh = await readRunInputs(config.paths, config.settings.identity.machine_id, scope);
      const quiet = findQuiet(quietFacts(ctx, fresh, scope));
      this.kept = { config: configKey(ctx), ownFiles, scope, inputs: fresh, quiet };
      // A change reported while the trees were read is no miss: the watcher saw it, the next plan stats it again.
      const missed = (side: Side, kept: SideScan, now: SideScan): WatcherMiss[] => scanMisses(kept, now).filter((miss) => !this.changes[side].has(miss.path));
      const misses = warm === undefined ? [] : [...missed('local', warm.local, fresh.local), ...missed('cloud', warm.cloud, fresh.cloud)];
      return { run: await planRun(ctx, reportOnlyCheck(ctx), { ignoreHandoffRecord: false, inputs: fresh, scope, quiet }), misses };
    });
  }

  /** The folders of each side's kept scan that hold its files (and the roots), for the watchers; undefined before the first plan. */
  folders(): Record<Side, { root: string; folders: string[] }> | undefined {
    const inputs = this.kept?.inputs;
    if (inputs === undefined) return undefined;
    return { local: foldersOf(inputs.local, []), cloud: foldersOf(inputs.cloud, [CONTROL_DIR]) };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    // Settled to nothing: the queue must not hold the last plan.
    this.queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  /** The kept inputs, up to date with the reported changes; read afresh where they cannot be. */
  private async inputs(ctx: EngineContext): Promise<RunInputs> {
    const { config } = ctx;
    const paths = config.paths;
    const machineId = config.settings.identity.machine_id;
    const changed = new Set([...this.changes.local, ...this.changes.cloud]);
    this.changes.local.clear();
    this.changes.cloud.clear();
    const kept = this.kept;
    this.kept = undefined; // until brought up to date: a failure below leaves nothing half-patched behind
    const key = configKey(ctx);
    // Stat'ed before anything is read: a change after this is seen by the next plan.
    const ownFiles = ownFilesKey(paths);
    // The scope the scans were walked with knows their paths' verdicts already.
    const scope = kept !== undefined && kept.config === key ? kept.scope : scopeOf(config);
    let inputs: RunInputs;
    // Another config, or this machine's own files changed (an apply ran, the app's or the command line's): everything afresh.
    if (kept === undefined || kept.config !== key || kept.ownFiles !== ownFiles) inputs = await readRunInputs(paths, machineId, scope);
    else {
      inputs = kept.inputs;
      const control = [...changed].some((path) => path === CONTROL_DIR || path.startsWith(`${CONTROL_DIR}/`));
      if (control) inputs.read = await readHandoffRecords(paths.cloudRoot);
      const options = cloudScanOptions(paths, inputs.base, inputs.read.records);
      // Every path is stat'ed on both sides: a local file decides whether a cloud name is a conflict copy.
      if (!restatPaths(inputs.local, scope, changed)) inputs.local = await scanSide('local', paths.localStateDir, scope);
      // Which cloud names are conflict copies depends on the base and the records too.
      if (control || !restatPaths(inputs.cloud, scope, changed, options)) inputs.cloud = await scanSide('cloud', paths.cloudRoot, scope, options);
    }
    const facts = quietFacts(ctx, inputs, scope);
    const from = kept?.quiet.from;
    let quiet: QuietPaths;
    if (kept !== undefined && from?.local === inputs.local && from.cloud === inputs.cloud && from.base === inputs.base) {
      quiet = kept.quiet;
      updateQuiet(quiet, facts, changed);
    } else quiet = findQuiet(facts);
    this.kept = { config: key, ownFiles, scope, inputs, quiet };
    return inputs;
  }
}

/** A side's folders, worked out once per scan (a patch never adds a folder: a new one is a new walk). */
const scanFolders = new WeakMap<SideScan, string[]>();

function foldersOf(scan: SideScan, extra: readonly string[]): { root: string; folders: string[] } {
  let folders = scanFolders.get(scan);
  if (folders === undefined) {
    const found = new Set<string>(['', ...extra]);
    for (const path of [...scan.files.keys(), ...scan.skipped.map((entry) => entry.path), ...scan.leftoverTemps, ...scan.conflictCopies.map((copy) => copy.path)]) {
      for (let slash = path.lastIndexOf('/'); slash !== -1 && !found.has(path.slice(0, slash)); slash = path.lastIndexOf('/', slash - 1)) found.add(path.slice(0, slash));
    }
    folders = [...found].sort();
    scanFolders.set(scan, folders);
  }
  return { root: scan.root, folders };
}

function quietFacts(ctx: EngineContext, inputs: RunInputs, scope: Scope): QuietFacts {
  return { local: inputs.local, cloud: inputs.cloud, base: inputs.base, rules: rulesFrom(ctx.config), inScope: (path) => scope.includesFile(path) };
}

function configKey(ctx: EngineContext): string {
  return JSON.stringify([ctx.config.paths, ctx.config.settings]);
}

/** This machine's own files' stats: base state, push notes, own records. */
function ownFilesKey(paths: RunPaths): string {
  const baseFile = baseStateFile(paths);
  return [baseFile, pushNotesFile(baseFile), ownRecordsFile(baseFile)]
    .map((file) => {
      const stat = statSync(file, { throwIfNoEntry: false });
      return stat === undefined ? '-' : `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    })
    .join('|');
}

/** Paths where two scans of one side disagree: a file's presence or stat, a skipped entry, a temp file, a conflict copy. */
function scanMisses(kept: SideScan, fresh: SideScan): WatcherMiss[] {
  const paths = new Set<string>();
  for (const [path, stat] of fresh.files) {
    const old = kept.files.get(path);
    if (old === undefined || old.size !== stat.size || old.mtimeMs !== stat.mtimeMs || old.ino !== stat.ino) paths.add(path);
  }
  for (const path of kept.files.keys()) if (!fresh.files.has(path)) paths.add(path);
  const listed = (scan: SideScan): string[] => [...scan.skipped.map((e) => `${e.path}\0${e.why}`), ...scan.leftoverTemps, ...scan.conflictCopies.map((c) => c.path)];
  const before = new Set(listed(kept));
  const after = new Set(listed(fresh));
  for (const entry of after) if (!before.has(entry)) paths.add(entry.split('\0')[0] as string);
  for (const entry of before) if (!after.has(entry)) paths.add(entry.split('\0')[0] as string);
  return [...paths].sort().map((path) => ({ side: fresh.side, path }));
}
