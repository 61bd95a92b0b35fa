// One `run` step of a scenario, in-process: the context the CLI would build (src/cli/runtime.ts),
// the engine call, and the text the CLI would print (src/cli/print/reports.ts) with its exit code.
// No Codex runs (an empty process list), no Ctrl-C listener, no terminal.
import { Writable } from 'node:stream';
import type { Io } from '../../src/cli/io.ts';
import { doctorReport, errorReport, planReport, restoreReport, syncReport } from '../../src/cli/print/reports.ts';
import { commandRuntime } from '../../src/cli/runtime.ts';
import { restoreOptions } from '../../src/cli/commands/restore.ts';
import { syncOptions } from '../../src/cli/commands/sync.ts';
import { doctor, makePlan, restore, sync } from '../../src/core/engine/index.ts';
import { CodexSyncError, ExitCode } from '../../src/core/errors.ts';
import { currentEnvironment, type Environment } from '../../src/core/platform.ts';
import type { SupportedInvocation } from './schema.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The stack of an unexpected error (the CLI prints it with -v only), for the failure message. */
  stack?: string;
}

/** The environment the spawned CLI had: no desktop session, so no dialog may pop up. */
export function scenarioEnvironment(): Environment {
  const env = currentEnvironment();
  return { ...env, vars: { ...env.vars, DISPLAY: undefined, WAYLAND_DISPLAY: undefined } };
}

/** Runs a parsed command line (or reports its usage error) as `codexsync -c <configFile> ...` would. */
export async function runInProcess(parsed: SupportedInvocation | CodexSyncError, configFile: string, cwd: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const out = (line: string): void => void (stdout += line.endsWith('\n') ? line : `${line}\n`);
  const err = (line: string): void => void (stderr += line.endsWith('\n') ? line : `${line}\n`);
  const invocation = parsed instanceof CodexSyncError ? undefined : { ...parsed, config: configFile };
  try {
    if (invocation === undefined) throw parsed;
    const io: Io = {
      out,
      err,
      cwd,
      env: scenarioEnvironment(),
      prompt: undefined,
      processes: { list: async () => [] },
      // The logger's console lines, as the spawned CLI wrote them to stderr.
      console: new Writable({ write: (chunk: Buffer | string, _encoding, done) => (err(chunk.toString()), done()) }),
      interactive: false,
    };
    return { code: await command(invocation, io), stdout, stderr };
  } catch (error) {
    const report = errorReport(error, { json: invocation?.json === true, verbose: false });
    for (const line of report.out) out(line);
    for (const line of report.err) err(line);
    const unexpected = !(error instanceof CodexSyncError) && error instanceof Error && error.stack !== undefined;
    return { code: report.exitCode, stdout, stderr, ...(unexpected ? { stack: (error as Error).stack } : {}) };
  }
}

/** The engine call and the report of one command, with the context the command line builds. */
async function command(invocation: SupportedInvocation, io: Io): Promise<number> {
  const { ctx, log } = commandRuntime(invocation, io);
  const text = { json: invocation.json, verbose: invocation.verbose, reportConflicts: ctx.config.settings.conflict.report_conflicts };
  try {
    switch (invocation.kind) {
      case 'plan': {
        for (const line of planReport(await makePlan(ctx), text)) io.out(line);
        return ExitCode.ok;
      }
      case 'sync': {
        const result = await sync(ctx, syncOptions(invocation, ctx.config));
        for (const line of syncReport(result, text)) io.out(line);
        return result.exitCode;
      }
      case 'restore': {
        const result = await restore(ctx, restoreOptions(invocation));
        for (const line of restoreReport(result, text)) io.out(line);
        return result.exitCode;
      }
      case 'doctor':
      case 'preflight': {
        const report = await doctor(ctx);
        for (const line of doctorReport(report, { json: invocation.json, command: invocation.kind })) io.out(line);
        return report.exitCode;
      }
    }
  } finally {
    await log.close();
  }
}
