import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isNodeError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs/index.ts';
import type { Environment } from '../core/platform.ts';

// Electron's login item covers macOS and Windows. On Linux desktops the same thing is an XDG
// autostart entry: ~/.config/autostart/codexsync.desktop, which GNOME, KDE and others read.

export function autostartFile(env: Environment): string {
  return join(env.vars.XDG_CONFIG_HOME ?? join(env.home, '.config'), 'autostart', 'codexsync.desktop');
}

/** Quotes one argument of an Exec= line as the Desktop Entry Specification asks. */
export function quoteExecArgument(arg: string): string {
  return /^[A-Za-z0-9_./:=+-]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=codexSync',
    'Comment=Hand off Codex between your machines',
    `Exec=${quoteExecArgument(executable)} --background`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function isAutostartEnabled(env: Environment): Promise<boolean> {
  try {
    const text = await readFile(autostartFile(env), 'utf8');
    return !/^X-GNOME-Autostart-enabled=false$/m.test(text) && !/^Hidden=true$/m.test(text);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return false;
    throw error;
  }
}

export async function setAutostart(env: Environment, enabled: boolean, executable: string): Promise<void> {
  const file = autostartFile(env);
  if (!enabled) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, autostartEntry(executable));
}
