import { doctor as runDoctor } from '../../core/engine/index.ts';
import type { ExitCode } from '../../core/errors.ts';
import type { Invocation } from '../args.ts';
import { commandRuntime } from '../runtime.ts';
import type { Io } from '../io.ts';
import { doctorReport } from '../print/reports.ts';

/** `doctor` and `preflight`: [PASS]/[WARN]/[FAIL] lines and a summary; exit 0, or 5 on a failure. */
export async function doctor(invocation: Extract<Invocation, { kind: 'doctor' | 'preflight' }>, io: Io): Promise<ExitCode> {
  const { ctx, log } = commandRuntime(invocation, io);
  try {
    const report = await runDoctor(ctx);
    for (const line of doctorReport(report, { json: invocation.json, command: invocation.kind })) io.out(line);
    return report.exitCode;
  } finally {
    await log.close();
  }
}
