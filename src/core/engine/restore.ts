import { applyRestore, chooseSnapshot, planRestore, snapshotAsOf, type ChosenSnapshot, type RestorePlan, type RestoreReport } from '../backup/index.ts';
import { ExitCode, type IgnoredSnapshot } from '../errors.ts';
import type { Side } from '../facts.ts';
import { checkCodex } from '../guard/index.ts';
import { guardOptions, scopeOf, type EngineContext } from './context.ts';
import { inWriteSession } from './session.ts';

export interface RestoreResult {
  mode: 'dry-run' | 'apply';
  plan: RestorePlan;
  report: RestoreReport | undefined;
  /** The snapshot holding what the restore replaced. */
  backup: string | undefined;
  /** Newer entries of the backup folder passed over when choosing this machine's newest snapshot. */
  ignored: IgnoredSnapshot[];
  /** Restoring as of a time: the snapshot each file's version comes from, by path. */
  sources?: ReadonlyMap<string, string>;
  exitCode: ExitCode;
}

export interface RestoreOptions {
  /** A snapshot's name; this machine's newest when undefined. */
  from: string | undefined;
  target: Side;
  apply: boolean;
  /** Only these files of the snapshot (one thread's version); every file when undefined. */
  paths?: readonly string[];
  /** Everything as it was at this time: each file from the newest snapshot at or before it (instead of `from`). */
  at?: Date;
}

/**
 * `restore`: puts a snapshot's files back on one side; a dry run unless `apply`. Only files
 * in the run's sync scope are put back, whatever the snapshot holds. An apply writes in a
 * write session, like a sync: Codex closed, the lock held, every file through the guarded
 * writer (no link on the way of any file, checked before the first write), and what it
 * replaces backed up first.
 */
export async function restore(ctx: EngineContext, options: RestoreOptions): Promise<RestoreResult> {
  const { config, log } = ctx;
  await checkCodex(guardOptions(ctx), options.apply ? 'enforce' : 'report');
  const machineId = config.settings.identity.machine_id;
  const chosen: ChosenSnapshot & { sources?: ReadonlyMap<string, string> } =
    options.at === undefined ? await chooseSnapshot(config.paths.backupDir, machineId, options.from) : await snapshotAsOf(config.paths.backupDir, machineId, options.target, options.at);
  const { snapshot, ignored } = chosen;
  const sources = chosen.sources === undefined ? {} : { sources: chosen.sources };
  for (const entry of ignored) log.warning(`passed over ${entry.name} in the backup folder: ${entry.kind === 'other-machine' ? `its manifest names machine ${entry.machineId}` : entry.kind}`);
  try {
    const root = options.target === 'local' ? config.paths.localStateDir : config.paths.cloudRoot;
    const plan = only(await planRestore(snapshot, options.target, root, scopeOf(config)), options.paths);
    for (const refused of plan.refused) log.warning(`not restored: ${refused.path} (${refused.why})`);
    if (!options.apply) return { mode: 'dry-run', plan, report: undefined, backup: undefined, ignored, ...sources, exitCode: ExitCode.ok };
    return await inWriteSession(ctx, async (session) => {
      const report = await applyRestore(plan, snapshot, session.writer, log);
      const { snapshot: backup } = await session.finishSnapshot({ prune: false });
      return { mode: 'apply', plan, report, backup, ignored, ...sources, exitCode: report.failures.length === 0 ? ExitCode.ok : ExitCode.safeAbort };
    });
  } finally {
    snapshot.close();
  }
}

/** The plan for some files of the snapshot only; a path it does not hold is simply not there. */
function only(plan: RestorePlan, paths: readonly string[] | undefined): RestorePlan {
  if (paths === undefined) return plan;
  const wanted = new Set(paths);
  return { ...plan, items: plan.items.filter((item) => wanted.has(item.path)), refused: plan.refused.filter((refused) => wanted.has(refused.path)) };
}
