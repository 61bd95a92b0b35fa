import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { threadHandedOffTwice } from './support/handoffs.ts';
import { read } from './support/machines.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('restore by thread and by time', () => {
  it('picks a thread, lists its versions with their turns, and restores one after a confirmation', async () => {
    const { desktop, path, title, one, two } = await threadHandedOffTwice();
    expect(readFileSync(join(desktop.home, path))).toEqual(two);
    host = await startHost({ configFile: desktop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/restore`);
    await page.getByRole('button', { name: 'By thread' }).click();
    await page.getByRole('radio', { name: new RegExp(title.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).waitFor();
    const versions = page.getByRole('table');
    await versions.getByRole('row').nth(1).waitFor();
    expect(await versions.getByRole('row').count()).toBe(2);
    expect(await versions.getByRole('row').nth(1).textContent()).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}desktop-\\d{8}T\\d{6}Zdesktopthis machine1[\\d.]+ KBRestore…$`));
    await screenshot(page, 'restore-thread-light');

    await versions.getByRole('button', { name: /^Restore the version of / }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this version?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Put back the version of .* \(1 turn\) into this machine\?/);
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByText(/^Restored 1 file from desktop-.* into this machine's Codex home; what they replaced is in snapshot desktop-/).waitFor();
    expect(readFileSync(join(desktop.home, path))).toEqual(one);
    // Only the thread: the skill of that snapshot stays as it is.
    expect(read(desktop.home, 'skills/review/SKILL.md')).toBe('Review the diff, version two.\n');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the plan of everything as it was at a time, then restores it', async () => {
    const { desktop, path, one } = await threadHandedOffTwice();
    host = await startHost({ configFile: desktop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/restore`);
    await page.getByRole('button', { name: 'As it was at a time' }).click();
    await page.getByRole('button', { name: 'Show the plan' }).click();
    await page.locator('table, .banner').first().waitFor();
    await screenshot(page, 'restore-time-light');
    expect(await page.locator('.banner').count()).toBe(0);
    const plan = page.getByRole('table');
    await plan.getByRole('row').nth(2).waitFor();
    expect(await plan.getByRole('row').count()).toBe(3);
    await screenshot(page, 'restore-time-light');
    await page.getByRole('button', { name: 'Restore 2 files…' }).click();
    await page.getByRole('dialog', { name: 'Restore everything as it was?' }).getByRole('button', { name: 'Restore' }).click();
    await page.getByText(/^Restored 2 files from the snapshots up to /).waitFor();
    expect(readFileSync(join(desktop.home, path))).toEqual(one);
    expect(read(desktop.home, 'skills/review/SKILL.md')).toBe('Review the diff, version 1.\n');
    expect(errors).toEqual([]);
    await context.close();
  });
});
