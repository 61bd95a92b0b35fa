import { sync as runSync, type SyncOptions } from '../../core/engine/index.ts';
import type { LoadedConfig } from '../../core/config/index.ts';
import type { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { syncReport } from '../print/reports.ts';

type SyncInvocation = Extract<Invocation, { kind: 'sync' }>;

/** `sync`: a dry run prints the plan; --apply runs it and prints what was done. */
export async function sync(invocation: SyncInvocation, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const result = await runSync(ctx, syncOptions(invocation, ctx.config));
    for (const line of syncReport(result, { json: invocation.json, verbose: invocation.verbose, reportConflicts: ctx.config.settings.conflict.report_conflicts })) io.out(line);
    return result.exitCode;
  } finally {
    await log.close();
  }
}

/** The engine's options for a `sync` command line. */
export function syncOptions(invocation: SyncInvocation, config: LoadedConfig): SyncOptions {
  const apply = invocation.mode === 'apply' || (invocation.mode === 'default' && !config.settings.sync.dry_run_default);
  // --force keeps its 0.1.2-era meaning: past the large-deletion guard and the handoff record's arrival check.
  return { apply, acceptLargeDeletion: invocation.force, ignoreHandoffRecord: invocation.force, mergeConflictCopies: invocation.mergeConflictCopies };
}
