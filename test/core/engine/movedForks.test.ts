import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlan as plan, sync } from '../../../src/core/engine/index.ts';
import { rekeyRollout } from '../../../src/core/threads/index.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, type Workspace } from '../../helpers/workspace.ts';
import { recorded, type RecordedFolder } from '../threads/recorded.ts';

// A thread each machine continued differently while one of them also archived it: a fork and a
// move at once. Continuing beats the move and no turn is lost: the continued version keeps the
// thread's id where it was, the archived one is kept archived as a thread of its own, and the
// thread is never left in two files. (With the real Codex: test/codex-e2e/movedForks.test.ts.)

const version = '0.171.0';
const live = recorded(version, 'two-turns').path;
const archived = `archived_sessions/${live.slice(live.lastIndexOf('/') + 1)}`;
const id = recorded(version, 'two-turns').id;

function place(root: string, folder: RecordedFolder, at: string, mtime: Date): void {
  const target = join(root, at);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(recorded(version, folder).file, target);
  utimesSync(target, mtime, mtime);
}

/** Every rollout below a root, path -> bytes. */
function rollouts(root: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const top of ['sessions', 'archived_sessions']) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (rel.endsWith('.jsonl')) found.set(`${top}/${rel}`, readFileSync(join(dir, rel)));
  }
  return found;
}

/** `folder`'s rollout under the fresh id `to`, as a fork's kept version is written. */
function rekeyed(folder: RecordedFolder, to: string): Buffer {
  const result = rekeyRollout(readFileSync(recorded(version, folder).file), live.slice(live.lastIndexOf('/') + 1), id, to);
  if (!result.ok) throw new Error('not a rollout');
  return result.bytes;
}

async function syncedOnce(extra = ''): Promise<Workspace> {
  const ws = workspace(tempDir(), { machine: 'laptop', extra });
  place(ws.home, 'two-turns', live, new Date('2026-11-29T10:00:00Z'));
  expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  return ws;
}

describe('a thread archived on the other machine and continued differently here', () => {
  it("this machine's version stays live under the thread's id; the other machine's is kept archived as a thread of its own; the thread is in one file", async () => {
    const ws = await syncedOnce();
    place(ws.home, 'fork-a', live, new Date('2026-11-30T10:00:00Z'));
    rmSync(join(ws.cloud, live));
    place(ws.cloud, 'fork-b', archived, new Date('2026-11-30T11:00:00Z'));
    await handOffAs(ws.cloud, 'desk');

    const result = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
    expect(result.exitCode).toBe(0);
    const keep = result.plan.actions.find((a) => a.kind === 'keep');
    if (keep?.kind !== 'keep' || keep.rekey === undefined) throw new Error('no version kept');
    expect(keep).toMatchObject({ of: archived, from: 'cloud', reason: 'fork-kept', rekey: { from: id } });
    expect(keep.path).toBe(archived.replace(id, keep.rekey.to));
    expect(result.plan.threads).toEqual([expect.objectContaining({ id, kind: 'forked' })]);
    const expected = new Map([
      [live, readFileSync(recorded(version, 'fork-a').file)],
      [keep.path, rekeyed('fork-b', keep.rekey.to)],
    ]);
    expect(rollouts(ws.home)).toEqual(expected);
    expect(rollouts(ws.cloud)).toEqual(expected);
    // A quiet run: nothing left to do.
    const again = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
    expect(again.plan.actions).toEqual([]);
  });
});

describe('a thread archived here and continued differently on the other machine', () => {
  it('with no Codex to drop this version, both places are left as they are and the plan says why', async () => {
    const ws = await syncedOnce();
    rmSync(join(ws.home, live));
    place(ws.home, 'fork-a', archived, new Date('2026-11-30T10:00:00Z'));
    place(ws.cloud, 'fork-b', live, new Date('2026-11-30T11:00:00Z'));
    await handOffAs(ws.cloud, 'desk');

    const before = { home: rollouts(ws.home), cloud: rollouts(ws.cloud) };
    const result = await withEngine(ws, (ctx) => plan(ctx));
    expect(result.plan.actions).toEqual([]);
    expect(result.plan.notices).toContainEqual({ code: 'thread-replace-waiting', thread: id, path: live });
    expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).plan.actions).toEqual([]);
    expect({ home: rollouts(ws.home), cloud: rollouts(ws.cloud) }).toEqual(before);
  });
});

describe('a fork kept by a run that was killed while writing it', () => {
  it('the next run finds the kept version half written (here, not in the cloud) and finishes it: exit 0, each file once', async () => {
    const ws = await syncedOnce('[conflict]\npolicy = "prefer_local"\n');
    place(ws.home, 'fork-a', live, new Date('2026-11-30T10:00:00Z'));
    place(ws.cloud, 'fork-b', live, new Date('2026-11-30T11:00:00Z'));
    await handOffAs(ws.cloud, 'desk');
    const planned = await withEngine(ws, (ctx) => plan(ctx));
    const keep = planned.plan.actions.find((a) => a.kind === 'keep');
    if (keep?.kind !== 'keep' || keep.rekey === undefined) throw new Error('no version kept');
    // What a run killed after its first write leaves: the kept version on this machine only.
    writeFileSync(join(ws.home, keep.path), rekeyed('fork-b', keep.rekey.to));

    const result = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
    expect(result.exitCode).toBe(0);
    expect(result.plan.actions.filter((a) => a.path === keep.path)).toEqual([expect.objectContaining({ kind: 'keep', targets: { local: expect.any(Object) } })]);
    const expected = new Map([
      [live, readFileSync(recorded(version, 'fork-a').file)],
      [keep.path, rekeyed('fork-b', keep.rekey.to)],
    ]);
    expect(rollouts(ws.home)).toEqual(expected);
    expect(rollouts(ws.cloud)).toEqual(expected);
  });
});
