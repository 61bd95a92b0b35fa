import { restore as runRestore } from '../../core/engine/index.ts';
import type { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { restoreReport } from '../print/reports.ts';

type RestoreInvocation = Extract<Invocation, { kind: 'restore' }>;

/** `restore`: lists (dry run) or puts back the files of a backup snapshot. */
export async function restore(invocation: RestoreInvocation, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const result = await runRestore(ctx, restoreOptions(invocation));
    for (const line of restoreReport(result, { json: invocation.json })) io.out(line);
    return result.exitCode;
  } finally {
    await log.close();
  }
}

/** The engine's options for a `restore` command line. */
export function restoreOptions(invocation: RestoreInvocation): Parameters<typeof runRestore>[1] {
  return { from: invocation.from, target: invocation.target, apply: invocation.mode === 'apply' };
}
