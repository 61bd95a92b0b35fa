import type { LoadedConfig } from '../src/core/config/load.ts';
import type { EngineContext } from '../src/core/engine/index.ts';
import { systemProcesses } from '../src/core/guard/processes.ts';
import { createLogger } from '../src/core/log/logger.ts';
import { currentEnvironment } from '../src/core/platform.ts';

/** The engine as a benchmark drives it in its own process: warnings only, no one to answer a question. */
export function benchContext(config: LoadedConfig, extra: Partial<EngineContext> = {}): EngineContext {
  return {
    config,
    log: createLogger({ machineId: config.settings.identity.machine_id, level: 'WARNING', format: 'text' }),
    platform: currentEnvironment().platform,
    now: () => new Date(),
    processes: systemProcesses,
    confirmer: { confirmTermination: async () => false },
    terminateOverride: undefined,
    verbose: false,
    ...extra,
  };
}
