import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listThreads, resumeThread, setThreadName } from '../../src/core/codex/index.ts';
import { makePlan, sync } from '../../src/core/engine/index.ts';
import type { ConflictChoice } from '../../src/core/plan/index.ts';
import { withSession, type Machines, useFakeModel, value, texts } from '../helpers/codexMachines.ts';
import { codexsync, continueThread, handOff, listed, pair, setPolicy, type Machine } from '../helpers/codexPair.ts';
import { newThread } from '../helpers/codexThreads.ts';
import { withEngine } from '../helpers/workspace.ts';

// One thread continued differently on two machines, again and again, handed over by the real
// `codexsync` with the real Codex CLI on each machine: settled by each conflict.policy that
// picks a side and by the choices the app sends. After each fork, each machine's Codex lists
// exactly the same threads (ids, names) and each shows exactly its own turns, also after a
// person opened every one of them on both machines; nothing forks that nobody continued.

const fakeModel = useFakeModel();

/** What a person sees of one thread in Codex's list: its name and, after a resume, its turns. */
interface Seen {
  id: string;
  name: string | null;
  turns: string[];
}

/** Every thread `m`'s Codex lists, each opened (resumed) as a person would, in one app-server. */
async function seen(m: Machine): Promise<Seen[]> {
  return withSession(m, async (s) => {
    const out: Seen[] = [];
    for (const t of value(await listThreads(s))) out.push({ id: t.id, name: t.name, turns: texts(value(await resumeThread(s, t.id, { includeTurns: true }))) });
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  });
}

/** The app's way to settle a fork: the plan a person reviewed, then a sync with their choice for its one conflict. */
async function choose(m: Machine, choice: ConflictChoice): Promise<void> {
  await withEngine(m, async (ctx) => {
    const reviewed = await makePlan(ctx);
    expect(reviewed.plan.conflicts.map((c) => [c.kind, c.resolution])).toEqual([['fork', undefined]]);
    const path = reviewed.plan.conflicts[0]?.path as string;
    const result = await sync(ctx, { apply: true, choices: new Map([[path, choice]]), expectPlanFingerprint: reviewed.fingerprint });
    expect([result.status, result.exitCode, result.apply?.failures]).toEqual(['applied', 0, []]);
  });
}

