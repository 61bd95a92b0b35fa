import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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

const rollout = 'sessions/2026/11/25/rollout-2026-11-25T09-00-00-a.jsonl';
const line = (time: string, text: string): string => `{"timestamp":"2026-11-25T${time}Z","type":"message","text":"${text}"}\n`;

/** Four files handed off once, then changed on both machines: the laptop handed its versions off first. */
async function bothChanged() {
  const m = machines();
  const { laptop, desktop } = m;
  for (const name of ['a', 'b', 'c']) writeFile(laptop.home, `skills/${name}/SKILL.md`, `base ${name}\n`);
  writeFile(laptop.home, rollout, line('09:00:00', 'start'));
  await handOff(laptop);
  await handOff(desktop);
  // Edited a minute apart, so that no two versions share a modification time.
  const [laptopTime, desktopTime] = [new Date(Date.now() - 120_000), new Date(Date.now() - 60_000)];
  for (const name of ['a', 'b', 'c']) {
    writeFile(laptop.home, `skills/${name}/SKILL.md`, `laptop ${name}\n`, laptopTime);
    writeFile(desktop.home, `skills/${name}/SKILL.md`, `desktop ${name}\n`, desktopTime);
  }
  writeFile(laptop.home, rollout, line('09:00:00', 'start') + line('09:05:00', 'from the laptop'), laptopTime);
  writeFile(desktop.home, rollout, line('09:00:00', 'start') + line('09:03:00', 'from the desktop'), desktopTime);
  await handOff(laptop);
  return m;
}

describe('conflict review', () => {
  it('shows both versions side by side and settles each conflict the way chosen', async () => {
    const { desktop } = await bothChanged();
    host = await startHost({ configFile: desktop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/plan`);
    await page.getByRole('heading', { name: 'Conflicts (4)' }).waitFor();

    const card = page.getByRole('article', { name: 'skills/a/SKILL.md' });
    expect(await card.getByRole('region', { name: 'This machine' }).getByRole('heading').textContent()).toBe('This machine');
    expect(await card.getByLabel('This machine: differing lines').textContent()).toBe('1desktop a\n');
    expect(await card.getByRole('region', { name: 'Cloud (from laptop)' }).textContent()).toMatch(
      /^Cloud \(from laptop\)9 B · modified \d{4}-\d{2}-\d{2} \d{2}:\d{2}Lines that differ \(1 line\)1laptop a\n$/,
    );
    const jsonl = page.getByRole('article', { name: rollout });
    expect(await jsonl.getByLabel('Cloud (from laptop): differing lines').textContent()).toContain('from the laptop');
    expect(await jsonl.getByRole('radio').count()).toBe(4);
    expect(await card.getByRole('radio').count()).toBe(3);
    await expect.poll(() => page.getByText('Choose what to keep for 4 more conflicts to apply.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await screenshot(page, 'conflicts-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'conflicts-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await card.getByRole('radio', { name: "Keep this machine's version" }).check();
    await page.getByRole('article', { name: 'skills/b/SKILL.md' }).getByRole('radio', { name: "Take the cloud's version" }).check();
    await page.getByRole('article', { name: 'skills/c/SKILL.md' }).getByRole('radio', { name: 'Keep both (the cloud\'s as "SKILL (cloud from laptop).md")' }).check();
    await jsonl.getByRole('radio', { name: 'Merge the lines of both' }).check();
    await page.getByRole('button', { name: 'Apply' }).click();
    const done = page.getByText(/^Done: /);
    await done.waitFor();
    expect(await done.textContent()).toMatch(/^Done: 4 conflicts settled; 5 changes, \d+ B written; backup snapshot desktop-\d{8}T\d{6}Z(-\d+)?\.$/);

    for (const root of [desktop.home, desktop.cloud]) {
      expect(read(root, 'skills/a/SKILL.md')).toBe('desktop a\n');
      expect(read(root, 'skills/b/SKILL.md')).toBe('laptop b\n');
      expect(read(root, 'skills/c/SKILL.md')).toBe('desktop c\n');
      expect(read(root, 'skills/c/SKILL (cloud from laptop).md')).toBe('laptop c\n');
      expect(read(root, rollout)).toBe(line('09:00:00', 'start') + line('09:03:00', 'from the desktop') + line('09:05:00', 'from the laptop'));
    }
    // Every version that gave way is in the one snapshot of that sync.
    const backups = readdirSync(desktop.backups);
    const stored = backups.flatMap((name) => ['local', 'cloud'].filter((side) => existsSync(join(desktop.backups, name, side))).map((side) => `${name}/${side}`));
    expect(stored.length).toBeGreaterThan(0);
    expect(backups.some((name) => existsSync(join(desktop.backups, name, 'cloud', 'skills', 'a', 'SKILL.md')))).toBe(true);
    expect(backups.some((name) => existsSync(join(desktop.backups, name, 'local', 'skills', 'b', 'SKILL.md')))).toBe(true);
    await page.getByText('Nothing to hand off').waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('"apply to all" takes the cloud\'s version of every file', async () => {
    const { laptop, desktop } = await bothChanged();
    host = await startHost({ configFile: desktop.config });
    const { page, context } = await openWindow(`${host.url}/#/plan`, { zoom: 2 });
    await page.getByRole('heading', { name: 'Conflicts (4)' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'conflicts-zoom200');
    await page.getByRole('group', { name: 'Apply one choice to every conflict' }).getByRole('button', { name: 'Cloud' }).click();
    for (const radio of await page.getByRole('radio', { name: "Take the cloud's version" }).all()) expect(await radio.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText(/^Done: 4 conflicts settled/).waitFor();
    for (const path of ['skills/a/SKILL.md', 'skills/b/SKILL.md', 'skills/c/SKILL.md', rollout]) {
      expect(read(desktop.home, path)).toBe(read(laptop.home, path));
      expect(read(desktop.cloud, path)).toBe(read(laptop.home, path));
    }
    await context.close();
  });
});
