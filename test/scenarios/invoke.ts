// One `run` step of a scenario, in-process: the context the CLI would build (src/cli/runtime.ts),
// the engine call, and the text the CLI would print (src/cli/print/reports.ts) with its exit code.
// No Codex runs (an empty process list), no Ctrl-C listener, no terminal.
import { Writable } from 'node:stream';
import { consoleConfirmer } from '../../src/cli/nativeDialog.ts';
import { doctorReport, planReport, restoreReport, syncReport } from '../../src/cli/print/reports.ts';
import { problemText } from '../../src/cli/print/words.ts';
import { restoreOptions } from '../../src/cli/commands/restore.ts';
import { syncOptions } from '../../src/cli/commands/sync.ts';
import { loadConfig, locateConfig } from '../../src/core/config/index.ts';
import { doctor, makePlan, restore, sync, type EngineContext } from '../../src/core/engine/index.ts';
import { CodexSyncError, ExitCode } from '../../src/core/errors.ts';
import { createLogger } from '../../src/core/log/index.ts';
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
    const code = await command(invocation, cwd, out, (text) => void (stderr += text));
    return { code, stdout, stderr };
  } catch (error) {
    // As src/cli/main.ts report().
    const known = error instanceof CodexSyncError;
    const exitCode = known ? error.exitCode : ExitCode.runtimeError;
    const message = known ? problemText(error.problem) : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    const details = known ? error.details : [];
    if (invocation?.json === true) out(JSON.stringify({ ok: false, exitCode, error: { message, details } }, null, 2));
    err(`codexsync: ${message}`);
    for (const line of details) err(`  ${line}`);
    return { code: exitCode, stdout, stderr, ...(!known && error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}) };
  }
}

async function command(invocation: SupportedInvocation, cwd: string, out: (line: string) => void, console: (text: string) => void): Promise<number> {
  const env = scenarioEnvironment();
  const { path } = locateConfig(invocation.config, cwd, env);
  const config = loadConfig(path, env);
  const logging = config.settings.logging;
  const log = createLogger({
    machineId: config.settings.identity.machine_id,
    level: logging.level,
    format: logging.format,
    file: { path: config.paths.logFile, maxFileSizeMb: logging.max_file_size_mb, retentionDays: logging.retention_days, archiveMode: logging.archive_mode },
    // The lines the CLI's logger writes to stderr.
    console: { level: invocation.verbose ? 'INFO' : 'WARNING', stream: new Writable({ write: (chunk: Buffer | string, _encoding, done) => (console(chunk.toString()), done()) }) },
  });
  for (const warning of config.warnings) log.warning(warning);
  const ctx: EngineContext = {
    config,
    log,
    platform: env.platform,
    now: () => new Date(),
    processes: { list: async () => [] },
    confirmer: consoleConfirmer(undefined),
    terminateOverride: invocation.terminate,
    verbose: invocation.verbose,
  };
  const text = { json: invocation.json, verbose: invocation.verbose, reportConflicts: config.settings.conflict.report_conflicts };
  try {
    switch (invocation.kind) {
      case 'plan': {
        for (const line of planReport(await makePlan(ctx), text)) out(line);
        return ExitCode.ok;
      }
      case 'sync': {
        const result = await sync(ctx, syncOptions(invocation, config));
        for (const line of syncReport(result, text)) out(line);
        return result.exitCode;
      }
      case 'restore': {
        const result = await restore(ctx, restoreOptions(invocation));
        for (const line of restoreReport(result, text)) out(line);
        return result.exitCode;
      }
      case 'doctor':
      case 'preflight': {
        const report = await doctor(ctx);
        for (const line of doctorReport(report, { json: invocation.json, command: invocation.kind })) out(line);
        return report.exitCode;
      }
    }
  } finally {
    await log.close();
  }
}
