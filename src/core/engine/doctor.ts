import { runDoctor, type DoctorReport } from '../doctor/index.ts';
import { ExitCode } from '../errors.ts';
import { checkCodex } from '../guard/index.ts';
import { guardOptions, type EngineContext } from './context.ts';

/** `doctor` / `preflight`: checks only; never ends a process and leaves no file behind. */
export async function doctor(ctx: EngineContext): Promise<DoctorReport & { exitCode: ExitCode }> {
  const report = await runDoctor(ctx.config, () => checkCodex(guardOptions(ctx), 'report'), ctx.now());
  return { ...report, exitCode: report.summary.FAIL > 0 ? ExitCode.safeAbort : ExitCode.ok };
}
