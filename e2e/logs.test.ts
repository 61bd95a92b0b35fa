import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from '../test/helpers/workspace.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { machines } from './support/machines.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('logs', () => {
  it("shows today's log, filters it by level, and follows new lines as they are written", async () => {
    // An unknown key: every run logs a warning about it.
    const { laptop } = machines('stray_key = 1\n');
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff.\n');
    writeFile(laptop.home, 'history.jsonl', '{"ts":1700000000,"text":"hello"}\n');
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/logs`);
    await page.getByText('Nothing logged today yet.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Follow new lines' }).isChecked()).toBe(true);

    // A hand-off (as from the tray) writes the log; follow mode shows its lines without a reload.
    await host.service.handOffNow();
    const list = page.getByRole('listbox', { name: 'Log lines' });
    await list.getByRole('option', { name: /copied skills\/review\/SKILL\.md \(this machine -> cloud\)/ }).waitFor();
    const lines = await list.getByRole('option').allTextContents();
    expect(lines).toContainEqual(expect.stringMatching(/^\d{2}:\d{2}:\d{2}\.\d{3}WARNINGlaptop\.toml: unknown key 'process_detection\.stray_key' is ignored$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\d{2}:\d{2}:\d{2}\.\d{3}INFOcopied history\.jsonl \(this machine -> cloud\) {2}path=history\.jsonl$/));
    await screenshot(page, 'logs-light');

    await page.getByLabel('Show').selectOption('WARNING');
    await expect
      .poll(() => list.getByRole('option').allTextContents())
      .toEqual([
        expect.stringMatching(/WARNINGlaptop\.toml: unknown key 'process_detection\.stray_key' is ignored$/),
        expect.stringMatching(/WARNINGlaptop\.toml: paths\.cloud_root_dir .* does not exist yet/),
      ]);
    await page.getByLabel('Show').selectOption('ERROR');
    await expect.poll(() => list.getByRole('option').count()).toBe(0);
    await page.getByLabel('Show').selectOption('INFO');

    // With follow off, new lines wait for "Read again".
    await page.getByRole('checkbox', { name: 'Follow new lines' }).uncheck();
    const before = await list.getByRole('option').count();
    writeFile(laptop.home, 'skills/other/SKILL.md', 'Another.\n');
    await host.service.handOffNow();
    expect(await list.getByRole('option').count()).toBe(before);
    await page.getByRole('button', { name: 'Read again' }).click();
    await list.getByRole('option', { name: /copied skills\/other\/SKILL\.md/ }).waitFor();

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'logs-dark');
    expect(errors).toEqual([]);
    await context.close();

    const zoomed = await openWindow(`${host.url}/#/logs`, { zoom: 2 });
    await zoomed.page.getByRole('listbox', { name: 'Log lines' }).getByRole('option').first().waitFor();
    await screenshot(zoomed.page, 'logs-zoom200');
    await zoomed.context.close();
  });
});
