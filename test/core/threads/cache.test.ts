import { copyFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../../src/core/facts.ts';
import { emptyThreadCache, readRolloutFile, type RolloutOutcome, summariseThreads, type ThreadCache, threadCacheFromJson, threadCacheToJson } from '../../../src/core/threads/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { recorded, type RecordedFolder } from './recorded.ts';

/** A Codex home in a temp folder holding recorded rollouts (and a file that is none), with each file's stat as a scan gives it. */
function home(folders: RecordedFolder[]): { root: string; files: Map<string, FileStat> } {
  const root = tempDir();
  const files = new Map<string, FileStat>();
  const put = (path: string, from?: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    if (from === undefined) writeFileSync(join(root, path), '{}\n');
    else copyFileSync(from, join(root, path));
  };
  for (const folder of folders) put(recorded('0.171.0', folder).path, recorded('0.171.0', folder).file);
  put('history.jsonl');
  for (const path of [...folders.map((folder) => recorded('0.171.0', folder).path), 'history.jsonl']) {
    const stat = statSync(join(root, path));
    files.set(path, { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) });
  }
  return { root, files };
}

async function outcomeOf(folder: RecordedFolder): Promise<RolloutOutcome> {
  const read = await readRolloutFile(recorded('0.171.0', folder).file);
  return read.kind === 'thread' ? { kind: 'thread', summary: read.summary } : read;
}

describe('summariseThreads', () => {
  it('reads each rollout once, then answers from the cache while size and time stay the same', async () => {
    const { root, files } = home(['one-turn', 'compressed', 'interactive']);
    const paths = (['one-turn', 'compressed', 'interactive'] as const).map((folder) => recorded('0.171.0', folder).path);
    const first = await summariseThreads(root, files, emptyThreadCache);
    expect(first.read).toEqual(paths);
    expect(first.summaries).toEqual(
      new Map([
        [paths[0], await outcomeOf('one-turn')],
        [paths[1], await outcomeOf('compressed')],
        [paths[2], await outcomeOf('interactive')],
      ]),
    );
    expect([...first.cache.keys()]).toEqual(paths);
    expect(first.cache.get(paths[1] as string)).toMatchObject({ size: files.get(paths[1] as string)?.size, form: 'jsonl.zst' });

    const second = await summariseThreads(root, files, first.cache);
    expect(second.read).toEqual([]);
    expect(second.cache).toBe(first.cache);
    expect(second.summaries).toEqual(first.summaries);
  });

  it('reads again a file whose time or size changed, and forgets a file gone from the list', async () => {
    const { root, files } = home(['one-turn', 'interactive']);
    const [one, tui] = (['one-turn', 'interactive'] as const).map((folder) => recorded('0.171.0', folder).path) as [string, string];
    const first = await summariseThreads(root, files, emptyThreadCache);
    copyFileSync(recorded('0.171.0', 'two-turns').file, join(root, one));
    utimesSync(join(root, one), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const now = new Map(files);
    now.set(one, { size: statSync(join(root, one)).size, mtimeMs: Date.parse('2026-01-01T00:00:00Z') });
    now.delete(tui);
    const second = await summariseThreads(root, now, first.cache);
    expect(second.read).toEqual([one]);
    expect([...second.cache.keys()]).toEqual([one]);
    expect(second.summaries.get(one)).toEqual(await outcomeOf('two-turns'));
  });

  it('does not keep a file that went between the scan and the read: the next run tries it again', async () => {
    const { root, files } = home(['one-turn']);
    const path = recorded('0.171.0', 'one-turn').path;
    rmSync(join(root, path));
    const first = await summariseThreads(root, files, emptyThreadCache);
    expect(first.summaries.get(path)).toEqual({ kind: 'unreadable', reason: 'missing' });
    expect(first.cache.size).toBe(0);
    expect((await summariseThreads(root, files, first.cache)).read).toEqual([path]);
  });

  it('answers 1,000 unchanged threads from the cache without reading a file', async () => {
    const summary = await outcomeOf('one-turn');
    const files = new Map<string, FileStat>();
    const entries: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i += 1) {
      const id = `01a22b1e-0000-7000-8000-${String(i).padStart(12, '0')}`;
      const path = `sessions/2026/01/02/rollout-2026-01-02T03-04-05-${id}.jsonl`;
      files.set(path, { size: 9000 + i, mtimeMs: 1_700_000_000_000 + i });
      entries[path] = { size: 9000 + i, mtimeMs: 1_700_000_000_000 + i, form: 'jsonl', outcome: summary.kind === 'thread' ? { kind: 'thread', summary: { ...summary.summary, id } } : summary };
    }
    const cache = threadCacheFromJson(JSON.parse(JSON.stringify({ version: 1, entries })));
    expect(cache.size).toBe(1000);
    // The root does not exist: a single read would give an unreadable outcome.
    const result = await summariseThreads(join(tempDir(), 'no-such-home'), files, cache);
    expect(result.read).toEqual([]);
    expect(result.cache).toBe(cache);
    expect(result.summaries.size).toBe(1000);
    expect([...result.summaries.values()].every((outcome) => outcome.kind === 'thread')).toBe(true);
  });
});

describe('the thread cache as JSON', () => {
  it('goes through JSON and comes back the same', async () => {
    const { root, files } = home(['two-turns', 'compressed']);
    const { cache } = await summariseThreads(root, files, emptyThreadCache);
    const back = threadCacheFromJson(JSON.parse(JSON.stringify(threadCacheToJson(cache))));
    expect(back).toEqual(cache);
  });

  it('is empty when the value has another shape, and drops entries that are not valid', async () => {
    const summary = await outcomeOf('one-turn');
    const id = summary.kind === 'thread' ? summary.summary.id : '';
    const good = `sessions/2026/11/30/rollout-2026-11-30T06-22-56-${id}.jsonl`;
    const entry = { size: 10, mtimeMs: 20, form: 'jsonl', outcome: summary };
    for (const value of [null, [], 'x', { version: 2, entries: {} }, { version: 1, entries: [] }]) expect(threadCacheFromJson(value).size).toBe(0);
    const cache: ThreadCache = threadCacheFromJson({
      version: 1,
      entries: {
        [good]: entry,
        'history.jsonl': entry,
        [`sessions/2026/11/30/rollout-2026-11-30T06-22-56-01a22b1e-0000-7000-8000-000000000009.jsonl`]: entry,
        [`${good}.zst`]: entry,
        [good.replace('.jsonl', '-x.jsonl')]: entry,
        [`archived_sessions/rollout-2026-11-30T06-22-56-${id}.jsonl`]: { ...entry, size: -1 },
        [`archived_sessions/rollout-2026-11-30T06-22-57-${id}.jsonl`]: { ...entry, outcome: { kind: 'unreadable', reason: 'missing' } },
        [`archived_sessions/rollout-2026-11-30T06-22-58-${id}.jsonl`]: { ...entry, outcome: { kind: 'not-a-thread', reason: 'id-mismatch', fileId: id, metaId: id } },
      },
    });
    expect([...cache.keys()]).toEqual([good, `archived_sessions/rollout-2026-11-30T06-22-58-${id}.jsonl`]);
  });
});
