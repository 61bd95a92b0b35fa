import { join } from 'node:path';
import { userConfigDir, type Environment } from '../core/platform.ts';

/** Where the app's config.toml is: --config PATH, else $CODEXSYNC_CONFIG, else the user's config folder (as the CLI finds it). */
export function appConfigFile(argv: readonly string[], env: Environment): string {
  const at = argv.indexOf('--config');
  const option = at === -1 ? argv.find((arg) => arg.startsWith('--config='))?.slice('--config='.length) : argv[at + 1];
  if (option !== undefined && option !== '') return option;
  const fromEnv = env.vars.CODEXSYNC_CONFIG;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  return join(userConfigDir(env), 'config.toml');
}

/** The built files inside the app: out/main (this bundle), out/preload, out/renderer, assets. */
export function bundledPaths(appPath: string): { preload: string; renderer: string; trayIcons: string; appIcon: string } {
  return {
    preload: join(appPath, 'out', 'preload', 'index.cjs'),
    renderer: join(appPath, 'out', 'renderer'),
    trayIcons: join(appPath, 'assets', 'tray'),
    appIcon: join(appPath, 'assets', 'icon.png'),
  };
}
