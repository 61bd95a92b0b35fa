import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityTimeline, restore, snapshotThreads, sync } from '../../../src/core/engine/index.ts';
import type { EngineContext } from '../../../src/core/engine/index.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { madeUpId, rekeyed } from '../../helpers/rollouts.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

// This machine ("laptop") takes desk's work twice; each take backs up what it replaced. The
// snapshots then answer "which versions of this thread do I have", "restore that one", "put
// everything back as it was at ten", and the Activity window's timeline.

const noAnswer = { confirmTermination: async () => false };
// Hours before the test runs: the other machine's records (handOffAs) carry the real time, the newest.
const hour = 3_600_000;
const start = Math.floor(Date.now() / hour) * hour;
const t0 = new Date(start - 4 * hour);
const t1 = new Date(start - 3 * hour);
const t2 = new Date(start - 2 * hour);
const t3 = new Date(start - hour);
const thread = madeUpId(41);
const skill = 'skills/review/SKILL.md';

async function run<T>(ws: Workspace, at: Date, work: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const ctx = engineContext(ws.config, noAnswer);
  ctx.now = () => at;
  try {
    return await work(ctx);
  } finally {
    await ctx.log.close();
  }
}

/** Snapshot at t1: skill v1 and the thread's one-turn version; at t2: skill v2. Now: skill v3, the thread with two turns. */
async function twoTakes(): Promise<{ ws: Workspace; rollout: string; one: Buffer; two: Buffer; snapshots: [string, string] }> {
  const ws = workspace(tempDir(), { machine: 'laptop' });
  const one = rekeyed('one-turn', thread);
  const two = rekeyed('two-turns', thread);
  writeFile(ws.home, skill, 'v1\n', t0);
  writeFile(ws.home, one.path, one.bytes, t0);
  expect((await run(ws, t0, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  writeFile(ws.cloud, skill, 'v2\n', t1);
  writeFile(ws.cloud, two.path, two.bytes, t1);
  await handOffAs(ws.cloud, 'desk');
  const first = await run(ws, t1, (ctx) => sync(ctx, { apply: true }));
  writeFile(ws.cloud, skill, 'v3\n', t2);
  await handOffAs(ws.cloud, 'desk');
  const second = await run(ws, t2, (ctx) => sync(ctx, { apply: true }));
  expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
  expect(readFileSync(join(ws.home, skill), 'utf8')).toBe('v3\n');
  return { ws, rollout: one.path, one: one.bytes, two: two.bytes, snapshots: [first.snapshot as string, second.snapshot as string] };
}

describe('restore by thread: a thread and its versions across snapshots', () => {
  it('lists the thread with each stored version: snapshot, time, machine, size and turns', async () => {
    const { ws, rollout, one, snapshots } = await twoTakes();
    const threads = await run(ws, t2, (ctx) => snapshotThreads(ctx));
    expect(threads).toEqual([
      {
        id: thread,
        title: expect.any(String),
        versions: [{ snapshot: snapshots[0], createdAt: t1.toISOString(), machine: 'laptop', side: 'local', path: rollout, size: one.length, turnCount: 1, lastActivityAt: expect.any(String) }],
      },
    ]);
    expect(threads[0]?.title).not.toBe('');
  });

  it('restores one version of the thread only, backing up the version it replaces', async () => {
    const { ws, rollout, one, two, snapshots } = await twoTakes();
    const result = await run(ws, t2, (ctx) => restore(ctx, { from: snapshots[0], target: 'local', apply: true, paths: [rollout] }));
    expect(result.exitCode).toBe(0);
    expect(result.plan.items.map((item) => [item.path, item.action])).toEqual([[rollout, 'restore']]);
    expect(readFileSync(join(ws.home, rollout))).toEqual(one);
    // The skill of that snapshot stays as it is now.
    expect(readFileSync(join(ws.home, skill), 'utf8')).toBe('v3\n');
    expect(readFileSync(join(ws.backups, result.backup as string, 'local', rollout))).toEqual(two);
  });
});

describe('restore everything as it was at a time', () => {
  it('takes each file from the newest snapshot at or before the time', async () => {
    const { ws, rollout, one, snapshots } = await twoTakes();
    const between = await run(ws, t2, (ctx) => restore(ctx, { from: undefined, target: 'local', apply: false, at: new Date(t1.getTime() + hour / 2) }));
    expect(between.plan.items.map((item) => [item.path, item.action])).toEqual([
      [rollout, 'restore'],
      [skill, 'restore'],
    ]);
    expect(between.sources).toEqual(
      new Map([
        [skill, snapshots[0]],
        [rollout, snapshots[0]],
      ]),
    );
    const later = await run(ws, t2, (ctx) => restore(ctx, { from: undefined, target: 'local', apply: true, at: t2 }));
    expect(later.exitCode).toBe(0);
    expect(later.sources).toEqual(
      new Map([
        [skill, snapshots[1]],
        [rollout, snapshots[0]],
      ]),
    );
    expect(later.report).toEqual({ restored: 2, failures: [] });
    expect(readFileSync(join(ws.home, skill), 'utf8')).toBe('v2\n');
    expect(readFileSync(join(ws.home, rollout))).toEqual(one);
    expect(readFileSync(join(ws.backups, later.backup as string, 'local', skill), 'utf8')).toBe('v3\n');
  });

  it('stops with no-snapshot-before (exit 1), writing nothing, before the first snapshot', async () => {
    const { ws } = await twoTakes();
    await expect(run(ws, t2, (ctx) => restore(ctx, { from: undefined, target: 'local', apply: true, at: t0 }))).rejects.toMatchObject({
      exitCode: 1,
      problem: { code: 'no-snapshot-before', machineId: 'laptop', at: t0.toISOString(), ignored: [] },
    });
    expect(readFileSync(join(ws.home, skill), 'utf8')).toBe('v3\n');
  });
});

describe('the Activity timeline', () => {
  it('shows each machine’s newest hand-off with the threads it changed, the snapshot this machine’s made, and its snapshots', async () => {
    const { ws, snapshots } = await twoTakes();
    // This machine goes on and hands off: its push backs up the cloud's version first.
    writeFile(ws.home, skill, 'v4\n', t3);
    const pushed = await run(ws, t3, (ctx) => sync(ctx, { apply: true }));
    expect(pushed.exitCode).toBe(0);
    const timeline = await run(ws, t3, (ctx) => activityTimeline(ctx));
    expect(timeline.unreadable).toEqual([]);
    const shape = timeline.entries.map((e) =>
      e.kind === 'handoff'
        ? { kind: e.kind, machine: e.machine, mine: e.mine, changed: e.changed, threads: e.threads.map((t) => t.id), snapshot: e.snapshot }
        : { kind: e.kind, snapshot: e.snapshot, files: e.files, threads: e.threads.map((t) => t.id) },
    );
    expect(shape).toEqual([
      { kind: 'handoff', machine: 'desk', mine: false, changed: 2, threads: [thread], snapshot: undefined },
      { kind: 'handoff', machine: 'laptop', mine: true, changed: 2, threads: [thread], snapshot: pushed.snapshot },
      { kind: 'backup', snapshot: pushed.snapshot, files: 1, threads: [] },
      { kind: 'backup', snapshot: snapshots[1], files: 1, threads: [] },
      { kind: 'backup', snapshot: snapshots[0], files: 2, threads: [thread] },
    ]);
    const desk = timeline.entries[0];
    expect(desk?.kind === 'handoff' && desk.threads[0]?.title).toBeTruthy();
    // The thread as the hand-off left it in the cloud folder: its two turns.
    expect(desk?.kind === 'handoff' && desk.threads[0]?.turns).toBe(2);
  });
});
