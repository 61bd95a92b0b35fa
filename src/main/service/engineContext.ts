import { loadConfig } from '../../core/config/index.ts';
import type { EngineContext } from '../../core/engine/index.ts';
import type { Confirmer } from '../../core/guard/index.ts';
import { systemProcesses, type ProcessSource } from '../../core/guard/index.ts';
import { createLogger, type Logger } from '../../core/log/index.ts';
import type { ApplyProgress } from '../../core/apply/index.ts';
import type { Environment } from '../../core/platform.ts';

export interface AppRuntimeOptions {
  configFile: string;
  env: Environment;
  confirmer: Confirmer;
  processes?: ProcessSource;
  now?: () => Date;
}

/**
 * The engine context of one operation of the app: the config read afresh (the settings window
 * may have changed it), this machine's daily log files (no console: the app has none), the real
 * process list and the app's confirmer; `signal` cancels it between files. The caller closes the
 * logger when the operation ends.
 */
export function appEngineContext(options: AppRuntimeOptions, progress?: (event: ApplyProgress) => void, signal?: AbortSignal): { ctx: EngineContext; log: Logger } {
  const config = loadConfig(options.configFile, options.env);
  const logging = config.settings.logging;
  const now = options.now ?? (() => new Date());
  const log = createLogger({
    machineId: config.settings.identity.machine_id,
    level: logging.level,
    format: logging.format,
    file: { path: config.paths.logFile, maxFileSizeMb: logging.max_file_size_mb, retentionDays: logging.retention_days, archiveMode: logging.archive_mode },
    now,
  });
  for (const warning of config.warnings) log.warning(warning);
  return {
    ctx: {
      config,
      log,
      platform: options.env.platform,
      now,
      processes: options.processes ?? systemProcesses,
      confirmer: options.confirmer,
      // The app asks in its own dialog as config.toml says; it has no command-line overrides.
      terminateOverride: undefined,
      verbose: false,
      ...(progress === undefined ? {} : { progress }),
      ...(signal === undefined ? {} : { signal }),
    },
    log,
  };
}
