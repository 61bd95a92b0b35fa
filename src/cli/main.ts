import { CodexSyncError, ExitCode } from '../core/errors.ts';
import { version as codexsyncVersion } from '../core/version.ts';
import { parseArgs, type Invocation } from './args.ts';
import { helpText } from './help.ts';
import { processIo, type Io } from './io.ts';
import { problemText } from './print/words.ts';

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
  const known = error instanceof CodexSyncError;
  const exitCode = known ? error.exitCode : ExitCode.runtimeError;
  const message = known ? problemText(error.problem) : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  const details = known ? error.details : [];
  if (invocation !== undefined && 'json' in invocation && invocation.json) {
    io.out(JSON.stringify({ ok: false, exitCode, error: { message, details } }, null, 2));
  }
  io.err(`codexsync: ${message}`);
  for (const line of details) io.err(`  ${line}`);
  if (!known && invocation !== undefined && 'verbose' in invocation && invocation.verbose && error instanceof Error) {
    io.err(error.stack ?? '');
  }
  return exitCode;
}

export function version(): string {
  return codexsyncVersion;
}
