import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
