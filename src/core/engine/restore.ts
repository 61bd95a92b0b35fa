import { applyRestore, chooseSnapshot, openSnapshot, planRestore, type RestorePlan, type RestoreReport } from '../backup/index.ts';
import { ExitCode } from '../errors.ts';
import type { Side } from '../facts.ts';
import { checkCodex } from '../guard/index.ts';
import { guardOptions, type EngineContext } from './context.ts';
import { inWriteSession } from './session.ts';

export interface RestoreResult {
  mode: 'dry-run' | 'apply';
  plan: RestorePlan;
  report: RestoreReport | undefined;
  /** The snapshot holding what the restore replaced. */
  backup: string | undefined;
  exitCode: ExitCode;
}

/**
 * `restore`: puts a snapshot's files back on one side; a dry run unless `apply`. An apply
 * writes in a write session, like a sync: Codex closed, the lock held, every file through the
 * guarded writer (no link on the way), and what it replaces backed up first.
 */
export async function restore(ctx: EngineContext, options: { from: string | undefined; target: Side; apply: boolean }): Promise<RestoreResult> {
  const { config, log } = ctx;
  await checkCodex(guardOptions(ctx), options.apply ? 'enforce' : 'report');
  const name = await chooseSnapshot(config.paths.backupDir, config.settings.identity.machine_id, options.from);
  const snapshot = await openSnapshot(config.paths.backupDir, name);
  try {
    const root = options.target === 'local' ? config.paths.localStateDir : config.paths.cloudRoot;
    const plan = await planRestore(snapshot, options.target, root);
    if (!options.apply) return { mode: 'dry-run', plan, report: undefined, backup: undefined, exitCode: ExitCode.ok };
    return await inWriteSession(ctx, async (session) => {
      const report = await applyRestore(plan, snapshot, session.writer, log);
      const { snapshot: backup } = await session.finishSnapshot({ prune: false });
      return { mode: 'apply', plan, report, backup, exitCode: report.failures.length === 0 ? ExitCode.ok : ExitCode.safeAbort };
    });
  } finally {
    snapshot.close();
  }
}
