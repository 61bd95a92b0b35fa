import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { renderTemplate, suggestedMachineId } from '../src/core/config/index.ts';
import type { Environment } from '../src/core/platform.ts';
import { runCli } from '../test/helpers/cli.ts';
import { tempDir } from '../test/helpers/tmp.ts';
import { writeFile } from '../test/helpers/workspace.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { fitsWidth } from './support/page.ts';
import { read } from './support/machines.ts';

// The first run: no config.toml yet, a home folder of its own (temp), and the setup window.

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** A machine with Codex used on it and no codexSync config; `folders` are made under its home. */
function newMachine(folders: string[] = []): { dir: string; home: string; codexHome: string; configFile: string; env: Environment } {
  const dir = tempDir('codexsync-e2e');
  const home = join(dir, 'home');
  const codexHome = join(home, '.codex');
  writeFile(codexHome, 'history.jsonl', '{"ts":1700000000,"text":"first prompt"}\n');
  writeFile(codexHome, 'skills/review/SKILL.md', 'Review the diff.\n');
  writeFile(codexHome, 'sessions/2026/11/25/rollout-2026-11-25T09-00-00-a.jsonl', '{"timestamp":"2026-11-25T09:00:00Z","type":"session_meta"}\n');
  writeFile(codexHome, 'auth.json', '{"token":"secret"}\n');
  for (const folder of folders) mkdirSync(join(home, folder), { recursive: true });
  // No Codex on PATH and no Codex process: the hand-off runs as on a machine where Codex is closed.
  return { dir, home, codexHome, configFile: join(home, '.config', 'codexsync', 'config.toml'), env: { platform: 'linux', home, vars: { PATH: '/usr/bin:/bin' } } };
}

const noProcesses = { list: async () => [] };

async function validate(machine: { dir: string; home: string; configFile: string }): Promise<{ code: number | null; stderr: string }> {
  const result = await runCli(['-c', machine.configFile, 'validate'], { cwd: machine.dir, env: { HOME: machine.home, CODEX_HOME: undefined, XDG_CONFIG_HOME: undefined, XDG_STATE_HOME: undefined } });
  return { code: result.code, stderr: result.stderr };
}

