import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/core/config/load.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { machines } from './support/machines.ts';
import { fitsWidth } from './support/page.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** The workspace's config with the user's own comments in it, as people keep theirs. */
function commentedConfig(file: string): string {
  const text = `# My laptop's codexSync settings: keep these notes.\n${readFileSync(file, 'utf8')}\n[sync]\n# What happens to deleted threads\ndelete_policy = "never"  # keep everything for now\n`;
  writeFileSync(file, text);
  return text;
}

describe('settings', () => {
  it('edits config.toml fields, validates them with the config schema, and saves them keeping the comments', async () => {
    const { laptop } = machines();
    const original = commentedConfig(laptop.config);
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/settings`);
    // Every raw key is under Advanced, shut until asked for.
    await page.getByText('Advanced: every key of config.toml').click();
    const policy = page.getByRole('combobox', { name: 'delete_policy' });
    await policy.waitFor();
    expect(await policy.inputValue()).toBe('never');
    expect(await page.getByText('Deletions: "propagate" (a file deleted on one machine is deleted on the other', { exact: false }).count()).toBe(1);
    await page.getByRole('group', { name: '[sync]' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-advanced-light');

    // A value the schema refuses is named beside its field, and nothing is written.
    const maxBackups = page.getByRole('spinbutton', { name: 'max_backups' });
    await maxBackups.fill('-3');
    await maxBackups.blur();
    // The key is also in the Backups group: its problem shows beside both of its fields.
    const refused = page.getByText('backup.max_backups = -3: must be 0 or more');
    await refused.first().waitFor();
    expect(await refused.count()).toBe(2);
    expect(await maxBackups.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('spinbutton', { name: 'Keep at most' }).getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Save' }).click();
    await refused.first().waitFor();
    expect(readFileSync(laptop.config, 'utf8')).toBe(original);
    await page.emulateMedia({ colorScheme: 'dark' });
    await maxBackups.scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-invalid-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await maxBackups.fill('5');
    await policy.selectOption('propagate');
    await page.getByRole('spinbutton', { name: 'retention_days' }).first().fill('14');
    await page.getByRole('textbox', { name: 'exclude_globs' }).fill('**/*.tmp\n**/cache/**');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Only the changed lines were rewritten; your comments are kept.').waitFor();

    const saved = readFileSync(laptop.config, 'utf8');
    expect(saved).toContain("# My laptop's codexSync settings: keep these notes.\n");
    expect(saved).toContain('# What happens to deleted threads\ndelete_policy = "propagate"  # keep everything for now\n');
    expect(saved).toContain('\n[backup]\nretention_days = 14\nmax_backups = 5\n');
    expect(saved).toContain('\n[filters]\nexclude_globs = [ "**/*.tmp", "**/cache/**" ]\n');
    const settings = loadConfig(laptop.config).settings;
    expect(settings.sync.delete_policy).toBe('propagate');
    expect(settings.backup.retention_days).toBe(14);
    expect(settings.backup.max_backups).toBe(5);
    expect(settings.filters.exclude_globs).toEqual(['**/*.tmp', '**/cache/**']);
    // Saved in place: no backup copy was needed.
    expect(readdirSync(dirname(laptop.config)).filter((name) => name.includes('.bak-'))).toEqual([]);
    expect(await page.getByRole('combobox', { name: 'delete_policy' }).inputValue()).toBe('propagate');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs the setup check and is readable at 200% zoom', async () => {
    const { laptop } = machines();
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/settings`, { zoom: 2 });
    await page.getByRole('button', { name: 'Check setup' }).click();
    const report = page.getByRole('heading', { name: /^Setup check: \d+ passed, \d+ warnings, 0 failed$/ });
    await report.waitFor();
    expect(await page.getByText('codex home', { exact: true }).count()).toBe(1);
    expect(await fitsWidth(page)).toBe(true);
    await page.getByRole('group', { name: 'Conflicts' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'settings-zoom200');
    await context.close();
  });
});

const conflictNotes = '[conflict]\n# Ask me until I trust both clocks.\npolicy = "manual_abort"  # the safe one\nreport_conflicts = true\n';

