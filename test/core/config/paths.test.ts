import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettings } from '../../../src/core/config/check.ts';
import { loadConfig, validateConfig } from '../../../src/core/config/load.ts';
import { parseSettings } from '../../../src/core/config/parse.ts';
import { resolvePaths } from '../../../src/core/config/paths.ts';
import type { Settings } from '../../../src/core/config/schema.ts';
import { CodexSyncError } from '../../../src/core/errors.ts';
import type { Environment } from '../../../src/core/platform.ts';
import { tempDir } from '../../helpers/tmp.ts';

function settings(text: string): Settings {
  const result = parseSettings(text, '/cfg/config.toml');
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.value.settings;
}

const linux = (home: string, vars: Record<string, string> = {}): Environment => ({ platform: 'linux', home, vars });

describe('path resolution', () => {
  it('substitutes ${workspace_root} and resolves relative paths against workspace_root_dir', () => {
    const s = settings(`[paths]\nworkspace_root_dir = "/cloud/codexSync"\ncloud_root_dir = "\${workspace_root}/sync"\nbackup_dir = "backups"\ntemp_dir = "/var/tmp/cs"\n`);
    const p = resolvePaths(s, '/cfg/config.toml', linux('/home/u'));
    expect(p.workspaceRoot).toBe('/cloud/codexSync');
    expect(p.cloudRoot).toBe('/cloud/codexSync/sync');
    expect(p.backupDir).toBe('/cloud/codexSync/backups');
    expect(p.tempDir).toBe('/var/tmp/cs');
    expect(p.logFile).toBe('/cloud/codexSync/logs/codexsync.log');
    expect(p.legacyManifestFile).toBe('/cloud/codexSync/state/manifest.json');
  });

  it("without workspace_root_dir, relative paths and ${workspace_root} mean the config file's folder", () => {
    const s = settings(`[paths]\ncloud_root_dir = "sync"\nbackup_dir = "\${workspace_root}/b"\ntemp_dir = "../t"\n`);
    const p = resolvePaths(s, '/cfg/sub/config.toml', linux('/home/u'));
    expect(p.cloudRoot).toBe('/cfg/sub/sync');
    expect(p.backupDir).toBe('/cfg/sub/b');
    expect(p.tempDir).toBe('/cfg/t');
  });

  it('expands ~ in every path, workspace_root_dir included', () => {
    const s = settings(`[paths]\nworkspace_root_dir = "~/Dropbox/cs"\nlocal_state_dir = "~/.codex"\ncloud_root_dir = "\${workspace_root}/sync"\nbackup_dir = "~/backups"\ntemp_dir = "t"\n`);
    const p = resolvePaths(s, '/cfg/config.toml', linux('/home/u'));
    expect(p.workspaceRoot).toBe('/home/u/Dropbox/cs');
    expect(p.localStateDir).toBe('/home/u/.codex');
    expect(p.localStateSource).toBe('config');
    expect(p.backupDir).toBe('/home/u/backups');
    expect(p.tempDir).toBe('/home/u/Dropbox/cs/t');
  });

  it('the Codex home is $CODEX_HOME, else ~/.codex, when local_state_dir is absent', () => {
    const s = settings(`[paths]\ncloud_root_dir = "s"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    expect(resolvePaths(s, '/cfg/config.toml', linux('/home/u')).localStateDir).toBe('/home/u/.codex');
    const env = linux('/home/u', { CODEX_HOME: '/data/codex' });
    expect(resolvePaths(s, '/cfg/config.toml', env)).toMatchObject({ localStateDir: '/data/codex', localStateSource: 'CODEX_HOME' });
  });

  it('keeps Windows drive paths as written on Linux, and the check names each one', () => {
    const s = settings(
      `[paths]\nworkspace_root_dir = "D:/GDrive/codexSync"\nlocal_state_dir = "C:/Users/USERNAME/.codex"\ncloud_root_dir = "\${workspace_root}/sync"\nbackup_dir = "\${workspace_root}/backups"\ntemp_dir = "\${workspace_root}/.tmp"\n`,
    );
    const env = linux('/home/u', { XDG_STATE_HOME: '/home/u/.local/state' });
    const p = resolvePaths(s, '/cfg/config.toml', env);
    expect(p.cloudRoot).toBe('D:/GDrive/codexSync/sync');
    expect(checkSettings(s, p, env).problems).toEqual([
      'config.toml: paths.local_state_dir = "C:/Users/USERNAME/.codex": is a Windows path, and this machine runs linux: set a path of this machine',
      'config.toml: paths.cloud_root_dir = "D:/GDrive/codexSync/sync": is a Windows path, and this machine runs linux: set a path of this machine',
      'config.toml: paths.backup_dir = "D:/GDrive/codexSync/backups": is a Windows path, and this machine runs linux: set a path of this machine',
      'config.toml: paths.temp_dir = "D:/GDrive/codexSync/.tmp": is a Windows path, and this machine runs linux: set a path of this machine',
      'config.toml: logging.file = "D:/GDrive/codexSync/logs/codexsync.log": is a Windows path, and this machine runs linux: set a path of this machine',
    ]);
  });

  it("puts the base state in this machine's own state folder by default", () => {
    const s = settings(`[paths]\ncloud_root_dir = "s"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    expect(resolvePaths(s, '/cfg/config.toml', linux('/home/u')).baseStateDir).toBe('/home/u/.local/state/codexsync');
    expect(resolvePaths(s, '/cfg/config.toml', { platform: 'macos', home: '/Users/u', vars: {} }).baseStateDir).toBe('/Users/u/Library/Application Support/codexsync/state');
  });
});

describe('checks against the file system', () => {
  function workspace(): { root: string; config: string; home: string } {
    const root = tempDir();
    const home = join(root, 'home');
    mkdirSync(join(home, '.codex'), { recursive: true });
    return { root, config: join(root, 'config.toml'), home };
  }

  it('a configured local_state_dir that does not exist is an error, never a silent fallback to ~/.codex', () => {
    const w = workspace();
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "missing-codex"\ncloud_root_dir = "sync"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    const result = validateConfig(w.config, linux(w.home));
    expect(result.config).toBeUndefined();
    expect(result.problems).toEqual([
      `config.toml: paths.local_state_dir = "${join(w.root, 'missing-codex')}": does not exist: set it to this machine's Codex home (the folder with sessions/ and history.jsonl), or remove the key to use $CODEX_HOME or ~/.codex`,
    ]);
    expect(() => loadConfig(w.config, linux(w.home))).toThrow(CodexSyncError);
    try {
      loadConfig(w.config, linux(w.home));
    } catch (error) {
      expect((error as CodexSyncError).exitCode).toBe(4);
    }
  });

  it('CODEX_HOME naming a missing folder is an error too', () => {
    const w = workspace();
    writeFileSync(w.config, `[paths]\ncloud_root_dir = "sync"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    const result = validateConfig(w.config, linux(w.home, { CODEX_HOME: join(w.root, 'nope') }));
    expect(result.problems).toEqual([`config.toml: CODEX_HOME = "${join(w.root, 'nope')}" does not exist: fix CODEX_HOME or set paths.local_state_dir`]);
  });

  it('refuses a cloud mirror inside the Codex home and backups inside the mirror', () => {
    const w = workspace();
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${w.home}/.codex/mirror"\nbackup_dir = "${w.home}/.codex/mirror/b"\ntemp_dir = "t"\n`);
    const result = validateConfig(w.config, linux(w.home));
    expect(result.problems).toEqual([
      `config.toml: paths.cloud_root_dir = "${w.home}/.codex/mirror": must not be inside the Codex home (${w.home}/.codex): choose a separate folder`,
      `config.toml: paths.backup_dir = "${w.home}/.codex/mirror/b": must not be inside the Codex home (${w.home}/.codex): choose a separate folder`,
      `config.toml: paths.backup_dir = "${w.home}/.codex/mirror/b": must not be inside paths.cloud_root_dir (${w.home}/.codex/mirror): choose a separate folder`,
    ]);
  });

  it('refuses a base state folder inside the synced workspace (0.1.2 defect 1)', () => {
    const w = workspace();
    writeFileSync(
      w.config,
      `[paths]\nworkspace_root_dir = "${w.root}"\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "sync"\nbackup_dir = "b"\ntemp_dir = "t"\n[state]\nlocal_dir = "\${workspace_root}/state"\n`,
    );
    const result = validateConfig(w.config, linux(w.home));
    expect(result.problems).toEqual([`config.toml: state.local_dir = "${w.root}/state": must not be inside the synced workspace (paths.workspace_root_dir) (${w.root}): choose a separate folder`]);
  });

  it('warns when include_roots names credentials, which are never synced', () => {
    const w = workspace();
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "sync"\nbackup_dir = "b"\ntemp_dir = "t"\n[targets]\ninclude_roots = ["sessions", "auth.json"]\n`);
    const result = validateConfig(w.config, linux(w.home));
    expect(result.problems).toEqual([]);
    expect(result.warnings).toContain('config.toml: targets.include_roots names "auth.json", which codexSync never syncs (credentials): it is left out');
  });

  it('refuses include roots that leave the Codex home', () => {
    const w = workspace();
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "sync"\nbackup_dir = "b"\ntemp_dir = "t"\n[targets]\ninclude_roots = ["../secrets"]\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual(['config.toml: targets.include_roots = "../secrets": must be a path inside the Codex home, like "sessions"']);
  });

  it('refuses a log file inside the Codex home or inside the mirror (it would be synced, and the mirror never settles)', () => {
    const w = workspace();
    const base = `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${w.root}/sync"\nbackup_dir = "b"\ntemp_dir = "t"\n`;
    writeFileSync(w.config, `${base}[logging]\nfile = "${w.home}/.codex/log/codexsync.log"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: logging.file = "${w.home}/.codex/log/codexsync.log": must not be inside the Codex home (${w.home}/.codex): choose a separate folder`,
    ]);
    writeFileSync(w.config, `${base}[logging]\nfile = "${w.root}/sync/codexsync.log"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: logging.file = "${w.root}/sync/codexsync.log": must not be inside paths.cloud_root_dir (${w.root}/sync): choose a separate folder`,
    ]);
    writeFileSync(w.config, `${base}[logging]\nfile = "${w.root}/logs/codexsync.log"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([]);
  });

  it('sees through symbolic links: a cloud folder that is a link into the Codex home is refused', () => {
    const w = workspace();
    mkdirSync(join(w.home, '.codex', 'mirror'));
    symlinkSync(join(w.home, '.codex', 'mirror'), join(w.root, 'cloud'));
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${w.root}/cloud"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    const result = validateConfig(w.config, linux(w.home));
    expect(result.config).toBeUndefined();
    expect(result.problems).toEqual([
      `config.toml: paths.cloud_root_dir = "${w.root}/cloud": leads through a symbolic link to ${w.home}/.codex/mirror, inside the Codex home (${w.home}/.codex): choose a separate folder`,
    ]);
  });

  it('sees through a link in the existing part of a path whose end does not exist yet, and through a linked Codex home', () => {
    const w = workspace();
    mkdirSync(join(w.root, 'sync'));
    symlinkSync(join(w.root, 'sync'), join(w.root, 'elsewhere'));
    // The backups would land in the mirror: elsewhere/ is the mirror, and backups/ is made by the first run.
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${w.root}/sync"\nbackup_dir = "${w.root}/elsewhere/backups"\ntemp_dir = "t"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: paths.backup_dir = "${w.root}/elsewhere/backups": leads through a symbolic link to ${w.root}/sync/backups, inside paths.cloud_root_dir (${w.root}/sync): choose a separate folder`,
    ]);
    // A Codex home that is itself a link into the mirror (a dangling link counts: the folder it names is where writes land).
    symlinkSync(join(w.root, 'sync', 'codex-home'), join(w.root, 'codex-link'));
    mkdirSync(join(w.root, 'sync', 'codex-home'));
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.root}/codex-link"\ncloud_root_dir = "${w.root}/sync"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: paths.local_state_dir = "${w.root}/codex-link": leads through a symbolic link to ${w.root}/sync/codex-home, inside paths.cloud_root_dir (${w.root}/sync): choose a separate folder`,
    ]);
  });

  it('follows a dangling link to where it points', () => {
    const w = workspace();
    symlinkSync(join(w.home, '.codex', 'not-yet'), join(w.root, 'cloud'));
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${w.root}/cloud"\nbackup_dir = "b"\ntemp_dir = "t"\n`);
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: paths.cloud_root_dir = "${w.root}/cloud": leads through a symbolic link to ${w.home}/.codex/not-yet, inside the Codex home (${w.home}/.codex): choose a separate folder`,
    ]);
  });

  it('quotes a huge path cut to 80 characters in the middle, and escapes control characters', () => {
    const w = workspace();
    const deep = `${w.home}/.codex/${'d'.repeat(300)}/mirror`;
    writeFileSync(w.config, `[paths]\nlocal_state_dir = "${w.home}/.codex"\ncloud_root_dir = "${deep}"\nbackup_dir = "b"\ntemp_dir = "${w.home}/.codex/t\\u001b[2J"\n`);
    const cut = (value: string): string => `${value.slice(0, 40)}…${value.slice(-39)}`;
    expect(validateConfig(w.config, linux(w.home)).problems).toEqual([
      `config.toml: paths.cloud_root_dir = "${cut(deep)}": must not be inside the Codex home (${w.home}/.codex): choose a separate folder`,
      `config.toml: paths.temp_dir = "${w.home}/.codex/t\\u001b[2J": must not be inside the Codex home (${w.home}/.codex): choose a separate folder`,
    ]);
  });
});
