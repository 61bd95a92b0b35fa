import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const dir = fileURLToPath(new URL('../../scripts/scheduler/linux/', import.meta.url));
const scripts = readdirSync(dir).filter((name) => name.endsWith('.sh'));

/** The only programs the scripts may use besides bash's builtins: a PATH without systemctl. */
const tools = ['bash', 'dirname', 'mkdir', 'mv', 'rm'];

interface Machine {
  xdg: string;
  bin: string;
  codexsync: string;
  config: string;
  /** Where a systemctl stand-in writes each command line it is given. */
  calls: string;
}

/** A temp XDG config folder, a codexsync program and a config.toml at paths that need quoting. */
function machine(): Machine {
  const root = tempDir();
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const tool of tools) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(bin, tool));
  }
  const appDir = join(root, 'My $Apps', '50% cli');
  mkdirSync(appDir, { recursive: true });
  const codexsync = join(appDir, 'codexsync');
  writeFileSync(codexsync, '#!/bin/sh\nexit 0\n');
  chmodSync(codexsync, 0o755);
  return { xdg: join(root, 'xdg'), bin, codexsync, config: join(root, 'R&D "cfg" \\ $HOME 5%', 'config.toml'), calls: join(root, 'systemctl.calls') };
}

/** A systemctl on PATH that records its arguments and exits with `code` (1: no user session). */
function systemctlStandIn(m: Machine, code: number): void {
  const file = join(m.bin, 'systemctl');
  writeFileSync(file, `#!/bin/bash\nprintf '%s\\n' "$*" >>'${m.calls}'\nexit ${code}\n`);
  chmodSync(file, 0o755);
}

