import { makePlan } from '../../core/engine/index.ts';
import { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { planReport } from '../print/reports.ts';

/** `plan`: every action and conflict a sync would make; writes nothing but the log. */
export async function plan(invocation: Extract<Invocation, { kind: 'plan' }>, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const result = await makePlan(ctx);
    for (const line of planReport(result, { json: invocation.json, verbose: invocation.verbose, reportConflicts: ctx.config.settings.conflict.report_conflicts })) io.out(line);
    return ExitCode.ok;
  } finally {
    await log.close();
  }
}
