import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile } from '../helpers/workspace.ts';

const dir = fileURLToPath(new URL('../../scripts/scheduler/macos/', import.meta.url));
const scripts = readdirSync(dir).filter((name) => name.endsWith('.sh'));

describe('macOS launchd scripts', () => {
  it.each(scripts)('%s passes bash -n and shellcheck', (name) => {
    expect(spawnSync('bash', ['-n', join(dir, name)]).status).toBe(0);
    const lint = spawnSync('shellcheck', ['-x', name], { cwd: dir, encoding: 'utf8' });
    expect(lint.error, 'shellcheck must be installed (.ci/run installs it)').toBeUndefined();
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });

  function run(env: Record<string, string>): { code: number | null; log: string } {
    const log = join(tempDir(), 'scheduler.log');
    const result = spawnSync('bash', [join(dir, 'run-codexsync.sh')], { env: { ...process.env, CODEXSYNC_BIN: cliPath, LOG_FILE: log, ...env }, encoding: 'utf8' });
    let text: string;
    try {
      text = readFileSync(log, 'utf8');
    } catch {
      text = result.stderr;
    }
    return { code: result.status, log: text };
  }

  it('run-codexsync.sh runs a dry run, logs it and passes exit 0 through', () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    const { code, log } = run({ CODEXSYNC_CONFIG: ws.config, MODE: 'dry-run' });
    expect(code).toBe(0);
    expect(log).toMatch(/^=== \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ codexsync sync --dry-run\n/);
    expect(log).toContain('Dry run: nothing was written.');
    expect(log.trimEnd().split('\n').pop()).toBe('=== exit code 0');
  });

  it('passes other exit codes through (4: a config that does not load)', () => {
    const { code, log } = run({ CODEXSYNC_CONFIG: join(tempDir(), 'missing.toml'), MODE: 'apply' });
    expect(code).toBe(4);
    expect(log.trimEnd().split('\n').pop()).toBe('=== exit code 4');
  });

  it('refuses a MODE other than dry-run or apply with exit 4', () => {
    expect(run({ CODEXSYNC_CONFIG: 'x', MODE: 'sometimes' }).code).toBe(4);
  });

  it('install-launchd.sh builds a per-user property list with escaped values', () => {
    const result = spawnSync('bash', [join(dir, 'install-launchd.sh')], {
      env: { ...process.env, PRINT_ONLY: '1', CODEXSYNC_CONFIG: '/Users/me/R&D <x>/config.toml', INTERVAL_MINUTES: '15', MODE: 'apply' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const user = spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
    expect(result.stdout).toContain(`<key>Label</key><string>app.codexsync.sync.${user}</string>`);
    expect(result.stdout).toContain('<key>CODEXSYNC_CONFIG</key><string>/Users/me/R&amp;D &lt;x&gt;/config.toml</string>');
    expect(result.stdout).toContain('<key>StartInterval</key><integer>900</integer>');
    expect(result.stdout).toContain('<key>MODE</key><string>apply</string>');
  });
});