function run(m: Machine, script: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(join(m.bin, 'bash'), [join(dir, script)], {
    env: { PATH: m.bin, HOME: join(m.xdg, 'no-home'), XDG_CONFIG_HOME: m.xdg, CODEXSYNC_BIN: m.codexsync, CODEXSYNC_CONFIG: m.config, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const unitDir = (m: Machine) => join(m.xdg, 'systemd', 'user');
const calls = (m: Machine) => (existsSync(m.calls) ? readFileSync(m.calls, 'utf8') : '');

// ExecStart= quoting: the program with `%` doubled; an argument with `\` and `"` as C escapes, `%` and `$` doubled.
const execStart = (m: Machine, flag: string) =>
  `ExecStart="${m.codexsync.replaceAll('%', '%%')}" -c "${m.config.replace(/[\\"]/g, '\\$&').replace(/[%$]/g, '$&$&')}" --manual-terminate-confirmation sync ${flag}`;

function expectedService(m: Machine, flag = '--apply'): string {
  return `# codexSync: one hand-off, started by codexsync-sync.timer. Written by install-systemd.sh.
[Unit]
Description=codexSync: hand off Codex's work through the cloud folder

[Service]
Type=oneshot
# --manual-terminate-confirmation: with nobody there to answer, a run never ends Codex; it exits 3.
${execStart(m, flag)}
# 3 (Codex is running) and 5 (a safe abort: nothing changed, e.g. another run holds the lock)
# are waits, not failures: the next run tries again. 2 (a conflict) needs you, so it shows as failed.
SuccessExitStatus=3 5
Nice=10
IOSchedulingClass=idle
`;
}

const expectedTimer = `# codexSync: runs codexsync-sync.service every 15 minutes. Written by install-systemd.sh.
[Unit]
Description=codexSync: hand off every 15 minutes

[Timer]
OnStartupSec=2min
OnUnitActiveSec=15min
Unit=codexsync-sync.service

[Install]
WantedBy=timers.target
`;

describe('Linux systemd user timer scripts', () => {
  it.each(scripts)('%s passes bash -n and shellcheck', (name) => {
    expect(spawnSync('bash', ['-n', join(dir, name)]).status).toBe(0);
    const lint = spawnSync('shellcheck', ['-x', name], { cwd: dir, encoding: 'utf8' });
    expect(lint.error, 'shellcheck must be installed (.ci/run installs it)').toBeUndefined();
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  it('without systemctl, install writes both units under $XDG_CONFIG_HOME and says how to enable them, exit 0', () => {
    const m = machine();
    const result = run(m, 'install-systemd.sh', { INTERVAL_MINUTES: '15' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `Wrote ${unitDir(m)}/codexsync-sync.service and codexsync-sync.timer (runs 'apply' every 15 minutes).\n` +
        'systemctl was not found, so the timer is not enabled; where systemd runs, enable it with:\n' +
        '  systemctl --user daemon-reload && systemctl --user enable --now codexsync-sync.timer\n',
    );
    expect(readdirSync(unitDir(m)).sort()).toEqual(['codexsync-sync.service', 'codexsync-sync.timer']);
    expect(readFileSync(join(unitDir(m), 'codexsync-sync.service'), 'utf8')).toBe(expectedService(m));
    expect(readFileSync(join(unitDir(m), 'codexsync-sync.timer'), 'utf8')).toBe(expectedTimer);

    const removed = run(m, 'uninstall-systemd.sh');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe(`Removed codexsync-sync.service and codexsync-sync.timer from ${unitDir(m)}\n`);
    expect(readdirSync(unitDir(m))).toEqual([]);
  });

  it("systemd reads the service's ExecStart as the program's own path (systemd-analyze verify)", () => {
    const m = machine();
    expect(run(m, 'install-systemd.sh', { MODE: 'dry-run' }).code).toBe(0);
    const service = join(unitDir(m), 'codexsync-sync.service');
    expect(readFileSync(service, 'utf8')).toContain(`\n${execStart(m, '--dry-run')}\n`);
    // verify fails when ExecStart's program does not exist, so a quoting mistake shows here.
    const verify = spawnSync('systemd-analyze', ['verify', service, join(unitDir(m), 'codexsync-sync.timer')], { encoding: 'utf8' });
    expect(verify.error, 'systemd-analyze must be installed (.ci/run installs systemd)').toBeUndefined();
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('with systemctl, install reloads and enables the timer; uninstall disables it, removes the units and reloads', () => {
    const m = machine();
    systemctlStandIn(m, 0);
    const result = run(m, 'install-systemd.sh');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Installed codexsync-sync.timer: runs 'apply' every 10 minutes; its output is in: journalctl --user -u codexsync-sync.service\n");
    expect(calls(m)).toBe('--user daemon-reload\n--user enable --now codexsync-sync.timer\n');
    expect(readFileSync(join(unitDir(m), 'codexsync-sync.service'), 'utf8')).toBe(expectedService(m));

    const removed = run(m, 'uninstall-systemd.sh');
    expect(removed.code).toBe(0);
    expect(calls(m)).toBe('--user daemon-reload\n--user enable --now codexsync-sync.timer\n--user disable --now codexsync-sync.timer\n--user daemon-reload\n');
    expect(readdirSync(unitDir(m))).toEqual([]);
  });

  it('a systemctl that cannot reach a user session: the units are written, install exits 1 and says so', () => {
    const m = machine();
    systemctlStandIn(m, 1);
    const result = run(m, 'install-systemd.sh');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`install-systemd.sh: the units are written to ${unitDir(m)}, but systemctl --user could not enable codexsync-sync.timer (is a user session running?)\n`);
    expect(readdirSync(unitDir(m)).sort()).toEqual(['codexsync-sync.service', 'codexsync-sync.timer']);
    // Uninstall still removes the files when systemctl fails.
    const removed = run(m, 'uninstall-systemd.sh');
    expect(removed.code).toBe(0);
    expect(removed.stderr).toBe('uninstall-systemd.sh: systemctl --user could not disable codexsync-sync.timer; removing its files anyway\n');
    expect(readdirSync(unitDir(m))).toEqual([]);
  });

  it('refuses a bad MODE, interval or unit name, and a program systemd cannot start, with exit 4, writing nothing', () => {
    const m = machine();
    const refused: Array<Record<string, string>> = [
      { MODE: 'sometimes' },
      { INTERVAL_MINUTES: '0' },
      { INTERVAL_MINUTES: '5m' },
      { UNIT_NAME: 'a/b' },
      { CODEXSYNC_BIN: 'codexsync' },
      { CODEXSYNC_BIN: '/opt/"x"/codexsync' },
    ];
    for (const env of refused) {
      const result = run(m, 'install-systemd.sh', env);
      expect(result.code, JSON.stringify(env)).toBe(4);
      expect(result.stderr).toMatch(/^install-systemd\.sh: /);
    }
    expect(existsSync(unitDir(m))).toBe(false);
  });

  it('PRINT_ONLY=1 prints both units and writes nothing', () => {
    const m = machine();
    const result = run(m, 'install-systemd.sh', { PRINT_ONLY: '1', INTERVAL_MINUTES: '15' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${expectedService(m)}\n${expectedTimer}`);
    expect(existsSync(unitDir(m))).toBe(false);
  });
});
