import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { threadHandedOffTwice } from './support/handoffs.ts';
import { fitsWidth } from './support/page.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('Activity window', () => {
  it('shows the hand-offs of both machines with their threads, and this machine’s backup, one click from the restore window', async () => {
    const { desktop, title } = await threadHandedOffTwice();
    expect(title).not.toBe('');
    const snapshot = readdirSync(desktop.backups).find((name) => name.startsWith('desktop-')) as string;
    host = await startHost({ configFile: desktop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/activity`);
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    const timeline = page.getByRole('list', { name: 'Hand-offs and backups, newest first' });
    await timeline.waitFor();
    const items = timeline.locator(':scope > li');
    const texts = await items.allTextContents();
    const laptop = texts.find((text) => text.includes('laptop handed off'));
    // The desktop only took work so far: it has no hand-off of its own from before the laptop's to compare with.
    expect(laptop).toMatch(/laptop handed off \(2 files in the cloud folder\)1 thread in the cloud folder; what it changed is not known/);
    // With the turns the thread has as the hand-off left it in the cloud folder.
    expect(laptop).toContain(`${title} · 2 turns`);
    const backup = texts.find((text) => text.includes('Backup: 2 files'));
    expect(backup).toContain(title);
    expect(backup).toContain(snapshot);
    await screenshot(page, 'activity-light');
    expect(await fitsWidth(page)).toBe(true);

    await page.getByRole('link', { name: 'Restore from this backup' }).first().click();
    await page.getByRole('heading', { name: 'Restore from backup', level: 1 }).waitFor();
    await page
      .getByRole('radio', { name: new RegExp(snapshot.replace(/[-]/g, '\\-')) })
      .or(page.locator(`input[value="${snapshot}"]`))
      .first()
      .waitFor();
    expect(await page.locator(`input[name="snapshot"][value="${snapshot}"]`).isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads in dark and at 200% zoom', async () => {
    const { desktop } = await threadHandedOffTwice();
    host = await startHost({ configFile: desktop.config });
    for (const [name, options] of [
      ['activity-dark', { dark: true }],
      ['activity-zoom200', { zoom: 2 as const }],
    ] as const) {
      const { page, context, errors } = await openWindow(`${host.url}/#/activity`, options);
      await page.getByRole('list', { name: 'Hand-offs and backups, newest first' }).waitFor();
      await screenshot(page, name);
      expect(await fitsWidth(page)).toBe(true);
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
