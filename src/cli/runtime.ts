import { loadConfig, type LoadedConfig } from '../core/config/index.ts';
import { locateConfig } from '../core/config/index.ts';
import type { EngineContext } from '../core/engine/index.ts';
import { systemProcesses } from '../core/guard/index.ts';
import { createLogger, type Logger } from '../core/log/index.ts';
import type { Io } from './io.ts';
import { consoleConfirmer, nativeDialogConfirmer } from './nativeDialog.ts';
import { progressPrinter } from './print/progress.ts';

export interface CommandRuntime {
  ctx: EngineContext;
  log: Logger;
}

interface GlobalInvocation {
  config: string | undefined;
  verbose: boolean;
  terminate: 'manual' | 'auto' | undefined;
  json?: boolean;
}

/**
 * Loads the config and builds the engine context of one command-line run: the logger
 * (daily files + console), the real process list, console confirmation, progress.
 */
export function commandRuntime(invocation: GlobalInvocation, io: Io): CommandRuntime {
  const { path } = locateConfig(invocation.config, io.cwd, io.env);
  const config: LoadedConfig = loadConfig(path, io.env);
  const logging = config.settings.logging;
  const log = createLogger({
    machineId: config.settings.identity.machine_id,
    level: logging.level,
    format: logging.format,
    file: { path: config.paths.logFile, maxFileSizeMb: logging.max_file_size_mb, retentionDays: logging.retention_days, archiveMode: logging.archive_mode },
    console: { level: invocation.verbose ? 'INFO' : 'WARNING', ...(io.console === undefined ? {} : { stream: io.console }) },
  });
  for (const warning of config.warnings) log.warning(warning);
  const ctx: EngineContext = {
    config,
    log,
    platform: io.env.platform,
    now: () => new Date(),
    processes: io.processes ?? systemProcesses,
    confirmer: config.settings.process_detection.terminate_confirmation_mode === 'gui' ? nativeDialogConfirmer(io.env, consoleConfirmer(io.prompt)) : consoleConfirmer(io.prompt),
    terminateOverride: invocation.terminate,
    verbose: invocation.verbose,
    ...testHooks(io),
  };
  if (io.interactive !== false) {
    const progress = invocation.json === true ? undefined : progressPrinter();
    if (progress !== undefined) ctx.progress = progress;
    ctx.signal = interruptSignal();
  }
  return { ctx, log };
}

/**
 * Crash injection for the fault tests: CODEXSYNC_TEST_PAUSE_MS pauses after each write (a test
 * kills the run at a random moment), CODEXSYNC_TEST_CRASH_AFTER_WRITE=N kills the process itself
 * right after its Nth write (a failure replays exactly).
 */
function testHooks(io: Io): Partial<EngineContext> {
  const pause = Number(io.env.vars.CODEXSYNC_TEST_PAUSE_MS ?? '');
  const crashAfter = Number(io.env.vars.CODEXSYNC_TEST_CRASH_AFTER_WRITE ?? '');
  if (!(pause > 0) && !(crashAfter > 0)) return {};
  return {
    afterWrite: async (count) => {
      if (count === crashAfter) process.kill(process.pid, 'SIGKILL');
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    },
  };
}

/**
 * Ctrl-C stops an apply between two files; a second Ctrl-C ends the process at once. A second
 * SIGINT within SAME_CTRL_C_MS is the same keypress: in a terminal, Ctrl-C signals every
 * process of the foreground group, and bin/codexsync.mjs, when it runs the CLI in a child
 * under the bundled Node, passes its own SIGINT on as well.
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  let first = 0;
  const onSigint = (): void => {
    if (first === 0) {
      first = Date.now();
      process.stderr.write('\ncodexsync: stopping after the files in hand (Ctrl-C again to quit at once)\n');
      controller.abort();
    } else if (Date.now() - first > SAME_CTRL_C_MS) process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return controller.signal;
}

const SAME_CTRL_C_MS = 300;
