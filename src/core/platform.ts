import { homedir } from 'node:os';
import { join } from 'node:path';

export type Platform = 'windows' | 'macos' | 'linux';

export function currentPlatform(nodePlatform: NodeJS.Platform = process.platform): Platform {
  if (nodePlatform === 'win32') return 'windows';
  if (nodePlatform === 'darwin') return 'macos';
  return 'linux';
}

export interface Environment {
  platform: Platform;
  home: string;
  vars: Readonly<Record<string, string | undefined>>;
}

export function currentEnvironment(): Environment {
  return { platform: currentPlatform(), home: homedir(), vars: process.env };
}

/** Where a user's codexsync config.toml lives when no -c is given and none is in the current folder. */
export function userConfigDir(env: Environment): string {
  switch (env.platform) {
    case 'windows':
      return join(env.vars.APPDATA ?? join(env.home, 'AppData', 'Roaming'), 'codexsync');
    case 'macos':
      return join(env.home, 'Library', 'Application Support', 'codexsync');
    case 'linux':
      return join(env.vars.XDG_CONFIG_HOME ?? join(env.home, '.config'), 'codexsync');
  }
}

/** This machine's own data (base state): never in the synced folder, never shared. */
export function userStateDir(env: Environment): string {
  switch (env.platform) {
    case 'windows':
      return join(env.vars.LOCALAPPDATA ?? join(env.home, 'AppData', 'Local'), 'codexsync', 'state');
    case 'macos':
      return join(env.home, 'Library', 'Application Support', 'codexsync', 'state');
    case 'linux':
      return join(env.vars.XDG_STATE_HOME ?? join(env.home, '.local', 'state'), 'codexsync');
  }
}

/** Codex's own home: $CODEX_HOME, else ~/.codex (Windows: %USERPROFILE%\.codex). */
export function defaultCodexHome(env: Environment): { path: string; source: 'CODEX_HOME' | 'default' } {
  const fromEnv = env.vars.CODEX_HOME;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: fromEnv, source: 'CODEX_HOME' };
  return { path: join(env.home, '.codex'), source: 'default' };
}
