import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handOffAs } from '../test/helpers/handoff.ts';
import { madeUpId, nameLine, rekeyed } from '../test/helpers/rollouts.ts';
import { writeFile, type Workspace } from '../test/helpers/workspace.ts';
import type { RecordedFolder } from '../test/core/threads/recorded.ts';
import { startHost, type Host } from './host.ts';
import { openWindow, screenshot } from './support/browser.ts';
import { recordFigure } from './support/figures.ts';
import { fitsWidth, scrollFrameTimes } from './support/page.ts';
import { handOff, machines } from './support/machines.ts';

// The Threads window on recorded rollouts of real Codex 0.171, each under an id of its own:
// "laptop" is this machine, "desktop" handed off the cloud folder's side.

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const before = new Date('2026-11-29T10:00:00Z');
const after = new Date('2026-11-30T10:00:00Z');
const project = '/tmp/codexsync-rollouts/0.171.0/project';

const threads = {
  continuedThere: { id: madeUpId(1), name: 'Health check endpoint' },
  inSync: { id: madeUpId(2), name: 'Open issues summary' },
  onlyHere: { id: madeUpId(3), name: 'Website build script' },
  onlyThere: { id: madeUpId(4), name: 'Build script from desktop' },
  forked: { id: madeUpId(5), name: 'Request logging' },
  continuedHere: { id: madeUpId(6), name: 'Health check test' },
  archived: { id: madeUpId(7), name: 'Last week’s issues' },
};

function put(root: string, folder: RecordedFolder, id: string, mtime: Date, options: { archived?: boolean; cwd?: string } = {}): string {
  const thread = rekeyed(folder, id, { archived: options.archived ?? false });
  const bytes = options.cwd === undefined ? thread.bytes : Buffer.from(thread.bytes.toString('utf8').split(project).join(options.cwd), 'utf8');
  writeFile(root, thread.path, bytes, mtime);
  return thread.path;
}

/** Seven threads, one in each state: four handed off by laptop, then changed on either machine. */
async function sevenThreads(laptop: Workspace): Promise<Record<keyof typeof threads, string>> {
  const t = threads;
  const paths = {} as Record<keyof typeof threads, string>;
  paths.continuedThere = put(laptop.home, 'one-turn', t.continuedThere.id, before);
  paths.inSync = put(laptop.home, 'uncompressed', t.inSync.id, before);
  paths.forked = put(laptop.home, 'two-turns', t.forked.id, before);
  paths.continuedHere = put(laptop.home, 'one-turn', t.continuedHere.id, before);
  writeFile(
    laptop.home,
    'session_index.jsonl',
    Object.values(t)
      .map((x) => nameLine(x.id, x.name))
      .join(''),
  );
  await handOff(laptop);
  paths.continuedThere = put(laptop.cloud, 'two-turns', t.continuedThere.id, after);
  paths.onlyThere = put(laptop.cloud, 'interactive', t.onlyThere.id, after);
  put(laptop.cloud, 'fork-b', t.forked.id, after);
  await handOffAs(laptop.cloud, 'desktop');
  put(laptop.home, 'fork-a', t.forked.id, after);
  put(laptop.home, 'two-turns', t.continuedHere.id, after);
  paths.onlyHere = put(laptop.home, 'interactive', t.onlyHere.id, after, { cwd: '/home/me/src/website' });
  paths.archived = put(laptop.home, 'uncompressed', t.archived.id, before, { archived: true });
  return paths;
}

