import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveThread, unarchiveThread } from '../../src/core/codex/index.ts';
import { catalogueRow, continueThread, handOff, listed, pair, shown, type Machine } from '../helpers/codexPair.ts';
import { rolloutOf, texts, useFakeModel, value, withSession, type Machines } from '../helpers/codexMachines.ts';
import { newThread } from '../helpers/codexThreads.ts';

// A thread both machines continued, one of them then archiving it: a fork and a move at once,
// with the real Codex on each machine. Whichever machine hands off first, both end with the
// same two threads: the version continued without the archive stays live under the thread's
// id, and the archived version is kept archived as a thread of its own, named after the
// machine it came from. Neither machine keeps the thread in two files.

const fakeModel = useFakeModel();

describe.each([
  ['the desk hands off first', 'desk'],
  ['the laptop hands off first', 'laptop'],
] as const)('continued on both machines, archived on the desk: %s', (_title, first) => {
  const sets: Machines[] = [];
  let root: string;
  let laptop: Machine;
  let desk: Machine;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'codexsync-moved-forks-'));
    ({ laptop, desk } = pair(root, fakeModel().url, first === 'desk' ? ['pinned', 'newest'] : ['newest', 'pinned'], sets));
  });
  afterAll(() => {
    for (const set of sets) set.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('the live version keeps the id on both machines; the archived one is kept archived as "<title> (from desk)"', async () => {
    const id = await withSession(laptop, (s) => newThread(s, laptop.project, ['Plan the upload retries']));
    await handOff(laptop);
    await handOff(desk);
    await continueThread(laptop, id, ['Laptop: add jitter']);
    await continueThread(desk, id, ['Desk: use a queue']);
    await withSession(desk, async (s) => value(await archiveThread(s, id)));

    const [one, other] = first === 'desk' ? [desk, laptop] : [laptop, desk];
    await handOff(one);
    await handOff(other);
    await handOff(one);

    for (const m of [laptop, desk]) {
      expect(texts(await shown(m, id)), m.name).toEqual(['Plan the upload retries', 'Laptop: add jitter']);
      expect(catalogueRow(m, id), m.name).toEqual({ rollout_path: join(m.home, rolloutOf(m.home, id)), archived: 0 });
      const threads = await listed(m);
      expect(threads, m.name).toHaveLength(2);
      expect(
        threads.find((t) => t.id !== id),
        `${m.name} lists the desk's version`,
      ).toMatchObject({ name: 'Plan the upload retries (from desk)', archived: true });
    }
    const kept = (await listed(desk)).find((t) => t.id !== id)?.id as string;
    expect(rolloutOf(desk.home, kept)).toMatch(/^archived_sessions\//);
    expect(rolloutOf(laptop.home, kept)).toBe(rolloutOf(desk.home, kept));
    expect(rolloutOf(desk.home, id)).toBe(rolloutOf(laptop.home, id));
    // Codex wrote each machine's name of the kept thread into session_index.jsonl: its lines are merged once more, then nothing is left to do.
    await handOff(laptop);
    await handOff(desk);
    await handOff(laptop);
    expect(await handOff(desk)).toContain('Already in sync.');
    expect(await handOff(laptop)).toContain('Already in sync.');
    // Brought back from the archive, the kept thread shows the desk's turns, on either machine.
    for (const m of [laptop, desk]) {
      await withSession(m, async (s) => value(await unarchiveThread(s, kept)));
      expect(texts(await shown(m, kept)), m.name).toEqual(['Plan the upload retries', 'Desk: use a queue']);
    }
  });
});
