import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_DIR } from '../src/core/handoff/index.ts';
import { handoffTime } from '../src/main/model/trayMenu.ts';
import { writeFile } from '../test/helpers/workspace.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { fitsWidth } from './support/page.ts';
import { handOff, machines } from './support/machines.ts';

// The status line every window shows at its top, the same words as the tray's tooltip: where
// the hand-off stands after the background check, on real folders of two machines.

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('hand-off status in words', () => {
  it("says another machine's work waits, then, once taken, that it is safe to switch and since when", async () => {
    const { laptop, desktop } = machines();
    writeFile(desktop.home, 'skills/review/SKILL.md', 'Desktop.\n');
    await handOff(desktop);
    writeFile(laptop.home, 'skills/mine/SKILL.md', 'Mine.\n');
    host = await startHost({ configFile: laptop.config });
    await host.service.backgroundCheck();

    const light = await openWindow(`${host.url}/`);
    const chip = light.page.locator('p.status');
    await expect.poll(() => chip.textContent()).toBe('laptop: Work from desktop is waiting: take it before you start Codex');
    expect(await fitsWidth(light.page)).toBe(true);
    await screenshot(light.page, 'status-waiting-light');
    await light.context.close();

    await host.service.handOffNow();
    expect(host.notices.map((notice) => notice.body).slice(-2)).toEqual(['Handing off 2 files (15 B)…', 'Done: 2 changes, 15 B written.']);
    const record = JSON.parse(readFileSync(join(laptop.cloud, CONTROL_DIR, 'handoff-laptop.json'), 'utf8')) as { createdAt: string };
    await host.service.backgroundCheck();
    const safe = `laptop: Safe to switch: your work is in the cloud folder (handed off ${handoffTime(new Date(record.createdAt), new Date())})`;
    for (const [options, name] of [
      [{ dark: true }, 'status-safe-dark'],
      [{ zoom: 2 }, 'status-safe-zoom200'],
      [{}, 'status-safe-light'],
    ] as const) {
      const window = await openWindow(`${host.url}/`, options);
      await expect.poll(() => window.page.locator('p.status').textContent()).toBe(safe);
      await window.page.getByText('No thread on this machine or in the cloud folder yet.').waitFor();
      expect(await fitsWidth(window.page)).toBe(true);
      await screenshot(window.page, name);
      expect(window.errors).toEqual([]);
      await window.context.close();
    }
  });

  it("says this machine's changes are not handed off yet", async () => {
    const { laptop } = machines();
    await handOff(laptop);
    writeFile(laptop.home, 'skills/mine/SKILL.md', 'Mine.\n');
    host = await startHost({ configFile: laptop.config });
    await host.service.backgroundCheck();
    const { page, context } = await openWindow(`${host.url}/`, { dark: true });
    await expect.poll(() => page.locator('p.status').textContent()).toBe('laptop: Local changes not handed off yet');
    await page.getByText('No thread on this machine or in the cloud folder yet.').waitFor();
    await screenshot(page, 'status-local-dark');
    await context.close();
  });
});
