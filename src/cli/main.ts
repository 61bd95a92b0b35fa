import { readFileSync } from 'node:fs';
import { CodexSyncError, ExitCode } from '../core/errors.ts';
import { parseArgs, type Invocation } from './args.ts';
import { doctor } from './commands/doctor.ts';
import { initConfig } from './commands/initConfig.ts';
import { plan } from './commands/plan.ts';
import { restore } from './commands/restore.ts';
import { sync } from './commands/sync.ts';
import { validate } from './commands/validate.ts';
import { helpText } from './help.ts';
import { processIo, type Io } from './io.ts';

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
    case 'init-config':
      return initConfig(invocation, io);
    case 'validate':
      return validate(invocation, io);
    case 'plan':
      return plan(invocation, io);
    case 'sync':
      return sync(invocation, io);
    case 'restore':
      return restore(invocation, io);
    case 'doctor':
    case 'preflight':
      return doctor(invocation, io);
  }
}

function report(error: unknown, io: Io, invocation: Invocation | undefined): ExitCode {
  const known = error instanceof CodexSyncError;
  const exitCode = known ? error.exitCode : ExitCode.runtimeError;
  const message = known ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
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
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