describe.each(['pinned', 'newest'] as const)('Codex %s on both machines: one thread forked four times', (version) => {
  const sets: Machines[] = [];
  let root: string;
  let laptop: Machine;
  let desk: Machine;
  let id: string;
  /** The thread list both machines must show, grown fork by fork. */
  const expected: Seen[] = [];
  const base = ['Plan the sync', 'Desk: list the folders'];

  /** Both machines list exactly `expected`, each thread with its own turns; then runs on both find no thread to hand over. */
  async function bothShowExpected(): Promise<void> {
    const want = [...expected].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const m of [laptop, desk]) expect(await seen(m), m.name).toEqual(want);
    // Opening every thread on both machines changed no rollout: no thread to hand over, no fork of a kept thread.
    for (const m of [laptop, desk]) expect(await handOff(m), m.name).not.toContain('Threads (');
  }

  /** Continues the thread on both machines (laptop first), then hands the laptop's version over. */
  async function fork(laptopPrompt: string, deskPrompt: string): Promise<void> {
    await continueThread(laptop, id, [laptopPrompt]);
    await continueThread(desk, id, [deskPrompt]);
    await handOff(laptop);
  }

  /** The version kept under a fresh id: the one new thread on `m` since `before`. */
  async function keptSince(m: Machine, before: readonly Seen[]): Promise<string> {
    const fresh = (await listed(m)).filter((t) => !before.some((b) => b.id === t.id) && t.id !== id);
    expect(fresh.length, m.name).toBe(1);
    return fresh[0]?.id as string;
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'codexsync-forks-'));
    ({ laptop, desk } = pair(root, fakeModel().url, [version, version], sets));
    // The app's engine runs in this process: it finds each machine's Codex by config, not by PATH.
    for (const m of [laptop, desk]) appendFileSync(m.config, `[codex]\nbinary = "${m.binary}"\n`);
    id = await withSession(laptop, (s) => newThread(s, laptop.project, ['Plan the sync']));
    await handOff(laptop);
    await handOff(desk);
    await continueThread(desk, id, ['Desk: list the folders']);
    await withSession(desk, async (s) => value(await setThreadName(s, id, 'Sync plan')));
    await handOff(desk);
    await handOff(laptop);
    expected.push({ id, name: 'Sync plan', turns: base });
  });
  afterAll(() => {
    for (const set of sets) set.remove();
    rmSync(root, { recursive: true, force: true });
  });

  it('prefer_local ("keep mine") on desk: desk\'s version keeps the id, the laptop\'s arrives as "Sync plan (from laptop)"', async () => {
    await fork('Laptop: copy by size', 'Desk: copy by hash');
    setPolicy(desk, 'prefer_local');
    expect(await handOff(desk)).toContain('Sync plan (laptop/project): forked: laptop added 1 turn, this machine 1');
    await handOff(laptop);
    const kept = await keptSince(desk, expected);
    expect(await keptSince(laptop, expected)).toBe(kept);
    expected[0] = { id, name: 'Sync plan', turns: [...base, 'Desk: copy by hash'] };
    expected.push({ id: kept, name: 'Sync plan (from laptop)', turns: [...base, 'Laptop: copy by size'] });
    await bothShowExpected();
  });

  it('a second fork of the same thread, prefer_newer_mtime on the laptop: the desk continued last and wins; no kept thread forks again', async () => {
    const before = [...expected];
    await continueThread(laptop, id, ['Laptop: retry twice']);
    await continueThread(desk, id, ['Desk: retry thrice']);
    await handOff(desk);
    setPolicy(laptop, 'prefer_newer_mtime');
    expect(await handOff(laptop)).toContain('Sync plan (laptop/project): forked: desk added 1 turn, this machine 1');
    await handOff(desk);
    const kept = await keptSince(laptop, before);
    expect(await keptSince(desk, before)).toBe(kept);
    const deskTurns = [...base, 'Desk: copy by hash'];
    expected[0] = { id, name: 'Sync plan', turns: [...deskTurns, 'Desk: retry thrice'] };
    expected.push({ id: kept, name: 'Sync plan (from laptop)', turns: [...deskTurns, 'Laptop: retry twice'] });
    await bothShowExpected();
    for (const t of expected) expect(t.name).not.toContain(') (from');
  });

  it('the app\'s choices on desk under manual_abort: "keep-local", then "take-cloud"', async () => {
    setPolicy(desk, 'manual_abort');
    const before = [...expected];
    const deskTurns = expected[0]?.turns as string[];
    await fork('Laptop: log it', 'Desk: count it');
    expect((await codexsync(desk, ['sync', '--apply'])).code).toBe(2);
    await choose(desk, 'keep-local');
    await handOff(laptop);
    const keptMine = await keptSince(desk, before);
    expected[0] = { id, name: 'Sync plan', turns: [...deskTurns, 'Desk: count it'] };
    expected.push({ id: keptMine, name: 'Sync plan (from laptop)', turns: [...deskTurns, 'Laptop: log it'] });
    await bothShowExpected();

    const beforeTheirs = [...expected];
    const agreed = (expected[0] as Seen).turns;
    await fork('Laptop: ship it', 'Desk: wait a day');
    await choose(desk, 'take-cloud');
    await handOff(laptop);
    const keptTheirs = await keptSince(laptop, beforeTheirs);
    expected[0] = { id, name: 'Sync plan', turns: [...agreed, 'Laptop: ship it'] };
    expected.push({ id: keptTheirs, name: 'Sync plan (from desk)', turns: [...agreed, 'Desk: wait a day'] });
    await bothShowExpected();
  });
});
