import { describe, expect, it } from 'vitest';
import { sync, threadDetail, threadList } from '../../../src/core/engine/index.ts';
import { CodexSyncError } from '../../../src/core/errors.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { madeUpId, nameLine, rekeyed } from '../../helpers/rollouts.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';
import type { RecordedFolder } from '../threads/recorded.ts';

// The Threads window's listing: every thread of this machine ("laptop") and the cloud folder
// (handed off by "desk"), each a recorded rollout of real Codex 0.171 under an id of its own,
// with where it stands.

const before = new Date('2026-11-29T10:00:00Z');
const after = new Date('2026-11-30T10:00:00Z');

function put(root: string, folder: RecordedFolder, id: string, mtime: Date, archived = false): string {
  const thread = rekeyed(folder, id, { archived });
  writeFile(root, thread.path, thread.bytes, mtime);
  return thread.path;
}

const ids = {
  continuedThere: madeUpId(1),
  inSync: madeUpId(2),
  onlyHere: madeUpId(3),
  onlyThere: madeUpId(4),
  forked: madeUpId(5),
  continuedHere: madeUpId(6),
  archived: madeUpId(7),
};

/** Seven threads, one in each standing: four handed off once, then changed on either side. */
async function sevenThreads(ws: Workspace): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  paths.continuedThere = put(ws.home, 'one-turn', ids.continuedThere, before);
  paths.inSync = put(ws.home, 'uncompressed', ids.inSync, before);
  paths.forked = put(ws.home, 'two-turns', ids.forked, before);
  paths.continuedHere = put(ws.home, 'one-turn', ids.continuedHere, before);
  writeFile(ws.home, 'session_index.jsonl', nameLine(ids.inSync, 'Open issues, summarised'));
  expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  // desk went on with one thread, started another, and forked a third; this machine went on with one and started two.
  put(ws.cloud, 'two-turns', ids.continuedThere, after);
  paths.onlyThere = put(ws.cloud, 'interactive', ids.onlyThere, after);
  put(ws.cloud, 'fork-b', ids.forked, after);
  await handOffAs(ws.cloud, 'desk');
  put(ws.home, 'fork-a', ids.forked, after);
  put(ws.home, 'two-turns', ids.continuedHere, after);
  paths.onlyHere = put(ws.home, 'interactive', ids.onlyHere, after);
  paths.archived = put(ws.home, 'uncompressed', ids.archived, before, true);
  return paths;
}

describe('the Threads window: every thread and where it stands', () => {
  it('lists each thread of both sides once, with title, project, standing, the other machine and the turns it added', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop', extra: '[conflict]\npolicy = "manual_abort"\n' });
    const paths = await sevenThreads(ws);
    const listing = await withEngine(ws, (ctx) => threadList(ctx));
    const project = '/tmp/codexsync-rollouts/0.171.0/project';
    const byId = new Map(listing.threads.map((t) => [t.id, t]));
    expect(listing.threads).toHaveLength(7);
    expect(byId.get(ids.continuedThere)).toMatchObject({
      title: 'Add a health check endpoint to the server',
      project,
      cliVersion: '0.171.0',
      standing: 'newer-cloud',
      change: 'continued',
      machine: 'desk',
      turnsAdded: 1,
      archived: false,
      files: { local: [paths.continuedThere], cloud: [paths.continuedThere] },
    });
    expect(byId.get(ids.inSync)).toMatchObject({ title: 'Open issues, summarised', project, standing: 'in-sync', change: undefined, archived: false });
    expect(byId.get(ids.onlyHere)).toMatchObject({ title: 'Explain the build script', standing: 'local-only', change: 'new', files: { local: [paths.onlyHere], cloud: [] } });
    expect(byId.get(ids.onlyThere)).toMatchObject({ title: 'Explain the build script', standing: 'cloud-only', machine: 'desk', files: { local: [], cloud: [paths.onlyThere] } });
    expect(byId.get(ids.forked)).toMatchObject({ standing: 'forked', machine: 'desk', fork: { sharedTurns: 2, localTurns: 1, cloudTurns: 2 } });
    expect(byId.get(ids.continuedHere)).toMatchObject({ standing: 'newer-local', change: 'continued', turnsAdded: 1 });
    expect(byId.get(ids.archived)).toMatchObject({ title: 'Summarise the open issues', standing: 'local-only', archived: true, files: { local: [paths.archived], cloud: [] } });
    // Newest activity first: the two threads nobody touched since the first hand-off come last.
    expect(listing.threads.slice(-2).map((t) => [t.id, t.lastActivityMs])).toEqual([
      [ids.inSync, before.getTime()],
      [ids.archived, before.getTime()],
    ]);
    expect(listing.threads[0]?.lastActivityMs).toBe(after.getTime());
  });

  it("a thread's detail: every turn once, marked where it is, and the files of both sides", async () => {
    const ws = workspace(tempDir(), { machine: 'laptop', extra: '[conflict]\npolicy = "manual_abort"\n' });
    const paths = await sevenThreads(ws);
    const forked = await withEngine(ws, (ctx) => threadDetail(ctx, ids.forked));
    expect(forked.comparison).toBe('fork');
    expect(forked.machine).toBe('desk');
    expect(forked.turns.map((t) => [t.on, t.prompt])).toEqual([
      ['both', 'Add a health check endpoint to the server'],
      ['both', 'Now write a test for it'],
      ['local', 'Fork A: serve it on port 8080'],
      ['cloud', 'Fork B: log every request'],
      ['cloud', 'Fork B: and count them'],
    ]);
    expect(forked.turns.every((t) => t.startedAt?.startsWith('2026-11-30T') === true)).toBe(true);
    expect(forked.sides.local.files.map((f) => f.path)).toEqual([paths.forked]);
    expect(forked.sides.cloud.files.map((f) => f.path)).toEqual([paths.forked]);
    expect(forked.sides.local.summary?.turnCount).toBe(3);

    const continued = await withEngine(ws, (ctx) => threadDetail(ctx, ids.continuedThere));
    expect(continued.comparison).toBe('extension');
    expect(continued.turns.map((t) => t.on)).toEqual(['both', 'cloud']);

    const archived = await withEngine(ws, (ctx) => threadDetail(ctx, ids.archived));
    expect(archived.comparison).toBeUndefined();
    expect(archived.turns.map((t) => [t.on, t.prompt])).toEqual([['local', 'Summarise the open issues']]);
    expect(archived.sides.local.files.map((f) => f.path)).toEqual([paths.archived]);
    expect(archived.sides.cloud.files).toEqual([]);
  });

  it('a thread on neither side is a thread-unknown problem (exit 4)', async () => {
    const ws = workspace(tempDir(), { machine: 'laptop' });
    put(ws.home, 'one-turn', madeUpId(1), before);
    for (const id of [madeUpId(9), 'not-a-thread-id']) {
      const error = await withEngine(ws, (ctx) => threadDetail(ctx, id)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodexSyncError);
      expect((error as CodexSyncError).exitCode).toBe(4);
      expect((error as CodexSyncError).problem).toEqual({ code: 'thread-unknown', id });
    }
  });
});