describe('threads window', () => {
  it('shows every thread of both machines with where it stands; searches, filters, opens one, copies its resume command and shows its files', async () => {
    const { laptop } = machines('[conflict]\npolicy = "manual_abort"\n');
    const paths = await sevenThreads(laptop);
    host = await startHost({ configFile: laptop.config });
    // The main window opens on the threads.
    const { page, context, errors } = await openWindow(`${host.url}/`);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
    await page.getByRole('heading', { name: 'Threads', level: 1 }).waitFor();
    const list = page.getByRole('listbox', { name: 'Threads, newest activity first' });
    await list.getByRole('option').first().waitFor();
    const standing = async (): Promise<Array<[string, string]>> =>
      list.locator('.thread-row').evaluateAll((rows) => rows.map((row) => [row.querySelector('.thread-title')?.textContent ?? '', row.querySelector('.standing')?.textContent ?? '']));
    expect(new Map(await standing())).toEqual(
      new Map([
        ['Health check endpoint', '1 new turn from desktop'],
        ['Open issues summary', 'In sync'],
        ['Website build script', 'Only here'],
        ['Build script from desktop', 'Only in the cloud (from desktop)'],
        ['Request logging', 'Forked: desktop added 2 turns, this machine 1'],
        ['Health check test', '1 new turn here, not handed off yet'],
        ['Last week’s issues', 'Only here'],
      ]),
    );
    // Newest activity first; the archived thread is marked so.
    expect((await standing()).slice(-2).map(([title]) => title)).toEqual(['Open issues summary', 'Last week’s issues']);
    expect(
      await list
        .getByRole('option', { name: /Last week’s issues/ })
        .locator('.tag')
        .textContent(),
    ).toBe('archived');
    await page.getByRole('status').filter({ hasText: '7 threads' }).waitFor();
    await screenshot(page, 'threads-light');

    // Search: title, project folder, id.
    const search = page.getByRole('searchbox');
    const titles = async (): Promise<string[]> => (await standing()).map(([title]) => title);
    await search.fill('build script');
    await expect.poll(titles).toEqual(['Website build script', 'Build script from desktop']);
    await search.fill('src/website');
    await expect.poll(titles).toEqual(['Website build script']);
    await search.fill(threads.forked.id);
    await expect.poll(titles).toEqual(['Request logging']);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'of 7 threads' }).textContent()).toBe('1 of 7 threads');
    await search.fill('');

    // Filters: state, archived, project.
    await page.getByLabel('State').selectOption({ label: 'Forked (1)' });
    await expect.poll(titles).toEqual(['Request logging']);
    await page.getByLabel('State').selectOption({ label: 'Only here (2)' });
    await expect.poll(titles).toEqual(['Website build script', 'Last week’s issues']);
    await page.getByLabel('Archived').selectOption({ label: 'Hidden' });
    await expect.poll(titles).toEqual(['Website build script']);
    await page.getByLabel('Archived').selectOption({ label: 'Only archived' });
    await expect.poll(titles).toEqual(['Last week’s issues']);
    await page.getByLabel('State').selectOption({ label: 'Every state (7)' });
    await page.getByLabel('Archived').selectOption({ label: 'Shown' });
    await page.getByLabel('Project').selectOption({ label: '/home/me/src/website (1)' });
    await expect.poll(titles).toEqual(['Website build script']);
    await page.getByLabel('Project').selectOption({ label: 'Every project' });
    await expect.poll(async () => (await titles()).length).toBe(7);

    // A thread's detail: every turn once, with its time and where it is.
    await list.getByRole('option', { name: /Request logging/ }).click();
    const detail = page.getByRole('region', { name: 'Request logging' });
    await detail.getByRole('heading', { name: 'Turns (5)' }).waitFor();
    const turns = await detail.locator('.turn').evaluateAll((items) => items.map((item) => [item.querySelector('.tag')?.textContent ?? 'both', item.querySelector('p')?.textContent ?? '']));
    expect(turns).toEqual([
      ['both', 'Add a health check endpoint to the server'],
      ['both', 'Now write a test for it'],
      ['only on this machine', 'Fork A: serve it on port 8080'],
      ['only in the cloud folder', 'Fork B: log every request'],
      ['only in the cloud folder', 'Fork B: and count them'],
    ]);
    expect(await detail.locator('.turn-meta > span:first-child').allTextContents()).not.toContain('time unknown');
    await detail.getByText('Forked: desktop added 2 turns, this machine 1, since they last shared it. A hand-off keeps both versions.').waitFor();

    // Copy `codex resume <id>`.
    await detail.getByRole('button', { name: `Copy codex resume ${threads.forked.id}` }).click();
    await detail.getByText(`Copied: codex resume ${threads.forked.id}`).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(
      `codex resume ${threads.forked.id}`,
    );

    // Show files: the rollout on each side, where it is on disk.
    await detail.getByRole('button', { name: 'Show files' }).click();
    const files = detail.locator('#thread-files');
    expect(await files.getByRole('heading').allTextContents()).toEqual(['This machine', 'Cloud folder (from desktop)']);
    expect(await files.locator('li .mono').allTextContents()).toEqual([join(laptop.home, paths.forked), join(laptop.cloud, paths.forked)]);
    await screenshot(page, 'threads-detail-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'threads-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // A thread only in the cloud: its turn is there only.
    await list.getByRole('option', { name: /Build script from desktop/ }).click();
    const cloudOnly = page.getByRole('region', { name: 'Build script from desktop' });
    await cloudOnly.getByRole('heading', { name: 'Turns (1)' }).waitFor();
    expect(await cloudOnly.locator('.turn .tag').allTextContents()).toEqual(['only in the cloud folder']);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('is readable at 200% zoom, with a thread open', async () => {
    const { laptop } = machines('[conflict]\npolicy = "manual_abort"\n');
    await sevenThreads(laptop);
    host = await startHost({ configFile: laptop.config });
    const { page, context } = await openWindow(`${host.url}/#/threads`, { zoom: 2 });
    const list = page.getByRole('listbox', { name: 'Threads, newest activity first' });
    await list.getByRole('option', { name: /Request logging/ }).click();
    await page.getByRole('heading', { name: 'Turns (5)' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'threads-zoom200');
    // The open thread is below the list, reached by scrolling the page.
    await page.getByRole('button', { name: 'Show files' }).scrollIntoViewIfNeeded();
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'threads-detail-zoom200');
    await context.close();
  });

  it('lists 20,000 threads with only the rows in view, scrolls them under 20 ms a frame, and finds one', async () => {
    const { laptop } = machines();
    const slim = slimRollout('one-turn');
    for (let n = 0; n < 20_000; n += 1) {
      const id = madeUpId(100_000 + n);
      const folder = join(laptop.home, 'sessions', '2026', '11', String((n % 20) + 1).padStart(2, '0'));
      if (n < 20) mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `rollout-2026-11-30T06-22-56-${id}.jsonl`), slim.text.split(slim.id).join(id));
    }
    host = await startHost({ configFile: laptop.config });
    const started = performance.now();
    const { page, context, errors } = await openWindow(`${host.url}/#/threads`);
    const list = page.getByRole('listbox', { name: 'Threads, newest activity first' });
    await list.getByRole('option').first().waitFor({ timeout: 120_000 });
    const shownAfter = performance.now() - started;
    await page.getByRole('status').filter({ hasText: '20,000 threads' }).waitFor();
    expect(await list.getByRole('option').count()).toBeLessThan(60);

    const frames = await scrollFrameTimes(page, '[role="listbox"]', 40);
    expect(await list.getByRole('option').count()).toBeLessThan(60);
    expect(median(frames)).toBeLessThan(20);

    const target = madeUpId(100_000 + 12_345);
    await page.getByRole('searchbox').fill(target.slice(-6));
    await expect.poll(() => list.getByRole('option').count()).toBe(1);
    expect(await list.getByRole('option').textContent()).toContain('Add a health check endpoint to the server');
    recordFigure('threads 20,000: open window to first row (scan, plan, heads, render) ms', Math.round(shownAfter));
    recordFigure('threads 20,000: scroll step to next frame, median ms', Math.round(median(frames)));
    recordFigure('threads 20,000: scroll step to next frame, worst ms', Math.round(Math.max(...frames)));
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});

/** A recorded rollout cut to the lines a thread's list needs (its start, the prompt, the answer, the end), to make many threads cheaply. */
function slimRollout(folder: RecordedFolder): { id: string; text: string } {
  const thread = rekeyed(folder, madeUpId(99_999));
  const kept = thread.bytes
    .toString('utf8')
    .split('\n')
    .filter((line) => {
      if (line === '') return false;
      const parsed = JSON.parse(line) as { type: string; payload?: { type?: string } };
      return parsed.type === 'session_meta' || (parsed.type === 'event_msg' && ['task_started', 'item_completed', 'task_complete'].includes(parsed.payload?.type ?? ''));
    });
  return { id: thread.id, text: `${kept.join('\n')}\n` };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
