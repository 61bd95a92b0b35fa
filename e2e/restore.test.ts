import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from '../test/helpers/workspace.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { handOff, machines, read } from './support/machines.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('restore picker', () => {
  it("lists this machine's snapshots, previews one and restores it after a confirmation", async () => {
    const { laptop, desktop } = machines();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff, version 1.\n', new Date(Date.now() - 120_000));
    await handOff(laptop);
    await handOff(desktop);
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff, version two.\n', new Date(Date.now() - 60_000));
    await handOff(laptop);
    // The desktop takes version two; version 1 goes into its backup snapshot first.
    await handOff(desktop);
    expect(read(desktop.home, 'skills/review/SKILL.md')).toBe('Review the diff, version two.\n');

    host = await startHost({ configFile: desktop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/restore`);
    const table = page.getByRole('table').first();
    await table.getByRole('radio').first().waitFor();
    const snapshot = readdirSync(desktop.backups).find((name) => name.startsWith('desktop-')) as string;
    expect(await table.getByRole('row').nth(1).textContent()).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}${snapshot}128 Bthis machine$`));
    await page.getByRole('radio', { name: /This machine's Codex home \(1 file\)/ }).waitFor();
    expect(await page.getByRole('radio', { name: /The cloud folder \(0 files\)/ }).isDisabled()).toBe(true);
    const files = page.getByRole('table').nth(1);
    await files.getByRole('row').nth(1).waitFor();
    expect(await files.getByRole('row').nth(1).textContent()).toMatch(/^skills\/review\/SKILL\.md28 B · \d{4}-\d{2}-\d{2} \d{2}:\d{2}30 B · \d{4}-\d{2}-\d{2} \d{2}:\d{2}yes$/);
    await screenshot(page, 'restore-light');

    await page.getByRole('button', { name: 'Restore 1 file…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore from backup?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`Put back 1 file from snapshot ${snapshot} into this machine's Codex home?`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'restore-confirm-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // Escape, or Cancel, leaves everything as it was.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(read(desktop.home, 'skills/review/SKILL.md')).toBe('Review the diff, version two.\n');

    await page.getByRole('button', { name: 'Restore 1 file…' }).click();
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByText(new RegExp(`^Restored 1 file from ${snapshot} into this machine's Codex home; what they replaced is in snapshot desktop-`)).waitFor();
    expect(read(desktop.home, 'skills/review/SKILL.md')).toBe('Review the diff, version 1.\n');
    // What the restore replaced is kept too: a second snapshot of this machine, listed at the top.
    await expect.poll(() => table.getByRole('row').count()).toBe(3);
    expect(readdirSync(desktop.backups).filter((name) => name.startsWith('desktop-'))).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says so when this machine has no backups yet (200% zoom)', async () => {
    const { laptop } = machines();
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/restore`, { zoom: 2 });
    await page.getByText('No backups yet').waitFor();
    await screenshot(page, 'restore-empty-zoom200');
    await context.close();
  });
});
