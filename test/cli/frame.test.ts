import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/core/config/template.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

/** A folder with a valid config.toml whose paths all point inside it. */
function workspace(extra = ''): { dir: string; config: string } {
  const dir = tempDir();
  mkdirSync(join(dir, 'codex-home'));
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    `[identity]\nmachine_id = "box"\n[paths]\nworkspace_root_dir = "ws"\nlocal_state_dir = "${join(dir, 'codex-home')}"\ncloud_root_dir = "\${workspace_root}/sync"\nbackup_dir = "\${workspace_root}/backups"\ntemp_dir = "\${workspace_root}/.tmp"\n[state]\nlocal_dir = "${join(dir, 'state')}"\n${extra}`,
  );
  return { dir, config };
}

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('argument errors exit 4 with a one-line message', () => {
  const cases: Array<[string[], string]> = [
    [[], "codexsync: no command given. Run 'codexsync -h' for usage.\n"],
    [['frobnicate'], "codexsync: unknown command 'frobnicate' (commands: init-config, validate, doctor, preflight, plan, sync, restore). Run 'codexsync -h' for usage.\n"],
    [['plan', '--fast'], "codexsync: unknown option '--fast'. Run 'codexsync -h' for usage.\n"],
    [['-c'], "codexsync: option '-c' needs a value. Run 'codexsync -h' for usage.\n"],
    [['sync', '--dry-run', '--apply'], "codexsync: '--dry-run' and '--apply' exclude each other. Run 'codexsync -h' for usage.\n"],
    [
      ['--manual-terminate-confirmation', '--auto-terminate-without-confirmation', 'sync'],
      "codexsync: '--manual-terminate-confirmation' and '--auto-terminate-without-confirmation' exclude each other. Run 'codexsync -h' for usage.\n",
    ],
    [['validate', '--json'], "codexsync: option '--json' does not apply to 'validate'. Run 'codexsync -h' for usage.\n"],
    [['restore', '--target', 'nas'], "codexsync: --target must be 'local' or 'cloud', not 'nas'. Run 'codexsync -h' for usage.\n"],
    [['plan', 'extra'], "codexsync: unexpected argument 'extra' for 'plan'. Run 'codexsync -h' for usage.\n"],
    [['--verbose=yes', 'plan'], "codexsync: option '--verbose' takes no value. Run 'codexsync -h' for usage.\n"],
  ];
  it.each(cases)('%j', async (args, stderr) => {
    const result = await runCli(args, { cwd: tempDir() });
    expect(result).toEqual({ code: 4, stdout: '', stderr });
  });
});

describe('help and version', () => {
  it('-h lists every command and the exit codes, exit 0', async () => {
    const result = await runCli(['-h'], { cwd: tempDir() });
    expect(result.code).toBe(0);
    for (const command of ['init-config', 'validate', 'doctor', 'preflight', 'plan', 'sync', 'restore']) {
      expect(result.stdout).toContain(`  ${command} `);
    }
    expect(result.stdout).toContain('0 success, 1 runtime error, 2 conflict, 3 Codex is running, 4 invalid config or arguments, 5 safe abort');
  });
  it('<command> -h shows that command', async () => {
    const result = await runCli(['sync', '-h'], { cwd: tempDir() });
    expect(result.stdout.split('\n')[0]).toBe('usage: codexsync -c CONFIG [-v] sync [--dry-run | --apply] [--force] [--merge-conflict-copies] [--json]');
  });
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { cwd: tempDir() })).toEqual({ code: 0, stdout: `codexsync ${pkg.version}\n`, stderr: '' });
  });
});

