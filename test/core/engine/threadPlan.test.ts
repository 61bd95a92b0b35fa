import { copyFileSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planLines } from '../../../src/cli/print/plan.ts';
import { makePlan as plan, sync } from '../../../src/core/engine/index.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, type Workspace } from '../../helpers/workspace.ts';
import { recorded, type RecordedFolder } from '../threads/recorded.ts';

// Plans show threads, not rollout files: the recorded rollouts of real Codex 0.171, handed
// between two machines ("desk" wrote the cloud side), grouped by thread with title, project,
// and what happened to it.

const version = '0.171.0';

function place(root: string, folder: RecordedFolder, at?: string, mtime?: Date): string {
  const r = recorded(version, folder);
  const target = join(root, at ?? r.path);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(r.file, target);
  if (mtime !== undefined) utimesSync(target, mtime, mtime);
  return at ?? r.path;
}

async function synced(ws: Workspace, folder: RecordedFolder): Promise<void> {
  place(ws.home, folder, undefined, new Date('2026-11-29T10:00:00Z'));
  const result = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
  expect(result.exitCode).toBe(0);
}

describe('a plan in threads', () => {
  it('a thread continued on the other machine: its title, project and the turns it gained', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    await synced(ws, 'one-turn');
    place(ws.cloud, 'two-turns', undefined, new Date('2026-11-30T10:00:00Z'));
    await handOffAs(ws.cloud, 'desk');
    const result = await withEngine(ws, (ctx) => plan(ctx));
    const id = recorded(version, 'one-turn').id;
    expect(result.plan.threads).toEqual([
      expect.objectContaining({
        id,
        title: 'Add a health check endpoint to the server',
        project: '/tmp/codexsync-rollouts/0.171.0/project',
        kind: 'continued',
        from: 'cloud',
        machine: 'desk',
        turnsAdded: 1,
        cliVersion: '0.171.0',
      }),
    ]);
    const lines = planLines(result, { verbose: false, reportConflicts: true });
    expect(lines).toContain('Threads (1):');
    expect(lines).toContain('  Add a health check endpoint to the server (0.171.0/project): +1 turn from desk');
    // The rollout file is the detail, shown with -v.
    expect(lines.some((l) => l.includes('rollout-'))).toBe(false);
    expect(planLines(result, { verbose: true, reportConflicts: true }).some((l) => l.includes(`copy    <- cloud  ${recorded(version, 'one-turn').path}`))).toBe(true);
  });

  it('a new thread each way, named by its first prompt', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    place(ws.home, 'interactive');
    place(ws.cloud, 'uncompressed');
    await handOffAs(ws.cloud, 'desk');
    const lines = planLines(await withEngine(ws, (ctx) => plan(ctx)), { verbose: false, reportConflicts: true });
    expect(lines).toContain('  Explain the build script (0.171.0/project): new thread from this machine');
    expect(lines).toContain('  Summarise the open issues (0.171.0/project): new thread from desk');
  });

  it('a fork: the common part and what each machine added', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop', extra: '[conflict]\npolicy = "manual_abort"\n' });
    await synced(ws, 'two-turns');
    place(ws.home, 'fork-a', undefined, new Date('2026-11-30T10:00:00Z'));
    place(ws.cloud, 'fork-b', undefined, new Date('2026-11-30T11:00:00Z'));
    await handOffAs(ws.cloud, 'desk');
    const result = await withEngine(ws, (ctx) => plan(ctx));
    expect(result.plan.threads).toEqual([expect.objectContaining({ kind: 'forked', machine: 'desk', fork: { sharedTurns: 2, localTurns: 1, cloudTurns: 2 } })]);
    expect(planLines(result, { verbose: false, reportConflicts: true })).toContain('  Add a health check endpoint to the server (0.171.0/project): forked: desk added 2 turns, this machine 1');
  });

  it('a no-change plan reads no rollout: even one that cannot be read does not matter', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    await synced(ws, 'two-turns');
    // Same size and time, other bytes: only a plan that read it would notice.
    const file = join(ws.home, recorded(version, 'two-turns').path);
    const { mtime, size } = statSync(file);
    writeFileSync(file, Buffer.alloc(size, 0x20));
    utimesSync(file, mtime, mtime);
    const result = await withEngine(ws, (ctx) => plan(ctx));
    expect(result.plan.threads).toEqual([]);
    expect(result.plan.actions).toEqual([]);
  });
});

describe('a fork settled by a choice', () => {
  it('"keep mine": this machine\'s version continues under the thread\'s id; the other is kept on both sides under a fresh id, every mention of its id renamed, named for the machine it came from', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop', extra: '[conflict]\npolicy = "manual_abort"\n' });
    await synced(ws, 'two-turns');
    const path = place(ws.home, 'fork-a', undefined, new Date('2026-11-30T10:00:00Z'));
    place(ws.cloud, 'fork-b', undefined, new Date('2026-11-30T11:00:00Z'));
    await handOffAs(ws.cloud, 'desk');
    const stopped = await withEngine(ws, (ctx) => sync(ctx, { apply: true }));
    expect(stopped.exitCode).toBe(2);
    expect(stopped.plan.conflicts).toEqual([expect.objectContaining({ path, kind: 'fork', resolution: undefined })]);

    const result = await withEngine(ws, (ctx) => sync(ctx, { apply: true, choices: new Map([[path, 'keep-local']]) }));
    expect(result.exitCode).toBe(0);
    const mine = readFileSync(recorded(version, 'fork-a').file);
    const theirs = readFileSync(recorded(version, 'fork-b').file);
    expect(readFileSync(join(ws.home, path))).toEqual(mine);
    expect(readFileSync(join(ws.cloud, path))).toEqual(mine);
    const keep = result.plan.actions.find((a) => a.kind === 'keep');
    if (keep?.kind !== 'keep' || keep.rekey === undefined) throw new Error('no fork kept');
    expect(keep.path).toBe(path.replace(keep.rekey.from, keep.rekey.to));
    expect(keep.rekey.to).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const root of [ws.home, ws.cloud]) {
      // Every place the file names its thread names the fresh id (first line, events' thread_id and session_id); nothing else changed.
      const kept = readFileSync(join(root, keep.path));
      expect(kept.length).toBe(theirs.length);
      expect(kept.toString()).toBe(theirs.toString().replaceAll(keep.rekey.from, keep.rekey.to));
    }
    // The version kept is desk's, and is named for desk, though this machine's version is the one copied.
    expect(result.plan.threads).toEqual([expect.objectContaining({ kind: 'forked', from: 'cloud', machine: 'desk' })]);
  });
});
