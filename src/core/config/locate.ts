import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userConfigDir, type Environment } from '../platform.ts';

export type ConfigSource = 'option' | 'CODEXSYNC_CONFIG' | 'working-folder' | 'user';

/**
 * Which config file a command uses: -c, else $CODEXSYNC_CONFIG, else ./config.toml when it
 * exists (as 0.1.2 was used from its folder), else the user's config (where the app keeps it).
 */
export function locateConfig(option: string | undefined, cwd: string, env: Environment): { path: string; source: ConfigSource } {
  if (option !== undefined) return { path: resolve(cwd, option), source: 'option' };
  const fromEnv = env.vars.CODEXSYNC_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: resolve(cwd, fromEnv), source: 'CODEXSYNC_CONFIG' };
  const local = join(cwd, 'config.toml');
  if (existsSync(local)) return { path: local, source: 'working-folder' };
  return { path: join(userConfigDir(env), 'config.toml'), source: 'user' };
}