describe('init-config', () => {
  it('writes the commented template to --output, creating folders', async () => {
    const dir = tempDir();
    const target = join(dir, 'nested', 'config.toml');
    const result = await runCli(['init-config', '--output', target], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`Wrote ${target}`);
    const written = readFileSync(target, 'utf8');
    expect(written.replace(/^machine_id = ".*"$/m, 'machine_id = "x"')).toBe(renderTemplate('x'));
    expect(listTree(join(dir, 'nested'))).toEqual(['config.toml']);
  });

  it('defaults to ./config.toml', async () => {
    const dir = tempDir();
    expect((await runCli(['init-config'], { cwd: dir })).code).toBe(0);
    expect(statSync(join(dir, 'config.toml')).isFile()).toBe(true);
  });

  it('refuses to replace a file without --force (exit 4, file unchanged), replaces it with --force', async () => {
    const dir = tempDir();
    const target = join(dir, 'config.toml');
    writeFileSync(target, 'my settings\n');
    const refused = await runCli(['init-config', '--output', target], { cwd: dir });
    expect(refused).toEqual({ code: 4, stdout: '', stderr: `codexsync: ${target} already exists: pass --force to replace it\n` });
    expect(readFileSync(target, 'utf8')).toBe('my settings\n');
    const forced = await runCli(['init-config', '--output', target, '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain('[identity]');
    expect(listTree(dir)).toEqual(['config.toml']);
  });
});

describe('validate', () => {
  it('prints "Config is valid." and writes nothing, exit 0', async () => {
    const { dir, config } = workspace();
    const before = listTree(dir);
    const result = await runCli(['-c', config, 'validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n').pop()).toBe('Config is valid.');
    expect(result.stdout).toContain(`Base state (this machine only): ${join(dir, 'state')}/base-`);
    expect(listTree(dir)).toEqual(before);
  });

  it('reports every problem, exit 4, no stack trace', async () => {
    const { dir, config } = workspace('[sync]\ndry_run_default = "false"\ncompare = "fast"\n');
    const result = await runCli(['-c', config, 'validate'], { cwd: dir });
    expect(result).toEqual({
      code: 4,
      stderr: '',
      stdout: [
        `Config ${config} is invalid (2 problems):`,
        '  config.toml: sync.compare = "fast": must be one of "mtime", "mtime_hash_fallback"',
        '  config.toml: sync.dry_run_default = "false": must be a boolean (true or false, without quotes)',
        '',
      ].join('\n'),
    });
  });

  it('shows the Codex program codex.binary names, and stops with exit 4 when it cannot be run', async () => {
    const good = workspace();
    const program = join(good.dir, 'bin', 'codex');
    mkdirSync(join(good.dir, 'bin'));
    writeFileSync(program, '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(good.config, `${readFileSync(good.config, 'utf8')}[codex]\nbinary = "${program}"\n`);
    const shown = await runCli(['-c', good.config, 'validate'], { cwd: good.dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`\nCodex program:     ${program} (codex.binary)\n`);

    const bad = workspace(`[codex]\nbinary = "${join(good.dir, 'bin')}"\n`);
    const refused = await runCli(['-c', bad.config, 'validate'], { cwd: bad.dir });
    expect(refused.code).toBe(4);
    expect(
      refused.stdout.endsWith(
        `Config ${bad.config} is invalid (1 problem):\n  config.toml: codex.binary = "${join(good.dir, 'bin')}": is not a file: set the path of the codex program, or remove the key to use codex on PATH\n`,
      ),
    ).toBe(true);
  });

  it('a TOML syntax error is one line with line and column, exit 4', async () => {
    const { dir, config } = workspace('[logging\nlevel = "INFO"\n');
    const result = await runCli(['-c', config, 'validate'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe(`Config ${config} is invalid (1 problem):\n  config.toml:11:9: TOML syntax error: illegal character in key\n`);
    expect(result.stdout + result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('warns about unknown keys by name and still passes', async () => {
    const { dir, config } = workspace('[sync]\nturbo = true\n');
    const result = await runCli(['-c', config, 'validate'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe("warning: config.toml: unknown key 'sync.turbo' is ignored");
  });

  it('a missing config file is exit 4 and says how to create one', async () => {
    const dir = tempDir();
    const result = await runCli(['-c', 'nope.toml', 'validate'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stdout).toContain(`config file not found: ${join(dir, 'nope.toml')}: create one with 'codexsync init-config --output "${join(dir, 'nope.toml')}"' or pass -c`);
  });

  it('finds the config through CODEXSYNC_CONFIG, then ./config.toml', async () => {
    const { dir, config } = workspace();
    const elsewhere = tempDir();
    expect((await runCli(['validate'], { cwd: elsewhere, env: { CODEXSYNC_CONFIG: config } })).code).toBe(0);
    expect((await runCli(['validate'], { cwd: dir, env: { CODEXSYNC_CONFIG: undefined } })).code).toBe(0);
  });
});
