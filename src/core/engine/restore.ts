import { applyRestore, chooseSnapshot, planRestore, type RestorePlan, type RestoreReport } from '../backup/index.ts';
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
  exitCode: ExitCode;
}

/**
 * `restore`: puts a snapshot's files back on one side; a dry run unless `apply`. Only files
 * in the run's sync scope are put back, whatever the snapshot holds. An apply writes in a
 * write session, like a sync: Codex closed, the lock held, every file through the guarded
 * writer (no link on the way of any file, checked before the first write), and what it
 * replaces backed up first.
 */
export async function restore(ctx: EngineContext, options: { from: string | undefined; target: Side; apply: boolean }): Promise<RestoreResult> {
  const { config, log } = ctx;
  await checkCodex(guardOptions(ctx), options.apply ? 'enforce' : 'report');
  const { snapshot, ignored } = await chooseSnapshot(config.paths.backupDir, config.settings.identity.machine_id, options.from);
  for (const entry of ignored) log.warning(`passed over ${entry.name} in the backup folder: ${entry.kind === 'other-machine' ? `its manifest names machine ${entry.machineId}` : entry.kind}`);
  try {
    const root = options.target === 'local' ? config.paths.localStateDir : config.paths.cloudRoot;
    const plan = await planRestore(snapshot, options.target, root, scopeOf(config));
    for (const refused of plan.refused) log.warning(`not restored: ${refused.path} (${refused.why})`);
    if (!options.apply) return { mode: 'dry-run', plan, report: undefined, backup: undefined, ignored, exitCode: ExitCode.ok };
    return await inWriteSession(ctx, async (session) => {
      const report = await applyRestore(plan, snapshot, session.writer, log);
      const { snapshot: backup } = await session.finishSnapshot({ prune: false });
      return { mode: 'apply', plan, report, backup, ignored, exitCode: report.failures.length === 0 ? ExitCode.ok : ExitCode.safeAbort };
    });
  } finally {
    snapshot.close();
  }
}