describe('settings for people', () => {
  it('groups the settings in plain words and saves a plain choice to its key, keeping every other byte', async () => {
    const { dir, laptop } = machines(conflictNotes);
    const original = readFileSync(laptop.config, 'utf8');
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/settings`);
    const groups = ['This machine', 'Cloud folder', 'When to hand off', 'Conflicts', 'Backups'];
    await page.getByRole('group', { name: 'This machine' }).waitFor();
    for (const name of groups) expect(await page.getByRole('group', { name, exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Machine name' }).inputValue()).toBe('laptop');
    expect(await page.getByRole('textbox', { name: 'Codex home' }).inputValue()).toBe(laptop.home);
    expect(await page.getByRole('textbox', { name: 'codexSync folder' }).inputValue()).toBe(join(dir, 'ws'));
    // Advanced is shut: no raw key is in view.
    expect(await page.getByRole('combobox', { name: 'delete_policy' }).count()).toBe(0);

    const whenBoth = page.getByRole('group', { name: 'When both machines changed the same file' });
    expect(await whenBoth.getByRole('radio', { name: /^Ask me/ }).isChecked()).toBe(true);
    expect(await whenBoth.getByText('Stop and show me both copies; nothing changes until I choose. The safe choice.').isVisible()).toBe(true);
    expect(
      await page
        .getByRole('group', { name: 'When the two copies differ but carry the same time' })
        .getByRole('radio', { name: /^Leave both as they are/ })
        .isChecked(),
    ).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^Back up a file before it is replaced/ }).isChecked()).toBe(true);
    expect(await page.getByRole('spinbutton', { name: 'Keep backups for' }).inputValue()).toBe('30');
    expect(await page.getByRole('spinbutton', { name: 'Keep at most' }).inputValue()).toBe('0');
    await screenshot(page, 'settings-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'settings-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A number the schema refuses is named beside the plain field, and nothing is written.
    const days = page.getByRole('spinbutton', { name: 'Keep backups for' });
    await days.fill('-1');
    await days.blur();
    const refused = page.locator('#plain-backup-retention_days-problem');
    await refused.waitFor();
    expect(await refused.textContent()).toBe('backup.retention_days = -1: must be 0 or more');
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    await days.fill('30');

    await whenBoth.getByRole('radio', { name: /^Keep the newer/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Only the changed lines were rewritten; your comments are kept.').waitFor();
    expect(readFileSync(laptop.config, 'utf8')).toBe(original.replace('policy = "manual_abort"  # the safe one', 'policy = "prefer_newer_mtime"  # the safe one'));
    expect(loadConfig(laptop.config).settings.conflict.policy).toBe('prefer_newer_mtime');
    expect(await whenBoth.getByRole('radio', { name: /^Keep the newer/ }).isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('picks the cloud folder with the folder picker, and sets the app’s own choices at once in app.json', async () => {
    const { dir, laptop } = machines();
    const original = readFileSync(laptop.config, 'utf8');
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/settings`);
    const folder = page.getByRole('textbox', { name: 'codexSync folder' });
    await folder.waitFor();

    // Cancelled: nothing changes.
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => host?.folderPicker.asked).toBe(1);
    expect(await folder.inputValue()).toBe(join(dir, 'ws'));
    const picked = join(dir, 'Dropbox', 'codexSync');
    mkdirSync(picked, { recursive: true });
    host.folderPicker.path = picked;
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => folder.inputValue()).toBe(picked);
    await page.getByText('1 change not saved.').waitFor();
    await page.getByRole('button', { name: 'Revert' }).click();
    expect(await folder.inputValue()).toBe(join(dir, 'ws'));

    const onClose = page.getByRole('checkbox', { name: /^Hand off by itself when Codex closes/ });
    expect(await onClose.isChecked()).toBe(false);
    // Saved at once: the box shows the choice as the app now holds it.
    await onClose.click();
    await expect.poll(() => onClose.isChecked()).toBe(true);
    await expect.poll(() => readFileSync(host?.appChoices.file ?? '', 'utf8')).toBe('{\n  "handOffWhenCodexCloses": true\n}\n');
    const login = page.getByRole('checkbox', { name: /^Launch codexSync when I log in/ });
    await login.click();
    await expect.poll(() => login.isChecked()).toBe(true);
    await expect.poll(() => host?.appChoices.launchAtLogin).toBe(true);
    // The app's choices never touch config.toml.
    expect(readFileSync(laptop.config, 'utf8')).toBe(original);
    await page.reload();
    await onClose.waitFor();
    expect(await onClose.isChecked()).toBe(true);
    expect(await login.isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('still edits any key under Advanced, and cuts a long path in the middle with the whole path on hover', async () => {
    const { laptop } = machines();
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/settings`, { zoom: 2 });
    await page.getByRole('group', { name: 'This machine' }).waitFor();
    const file = page.locator('.file-line .path');
    expect(await file.getAttribute('title')).toBe(laptop.config);
    expect(await file.textContent()).toBe(laptop.config);
    expect(await file.getAttribute('data-head')).toBe(`${dirname(laptop.config)}/`);
    expect(await file.getAttribute('data-tail')).toBe(basename(laptop.config));
    expect(await fitsWidth(page)).toBe(true);
    await page.getByText('Advanced: every key of config.toml').click();
    const level = page.getByRole('combobox', { name: 'level' });
    await level.selectOption('DEBUG');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Only the changed lines were rewritten; your comments are kept.').waitFor();
    expect(loadConfig(laptop.config).settings.logging.level).toBe('DEBUG');
    await context.close();
  });
});
