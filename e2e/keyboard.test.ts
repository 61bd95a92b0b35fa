import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers/tmp.ts';
import { startHost, type Host } from './host.ts';
import { openWindow } from './support/browser.ts';
import { reachableControls, tabWalk, unnamedControls } from './support/keyboard.ts';
import { machines } from './support/machines.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** What each window shows once it has read its data. */
const windows: Array<{ view: string; ready: string }> = [
  { view: 'threads', ready: 'Threads' },
  { view: 'activity', ready: 'Activity' },
  { view: 'plan', ready: 'Plan review' },
  { view: 'restore', ready: 'Restore from backup' },
  { view: 'logs', ready: 'Logs' },
  { view: 'settings', ready: 'Settings' },
];

describe('keyboard and names', () => {
  for (const { view, ready } of windows) {
    it(`reaches every control of ${view} by Tab with a focus ring, and every control has a name`, async () => {
      const { laptop } = machines();
      host = await startHost({ configFile: laptop.config });
      const { page, context, errors } = await openWindow(`${host.url}/#/${view}`);
      await page.getByRole('heading', { name: ready, exact: true, level: 1 }).waitFor();
      // Each window asks for its data once it is shown; its controls are there when the answers are.
      await page.waitForTimeout(800);
      expect(await unnamedControls(page)).toEqual([]);
      const expected = await reachableControls(page);
      // The menu of windows alone has five links: a walk that found fewer saw nothing.
      expect(expected).toBeGreaterThanOrEqual(5);
      const stops = await tabWalk(page);
      expect(stops.filter((s) => !s.ringVisible)).toEqual([]);
      expect(stops.length).toBeGreaterThanOrEqual(expected);
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('reaches every control of the first run’s setup by Tab with a focus ring', async () => {
    const dir = tempDir('codexsync-e2e-keys');
    host = await startHost({ configFile: join(dir, 'config.toml') });
    const { page, context } = await openWindow(`${host.url}/#/setup`);
    await page.getByRole('button', { name: /Choose another folder/ }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    const expected = await reachableControls(page);
    const stops = await tabWalk(page);
    expect(stops.filter((s) => !s.ringVisible)).toEqual([]);
    expect(stops.length).toBeGreaterThanOrEqual(expected);
    await context.close();
  });
});
