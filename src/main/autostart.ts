import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isNodeError } from '../core/errors.ts';
import { writeFileAtomic } from '../core/fs/index.ts';
import type { Environment } from '../core/platform.ts';

// Electron's login item covers macOS and Windows. On Linux desktops the same thing is an XDG
// autostart entry (XDG Autostart and Desktop Entry specifications): codexsync.desktop in
// $XDG_CONFIG_HOME/autostart, which GNOME, KDE, Xfce and others read at login. An entry of the
// same name in a system folder ($XDG_CONFIG_DIRS, /etc/xdg) is switched off only by a user entry
// that says Hidden=true, so that is what switching off writes when one exists.

const entryName = 'codexsync.desktop';

/** $XDG_CONFIG_HOME when set to an absolute path (the spec ignores anything else), else ~/.config. */
function configHome(env: Environment): string {
  const fromEnv = env.vars.XDG_CONFIG_HOME;
  return fromEnv !== undefined && isAbsolute(fromEnv) ? fromEnv : join(env.home, '.config');
}

/** The system-wide autostart entries of the same name, most important first. */
function systemEntries(env: Environment): string[] {
  const dirs = (env.vars.XDG_CONFIG_DIRS ?? '').split(':').filter((dir) => isAbsolute(dir));
  return (dirs.length > 0 ? dirs : ['/etc/xdg']).map((dir) => join(dir, 'autostart', entryName));
}

export function autostartFile(env: Environment): string {
  return join(configHome(env), 'autostart', entryName);
}

/**
 * Quotes one argument of an Exec= line as the Desktop Entry Specification asks: an argument with
 * a reserved character goes in double quotes, with `"`, `` ` ``, `$` and `\` escaped; a `%` is
 * doubled everywhere, since `%x` is a field code.
 */
export function quoteExecArgument(arg: string): string {
  const percents = arg.replaceAll('%', '%%');
  return /^[A-Za-z0-9_./:=+,@%-]+$/.test(percents) ? percents : `"${percents.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** A string value of a desktop entry: the file's own escapes, applied after the Exec quoting. */
export function escapeDesktopValue(value: string): string {
  return value.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c] ?? c);
}

export function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=codexSync',
    'Comment=Hand off Codex between your machines',
    `Exec=${escapeDesktopValue(`${quoteExecArgument(executable)} --background`)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The user entry that switches off a system-wide one: Hidden=true for every desktop, and GNOME's own key. */
export function hiddenAutostartEntry(): string {
  return ['[Desktop Entry]', 'Type=Application', 'Name=codexSync', 'Hidden=true', 'X-GNOME-Autostart-enabled=false', ''].join('\n');
}

async function readEntry(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT') || isNodeError(error, 'ENOTDIR')) return undefined;
    throw error;
  }
}

/** The user's entry decides when there is one; otherwise the first system-wide entry does. */
export async function isAutostartEnabled(env: Environment): Promise<boolean> {
  for (const file of [autostartFile(env), ...systemEntries(env)]) {
    const text = await readEntry(file);
    if (text !== undefined) return !/^X-GNOME-Autostart-enabled=false$/m.test(text) && !/^Hidden=true$/m.test(text);
  }
  return false;
}

export async function setAutostart(env: Environment, enabled: boolean, executable: string): Promise<void> {
  const file = autostartFile(env);
  if (!enabled && !systemEntries(env).some((entry) => existsSync(entry))) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, enabled ? autostartEntry(executable) : hiddenAutostartEntry());
}