describe('first run', () => {
  it('finds the one cloud folder, writes the template with it, checks the setup, and hands off: five clicks from install', async () => {
    const machine = newMachine(['Dropbox', 'Documents']);
    host = await startHost({ configFile: machine.configFile, env: machine.env, processes: noProcesses });
    let clicks = 1; // starting the app: with no config it opens the setup window itself
    const click = async (target: Locator): Promise<void> => {
      clicks += 1;
      await target.click();
    };
    const { page, context, errors } = await openWindow(`${host.url}/#/setup`);

    await page.getByRole('heading', { name: 'Set up codexSync' }).waitFor();
    expect(await page.title()).toBe('codexSync: set up codexsync');
    await page.getByText(`${machine.codexHome}: holds Codex threads.`).waitFor();
    const folders = page.getByRole('radiogroup', { name: 'Cloud folder' }).getByRole('radio');
    expect(await folders.count()).toBe(1);
    expect(await page.getByRole('radio', { name: `Dropbox ${join(machine.home, 'Dropbox')}` }).isChecked()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Machine name' }).inputValue()).toBe(suggestedMachineId(hostname()));
    expect(await page.getByRole('group', { name: 'What travels' }).getByRole('listitem').allTextContents()).toEqual([
      'sessions: one rollout file per thread',
      'archived_sessions: archived threads',
      'history.jsonl: prompt history, merged line by line',
      'session_index.jsonl: thread index, merged line by line',
      "skills: user skills (skills/.system is Codex's own)",
    ]);
    expect(await page.getByRole('group', { name: 'What never leaves this machine' }).getByRole('listitem').allTextContents()).toEqual([
      'auth.json: credentials',
      'state_*.sqlite: Codex database, open by its daemon; never copied as a file',
      'config.toml: settings with machine-specific paths inside',
    ]);
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'setup-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'setup-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(existsSync(machine.configFile)).toBe(false);

    await click(page.getByRole('button', { name: 'Write config.toml' }));
    await page.getByText('codexSync is set up').waitFor();
    // The written file is the template with this machine's name and the Dropbox workspace, byte for byte.
    expect(readFileSync(machine.configFile, 'utf8')).toBe(renderTemplate(suggestedMachineId(hostname())));
    expect(await validate(machine)).toEqual({ code: 0, stderr: '' });
    // Then doctor's checks, in words.
    const checks = page.getByRole('region', { name: /Setup check: \d+ passed, \d+ warnings, 0 failed/ });
    await checks.waitFor();
    expect(await checks.getByRole('listitem').count()).toBeGreaterThan(3);
    await screenshot(page, 'setup-checked-light');

    await click(page.getByRole('button', { name: 'Make the first hand-off' }));
    await page.getByRole('heading', { name: 'Plan review' }).waitFor();
    await click(page.getByRole('button', { name: 'Apply' }));
    await page.getByText('Nothing to hand off').waitFor();
    // Start, write, hand off, apply: within the five the issue allows.
    expect(clicks).toBe(4);

    const cloud = join(machine.home, 'Dropbox', 'codexSync', 'sync');
    expect(read(cloud, 'history.jsonl')).toBe('{"ts":1700000000,"text":"first prompt"}\n');
    expect(read(cloud, 'skills/review/SKILL.md')).toBe('Review the diff.\n');
    expect(existsSync(join(cloud, 'auth.json'))).toBe(false);
    expect(existsSync(join(cloud, '.codexsync', 'handoff-' + suggestedMachineId(hostname()) + '.json'))).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('at 200% zoom everything fits the window', async () => {
    const machine = newMachine(['Dropbox', 'OneDrive - Contoso Ltd', 'Sync']);
    host = await startHost({ configFile: machine.configFile, env: machine.env, processes: noProcesses });
    const { page, context, errors } = await openWindow(`${host.url}/#/setup`, { zoom: 2 });
    await page.getByRole('radiogroup', { name: 'Cloud folder' }).waitFor();
    expect(await page.getByRole('radio').count()).toBe(3);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'setup-zoom200');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('with no cloud folder found, offers the folder picker and writes the folder picked', async () => {
    const machine = newMachine();
    const picked = join(machine.dir, 'mnt', 'nextcloud');
    mkdirSync(picked, { recursive: true });
    host = await startHost({ configFile: machine.configFile, env: machine.env, processes: noProcesses });
    const { page, context, errors } = await openWindow(`${host.url}/#/setup`);
    await page.getByText('No cloud folder was found on this machine').waitFor();
    expect(await page.getByRole('radio').count()).toBe(0);

    // Cancelling the picker chooses nothing.
    await page.getByRole('button', { name: 'Choose another folder…' }).click();
    await expect.poll(() => host?.folderPicker.asked).toBe(1);
    expect(await page.getByRole('radio').count()).toBe(0);

    host.folderPicker.path = picked;
    await page.getByRole('button', { name: 'Choose another folder…' }).click();
    expect(await page.getByRole('radio', { name: `Chosen folder ${picked}` }).isChecked()).toBe(true);
    await page.getByText(`codexSync keeps its files in ${picked}/codexSync.`).waitFor();
    await page.getByRole('textbox', { name: 'Machine name' }).fill('laptop');
    await page.getByRole('button', { name: 'Write config.toml' }).click();
    await page.getByText('codexSync is set up').waitFor();
    expect(readFileSync(machine.configFile, 'utf8')).toBe(renderTemplate('laptop').replace('workspace_root_dir = "~/Dropbox/codexSync"', `workspace_root_dir = "${picked}/codexSync"`));
    expect(await validate(machine)).toEqual({ code: 0, stderr: '' });
    await page.getByRole('region', { name: /Setup check:/ }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refuses a folder inside the Codex home, one it cannot write in, and an empty name, in one line each, writing nothing', async () => {
    const machine = newMachine(['Dropbox']);
    mkdirSync(join(machine.codexHome, 'cloud'));
    host = await startHost({ configFile: machine.configFile, env: machine.env, processes: noProcesses });
    const { page, context, errors } = await openWindow(`${host.url}/#/setup`);
    const alert = page.getByRole('alert');

    host.folderPicker.path = join(machine.codexHome, 'cloud');
    await page.getByRole('button', { name: 'Choose another folder…' }).click();
    await page.getByRole('button', { name: 'Write config.toml' }).click();
    await expect
      .poll(() => alert.textContent())
      .toBe(`the cloud folder ${join(machine.codexHome, 'cloud')} is inside the Codex home ${machine.codexHome}: choose a folder outside it; nothing was written`);
    await screenshot(page, 'setup-invalid-light');

    host.folderPicker.path = '/proc';
    await page.getByRole('button', { name: 'Choose another folder…' }).click();
    await page.getByRole('button', { name: 'Write config.toml' }).click();
    await expect.poll(() => alert.textContent()).toBe('/proc cannot be written in: choose another cloud folder; nothing was written');

    await page.getByRole('radio', { name: /^Dropbox/ }).check();
    await page.getByRole('textbox', { name: 'Machine name' }).fill('');
    await page.getByRole('button', { name: 'Write config.toml' }).click();
    await expect.poll(() => alert.textContent()).toBe('give this machine a name: nothing was written');

    expect(existsSync(machine.configFile)).toBe(false);
    expect(readdirSync(join(machine.home, 'Dropbox'))).toEqual([]);
    expect(readdirSync(join(machine.codexHome, 'cloud'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
