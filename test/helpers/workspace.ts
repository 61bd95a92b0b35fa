import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/core/config/index.ts';
import type { EngineContext } from '../../src/core/engine/index.ts';
import { systemProcesses, type Confirmer } from '../../src/core/guard/index.ts';
import { createLogger } from '../../src/core/log/index.ts';
import { currentEnvironment } from '../../src/core/platform.ts';

export interface Workspace {
  dir: string;
  home: string;
  cloud: string;
  backups: string;
  config: string;
}

/**
 * A machine's Codex home, a cloud folder and a config.toml, all in one temp folder.
 * `processNames` defaults to a name no other test uses, so that fake Codex processes
 * started by other test files running at the same time are never seen.
 */
export function workspace(dir: string, options: { machine?: string; extra?: string; processNames?: string[] } = {}): Workspace {
  const machine = options.machine ?? 'a';
  const home = join(dir, 'home', machine);
  mkdirSync(home, { recursive: true });
  const names = options.processNames ?? [`codex-test-${process.pid}`];
  const config = join(dir, `${machine}.toml`);
  writeFileSync(
    config,
    `[identity]
machine_id = "${machine}"
[paths]
workspace_root_dir = "${join(dir, 'ws')}"
local_state_dir = "${home}"
cloud_root_dir = "\${workspace_root}/sync"
backup_dir = "\${workspace_root}/backups"
temp_dir = "\${workspace_root}/.tmp"
[state]
local_dir = "${join(dir, 'state', machine)}"
[logging]
file = "${join(dir, 'logs', 'codexsync.log')}"
[process_detection]
process_names = ${JSON.stringify(names)}
${options.extra ?? ''}`,
  );
  return { dir, home, cloud: join(dir, 'ws', 'sync'), backups: join(dir, 'ws', 'backups'), config };
}

export function writeFile(root: string, path: string, content: string | Buffer, mtime?: Date): string {
  const full = join(root, ...path.split('/'));
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
  if (mtime !== undefined) utimesSync(full, mtime, mtime);
  return full;
}

/** An engine context as the CLI builds one, with a scripted confirmer. */
export function engineContext(config: string, confirmer: Confirmer, override?: 'manual' | 'auto'): EngineContext {
  const env = currentEnvironment();
  const loaded = loadConfig(config, env);
  return {
    config: loaded,
    log: createLogger({ machineId: loaded.settings.identity.machine_id, level: 'DEBUG', format: 'text' }),
    platform: env.platform,
    now: () => new Date(),
    processes: systemProcesses,
    confirmer,
    terminateOverride: override,
    verbose: false,
  };
}

/** Runs `work` with an engine context of this workspace's config (no one answers a question), closing its log after. */
export async function withEngine<T>(ws: Pick<Workspace, 'config'>, work: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const ctx = engineContext(ws.config, { confirmTermination: async () => false });
  try {
    return await work(ctx);
  } finally {
    await ctx.log.close();
  }
}
