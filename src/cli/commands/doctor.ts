import { doctor as runDoctor } from '../../core/engine/index.ts';
import type { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';

/** `doctor` and `preflight`: [PASS]/[WARN]/[FAIL] lines and a summary; exit 0, or 5 on a failure. */
export async function doctor(invocation: Extract<Invocation, { kind: 'doctor' | 'preflight' }>, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const report = await runDoctor(ctx);
    if (invocation.json) {
      io.out(JSON.stringify({ ok: report.exitCode === 0, exitCode: report.exitCode, command: invocation.kind, checks: report.checks, summary: report.summary }, null, 2));
      return report.exitCode;
    }
    for (const check of report.checks) io.out(`[${check.status}] ${check.name}: ${check.detail}`);
    io.out(`Summary: ${report.summary.PASS} PASS, ${report.summary.WARN} WARN, ${report.summary.FAIL} FAIL`);
    return report.exitCode;
  } finally {
    await log.close();
  }
}
