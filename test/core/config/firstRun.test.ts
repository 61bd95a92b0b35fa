import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexHomeFacts, renderTemplate, suggestedMachineId, writeFirstConfig } from '../../../src/core/config/index.ts';
import { CodexSyncError, type Problem } from '../../../src/core/errors.ts';
import type { Environment } from '../../../src/core/platform.ts';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';

const now = new Date('2026-11-25T09:30:00Z');

function machine(vars: Record<string, string> = {}): { dir: string; home: string; env: Environment; file: string } {
  const dir = tempDir();
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  return { dir, home, env: { platform: 'linux', home, vars }, file: join(home, '.config', 'codexsync', 'config.toml') };
}

async function refusal(work: Promise<unknown>): Promise<{ exitCode: number; problem: Problem }> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CodexSyncError)) throw new Error(`expected a CodexSyncError, got ${String(error)}`);
  return { exitCode: error.exitCode, problem: error.problem };
}

describe('the Codex home a first run finds', () => {
  it('is ~/.codex by default, and says whether it exists and holds threads', async () => {
    const { home, env } = machine();
    expect(await codexHomeFacts(env)).toEqual({ path: join(home, '.codex'), fromEnv: false, exists: false, holdsSessions: false });
    mkdirSync(join(home, '.codex', 'sessions'), { recursive: true });
    expect(await codexHomeFacts(env)).toEqual({ path: join(home, '.codex'), fromEnv: false, exists: true, holdsSessions: false });
    mkdirSync(join(home, '.codex', 'sessions', '2026'));
    expect(await codexHomeFacts(env)).toEqual({ path: join(home, '.codex'), fromEnv: false, exists: true, holdsSessions: true });
  });

  it('is $CODEX_HOME when it is set', async () => {
    const { dir, env } = machine();
    const codexHome = join(dir, 'codex-home');
    mkdirSync(codexHome);
    expect(await codexHomeFacts({ ...env, vars: { CODEX_HOME: codexHome } })).toEqual({ path: codexHome, fromEnv: true, exists: true, holdsSessions: false });
  });
});

describe('the machine name a first run suggests', () => {
  it('is the host name, lowercase, cut at its first dot, with only the characters config.toml accepts', () => {
    expect(suggestedMachineId('Alices-MacBook-Pro.local')).toBe('alices-macbook-pro');
    expect(suggestedMachineId('DESK 42 (home)')).toBe('desk-42-home');
    expect(suggestedMachineId('_Büro_PC')).toBe('b-ro_pc');
    expect(suggestedMachineId('')).toBe('machine');
    expect(suggestedMachineId('---')).toBe('machine');
    expect(suggestedMachineId('x'.repeat(80))).toBe('x'.repeat(64));
  });
});

describe('the config a first run writes', () => {
  it('is the template with the chosen machine and workspace, and `codexsync validate` accepts it', async () => {
    const { dir, home, env, file } = machine();
    mkdirSync(join(home, 'Dropbox'));
    const written = await writeFirstConfig(file, { cloudFolder: join(home, 'Dropbox'), machineId: ' laptop ' }, { env, now });
    expect(written).toEqual({ file, workspace: join(home, 'Dropbox', 'codexSync') });
    expect(readFileSync(file, 'utf8')).toBe(renderTemplate('laptop'));
    // The probe left nothing behind, and the workspace is made by the first hand-off, not here.
    expect(readdirSync(join(home, 'Dropbox'))).toEqual([]);

    const elsewhere = join(dir, 'mnt', 'Google Drive');
    mkdirSync(elsewhere, { recursive: true });
    const other = join(dir, 'other.toml');
    await writeFirstConfig(other, { cloudFolder: elsewhere, machineId: 'desk' }, { env, now });
    expect(readFileSync(other, 'utf8')).toBe(renderTemplate('desk').replace('workspace_root_dir = "~/Dropbox/codexSync"', `workspace_root_dir = "${elsewhere}/codexSync"`));

    const result = await runCli(['-c', file, 'validate'], { cwd: dir, env: { HOME: home, CODEX_HOME: undefined, XDG_STATE_HOME: undefined, XDG_CONFIG_HOME: undefined } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses an empty or impossible machine name, writing nothing', async () => {
    const { home, env, file } = machine();
    mkdirSync(join(home, 'Sync'));
    expect(await refusal(writeFirstConfig(file, { cloudFolder: join(home, 'Sync'), machineId: '  ' }, { env, now }))).toEqual({ exitCode: 4, problem: { code: 'setup-machine-id', value: '  ' } });
    expect(await refusal(writeFirstConfig(file, { cloudFolder: join(home, 'Sync'), machineId: 'my laptop' }, { env, now }))).toEqual({
      exitCode: 4,
      problem: { code: 'setup-machine-id', value: 'my laptop' },
    });
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a cloud folder inside the Codex home, and a Codex home inside the cloud folder, writing nothing', async () => {
    const { home, env, file } = machine();
    const codexHome = join(home, '.codex');
    mkdirSync(join(codexHome, 'Sync'), { recursive: true });
    expect(await refusal(writeFirstConfig(file, { cloudFolder: join(codexHome, 'Sync'), machineId: 'laptop' }, { env, now }))).toEqual({
      exitCode: 4,
      problem: { code: 'setup-nested', cloudFolder: join(codexHome, 'Sync'), codexHome, inside: 'cloud-in-home' },
    });
    expect(await refusal(writeFirstConfig(file, { cloudFolder: home, machineId: 'laptop' }, { env, now }))).toEqual({
      exitCode: 4,
      problem: { code: 'setup-nested', cloudFolder: home, codexHome, inside: 'home-in-cloud' },
    });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(codexHome, 'Sync'))).toEqual([]);
  });

  it('refuses a folder that is missing, not a folder, or cannot be written in, writing nothing', async () => {
    const { home, env, file } = machine();
    writeFileSync(join(home, 'Dropbox'), 'a file');
    expect((await refusal(writeFirstConfig(file, { cloudFolder: join(home, 'gone'), machineId: 'laptop' }, { env, now }))).problem).toEqual({
      code: 'setup-unwritable',
      folder: join(home, 'gone'),
      why: 'missing',
    });
    expect((await refusal(writeFirstConfig(file, { cloudFolder: '', machineId: 'laptop' }, { env, now }))).problem).toMatchObject({ code: 'setup-unwritable', why: 'missing' });
    expect((await refusal(writeFirstConfig(file, { cloudFolder: join(home, 'Dropbox'), machineId: 'laptop' }, { env, now }))).problem).toEqual({
      code: 'setup-unwritable',
      folder: join(home, 'Dropbox'),
      why: 'not-a-folder',
    });
    // /proc takes no new file from anyone, root included: a folder this machine cannot write in.
    expect((await refusal(writeFirstConfig(file, { cloudFolder: '/proc', machineId: 'laptop' }, { env, now }))).problem).toEqual({ code: 'setup-unwritable', folder: '/proc', why: 'refused' });
    expect(existsSync(file)).toBe(false);
  });

  it('never replaces a config that is there already', async () => {
    const { home, env, file } = machine();
    mkdirSync(join(home, 'Sync'));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '# mine\n');
    expect(await refusal(writeFirstConfig(file, { cloudFolder: join(home, 'Sync'), machineId: 'laptop' }, { env, now }))).toEqual({
      exitCode: 4,
      problem: { code: 'setup-config-exists', path: file },
    });
    expect(readFileSync(file, 'utf8')).toBe('# mine\n');
  });
});
