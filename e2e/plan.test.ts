import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { madeUpId, nameLine, rekeyed } from '../test/helpers/rollouts.ts';
import { writeFile } from '../test/helpers/workspace.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { recordFigure } from './support/figures.ts';
import { fitsWidth, scrollFrameTimes } from './support/page.ts';
import { machines, read } from './support/machines.ts';

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('plan review', () => {
  it('opens the plan, filters and searches it, applies it, and the files are in the cloud folder', async () => {
    const { laptop } = machines();
    writeFile(laptop.home, 'history.jsonl', '{"ts":1700000000,"text":"first prompt"}\n');
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff.\n');
    writeFile(laptop.home, 'sessions/2026/11/25/rollout-2026-11-25T09-00-00-a.jsonl', '{"timestamp":"2026-11-25T09:00:00Z","type":"session_meta"}\n');
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/plan`);

    await page.getByRole('heading', { name: 'Changes (3)' }).waitFor();
    const totals = page.getByLabel('Totals');
    await expect.poll(() => totals.textContent()).toContain('This machine to the cloud3 files, 116 B');
    const list = page.getByRole('listbox', { name: 'Planned changes, grouped by direction and folder' });
    expect(await list.getByRole('option').allTextContents()).toEqual([
      '↑This machine to the cloud(top level)1 file, 40 B',
      'history.jsonl40 Bnew on this machine',
      '↑This machine to the cloudsessions/2026/11/25/1 file, 59 B',
      'rollout-2026-11-25T09-00-00-a.jsonl59 Bnew on this machine',
      '↑This machine to the cloudskills/review/1 file, 17 B',
      'SKILL.md17 Bnew on this machine',
    ]);
    await screenshot(page, 'plan-light');

    // Search narrows the list; the direction filter offers only directions the plan has.
    await page.getByRole('searchbox').fill('skills');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['↑This machine to the cloudskills/review/1 file, 17 B', 'SKILL.md17 Bnew on this machine']);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'of 3 files' }).textContent()).toBe('1 of 3 files');
    expect(await page.getByRole('option', { name: /Cloud to this machine/ }).isDisabled()).toBe(true);
    await page.getByRole('searchbox').fill('');

    // The list is one tab stop; End goes to the last row.
    // (The cleared search re-renders the list: End is pressed again until the whole list is back.)
    await list.focus();
    await expect
      .poll(async () => {
        await page.keyboard.press('End');
        return list.getByRole('option', { selected: true }).textContent();
      })
      .toBe('SKILL.md17 Bnew on this machine');

    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'plan-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Done: 3 changes, 116 B written.').waitFor();
    await page.getByText('Nothing to hand off').waitFor();
    expect(read(laptop.cloud, 'history.jsonl')).toBe('{"ts":1700000000,"text":"first prompt"}\n');
    expect(read(laptop.cloud, 'skills/review/SKILL.md')).toBe('Review the diff.\n');
    expect(read(laptop.cloud, 'sessions/2026/11/25/rollout-2026-11-25T09-00-00-a.jsonl')).toContain('session_meta');
    // The engine's own sync wrote the handoff record that tells the other machine.
    expect(existsSync(join(laptop.cloud, '.codexsync', 'handoff-laptop.json'))).toBe(true);
    await screenshot(page, 'plan-applied');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("groups a plan's changes by thread, title first, with the thread's files on demand", async () => {
    const { laptop } = machines();
    const thread = rekeyed('two-turns', madeUpId(42));
    writeFile(laptop.home, thread.path, thread.bytes);
    writeFile(laptop.home, 'session_index.jsonl', nameLine(thread.id, 'Health check endpoint'));
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff.\n');
    host = await startHost({ configFile: laptop.config });
    const { page, context, errors } = await openWindow(`${host.url}/#/plan`);
    await page.getByRole('heading', { name: 'Threads (1)' }).waitFor();
    const threads = page.getByRole('listbox', { name: 'Threads this plan changes' });
    expect(await threads.getByRole('option').allTextContents()).toEqual(['Health check endpoint…/0.171.0/projectNew thread from this machine']);
    // The rollout is the thread's; the other files are listed as files.
    await page.getByRole('heading', { name: 'Files (2)' }).waitFor();
    const files = page.getByRole('listbox', { name: 'Planned changes, grouped by direction and folder' });
    expect((await files.getByRole('option').allTextContents()).filter((text) => text.includes('rollout-'))).toEqual([]);
    const paths = page.getByText('Files of “Health check endpoint” (1 file)');
    expect(await page.getByText(thread.path).isVisible()).toBe(false);
    await paths.click();
    await page.getByText(thread.path).waitFor();
    await screenshot(page, 'plan-threads-light');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Cancel discards the plan and writes nothing', async () => {
    const { laptop } = machines();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff.\n');
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/plan`);
    await page.getByRole('heading', { name: 'Changes (1)' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('The plan was discarded: nothing was written.').waitFor();
    expect(existsSync(laptop.cloud)).toBe(false);
    await context.close();
  });

  it('renders a 20,000-file plan with only the rows in view, and scrolls and searches it', async () => {
    const { laptop } = machines();
    for (let day = 0; day < 20; day += 1) {
      const folder = join(laptop.home, 'sessions', '2026', '11', String(day + 1).padStart(2, '0'));
      mkdirSync(folder, { recursive: true });
      for (let i = 0; i < 1000; i += 1) writeFileSync(join(folder, `rollout-${String(i).padStart(4, '0')}.jsonl`), `{"n":${i}}\n`);
    }
    host = await startHost({ configFile: laptop.config });
    const started = performance.now();
    const { page, context, errors } = await openWindow(`${host.url}/#/plan`);
    await page.getByRole('heading', { name: 'Changes (20,000)' }).waitFor();
    const list = page.getByRole('listbox', { name: /Planned changes/ });
    await list.getByRole('option').first().waitFor();
    const shownAfter = performance.now() - started;

    // Only the rows in view (and a few beyond) are in the page: 20,020 rows would be.
    expect(await list.getByRole('option').count()).toBeLessThan(60);
    const frames = await scrollFrameTimes(page, '[role="listbox"]', 30);
    await expect.poll(() => list.getByRole('option').last().textContent()).toBe('rollout-0999.jsonl10 Bnew on this machine');
    expect(await list.getByRole('option').count()).toBeLessThan(60);

    const searchStarted = performance.now();
    await page.getByRole('searchbox').fill('11/07/rollout-0420');
    await expect.poll(() => list.getByRole('option').allTextContents()).toEqual(['↑This machine to the cloudsessions/2026/11/07/1 file, 10 B', 'rollout-0420.jsonl10 Bnew on this machine']);
    const searched = performance.now() - searchStarted;
    await screenshot(page, 'plan-20000');

    recordFigure('plan 20,000 files: open window to first row (scan, plan, transfer, render) ms', Math.round(shownAfter));
    recordFigure('plan 20,000 files: scroll step to next frame, median ms', Math.round(median(frames)));
    recordFigure('plan 20,000 files: scroll step to next frame, worst ms', Math.round(Math.max(...frames)));
    recordFigure('plan 20,000 files: search to filtered list ms', Math.round(searched));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is readable at 200% zoom', async () => {
    const { laptop } = machines();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review the diff.\n');
    writeFile(laptop.home, 'sessions/2026/11/25/rollout-2026-11-25T09-00-00-a-very-long-name-of-a-thread-file.jsonl', '{}\n');
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/plan`, { zoom: 2 });
    await page.getByRole('heading', { name: 'Changes (2)' }).waitFor();
    // Nothing is wider than the window: no sideways scrolling at 200%.
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'plan-zoom200');
    await page.getByRole('button', { name: 'Apply' }).scrollIntoViewIfNeeded();
    expect(await page.getByRole('button', { name: 'Apply' }).isVisible()).toBe(true);
    await context.close();
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
