import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Environment } from '../../src/core/platform.ts';
import { autostartEntry, autostartFile, hiddenAutostartEntry, isAutostartEnabled, setAutostart } from '../../src/main/autostart.ts';
import { tempDir } from '../helpers/tmp.ts';
import { writeFile } from '../helpers/workspace.ts';

const linux = (home: string, vars: Record<string, string> = {}): Environment => ({ platform: 'linux', home, vars });

/** How a desktop reads an Exec= value: the file's string escapes, then quoted arguments, then %%. */
function execArguments(line: string): string[] {
  const value = line.replace(/\\([\\nstr])/g, (_m, c: string) => ({ '\\': '\\', n: '\n', s: ' ', t: '\t', r: '\r' })[c] ?? c);
  const args: string[] = [];
  let arg: string | undefined;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (quoted && c === '\\') {
      i += 1;
      arg = (arg ?? '') + (value[i] ?? '');
    } else if (c === '"') {
      quoted = !quoted;
      arg ??= '';
    } else if (c === ' ' && !quoted) {
      if (arg !== undefined) args.push(arg);
      arg = undefined;
    } else {
      arg = (arg ?? '') + c;
    }
  }
  if (arg !== undefined) args.push(arg);
  return args.map((a) => a.replaceAll('%%', '%'));
}

const execLine = (entry: string) => /^Exec=(.*)$/m.exec(entry)?.[1] ?? '';

describe('the XDG autostart entry (launch at login on Linux)', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart (a relative XDG_CONFIG_HOME is ignored, as the spec says)', () => {
    expect(autostartFile(linux('/home/a', { XDG_CONFIG_HOME: '/cfg' }))).toBe('/cfg/autostart/codexsync.desktop');
    expect(autostartFile(linux('/home/a', { XDG_CONFIG_HOME: 'cfg' }))).toBe('/home/a/.config/autostart/codexsync.desktop');
    expect(autostartFile(linux('/home/a', { XDG_CONFIG_HOME: '' }))).toBe('/home/a/.config/autostart/codexsync.desktop');
    expect(autostartFile(linux('/home/a'))).toBe('/home/a/.config/autostart/codexsync.desktop');
  });

  it('quotes the Exec line as the Desktop Entry Specification asks: "\\\\$" for a dollar, "\\\\\\\\" for a backslash, %% for a percent', () => {
    const app = '/opt/My $App/50% "x"\\b';
    expect(autostartEntry(app)).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=codexSync',
        'Comment=Hand off Codex between your machines',
        String.raw`Exec="/opt/My \\$App/50%% \\"x\\"\\\\b" --background`,
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
    expect(execLine(autostartEntry('/usr/lib/codexsync/codexsync'))).toBe('/usr/lib/codexsync/codexsync --background');
    for (const path of [app, "/home/a/it's here/app", '/a\tb/c\nd', '/x/`y`;|&<>~*?#()/app', '/ünï/cödé']) {
      expect(execArguments(execLine(autostartEntry(path))), path).toEqual([path, '--background']);
    }
  });

  it('is written when switched on and removed when switched off; each time read back from the file', async () => {
    const xdg = tempDir();
    const env = linux(tempDir(), { XDG_CONFIG_HOME: xdg, XDG_CONFIG_DIRS: join(xdg, 'system') });
    expect(await isAutostartEnabled(env)).toBe(false);
    await setAutostart(env, true, '/opt/codex Sync/codexsync');
    expect(readFileSync(join(xdg, 'autostart', 'codexsync.desktop'), 'utf8')).toBe(autostartEntry('/opt/codex Sync/codexsync'));
    expect(await isAutostartEnabled(env)).toBe(true);
    await setAutostart(env, false, '/opt/codex Sync/codexsync');
    expect(existsSync(join(xdg, 'autostart', 'codexsync.desktop'))).toBe(false);
    expect(await isAutostartEnabled(env)).toBe(false);
  });

  it('a system-wide entry (XDG_CONFIG_DIRS) is switched off by a user entry with Hidden=true, and on again by a full one', async () => {
    const xdg = tempDir();
    const system = tempDir();
    const env = linux(tempDir(), { XDG_CONFIG_HOME: xdg, XDG_CONFIG_DIRS: `relative:${system}` });
    writeFile(system, 'autostart/codexsync.desktop', autostartEntry('/usr/bin/codexsync'));
    expect(await isAutostartEnabled(env)).toBe(true);
    await setAutostart(env, false, '/usr/bin/codexsync');
    expect(readFileSync(join(xdg, 'autostart', 'codexsync.desktop'), 'utf8')).toBe('[Desktop Entry]\nType=Application\nName=codexSync\nHidden=true\nX-GNOME-Autostart-enabled=false\n');
    expect(hiddenAutostartEntry()).toContain('\nHidden=true\n');
    expect(await isAutostartEnabled(env)).toBe(false);
    await setAutostart(env, true, '/usr/bin/codexsync');
    expect(readFileSync(join(xdg, 'autostart', 'codexsync.desktop'), 'utf8')).toBe(autostartEntry('/usr/bin/codexsync'));
    expect(await isAutostartEnabled(env)).toBe(true);
  });
});
