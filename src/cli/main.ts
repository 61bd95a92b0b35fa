import { ExitCode } from '../core/errors.ts';
import { version as codexsyncVersion } from '../core/version.ts';
import { parseArgs, type Invocation } from './args.ts';
import { helpText } from './help.ts';
import { processIo, type Io } from './io.ts';
import { errorReport } from './print/reports.ts';

export async function main(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  let invocation: Invocation | undefined;
  try {
    invocation = parseArgs(argv);
    return await run(invocation, io);
  } catch (error) {
    return report(error, io, invocation);
  }
}

async function run(invocation: Invocation, io: Io): Promise<ExitCode> {
  switch (invocation.kind) {
    case 'help':
      io.out(helpText(invocation.command));
      return ExitCode.ok;
    case 'version':
      io.out(`codexsync ${version()}`);
      return ExitCode.ok;
    // Each command is loaded when used, so that -h and --version start at once.
    case 'init-config':
      return (await import('./commands/initConfig.ts')).initConfig(invocation, io);
    case 'validate':
      return (await import('./commands/validate.ts')).validate(invocation, io);
    case 'plan':
      return (await import('./commands/plan.ts')).plan(invocation, io);
    case 'sync':
      return (await import('./commands/sync.ts')).sync(invocation, io);
    case 'restore':
      return (await import('./commands/restore.ts')).restore(invocation, io);
    case 'doctor':
    case 'preflight':
      return (await import('./commands/doctor.ts')).doctor(invocation, io);
  }
}

function report(error: unknown, io: Io, invocation: Invocation | undefined): ExitCode {
  const json = invocation !== undefined && 'json' in invocation && invocation.json;
  const verbose = invocation !== undefined && 'verbose' in invocation && invocation.verbose;
  const { exitCode, out, err } = errorReport(error, { json, verbose });
  for (const line of out) io.out(line);
  for (const line of err) io.err(line);
  return exitCode;
}

export function version(): string {
  return codexsyncVersion;
}
