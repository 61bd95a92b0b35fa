import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteThread, listThreads, PINNED_SECTION_ID, pinThread, readThread, resumeThread, setThreadName } from '../../src/core/codex/index.ts';
import { newThreadId, rekeyRollout } from '../../src/core/threads/index.ts';
import { copyRollout, machinesFor, place, readRollout, rolloutOf, withSession, type CodexMachine, type Machines, useFakeModel, value, texts } from '../helpers/codexMachines.ts';
import { addTurn, newThread } from '../helpers/codexThreads.ts';

// Two machines extended one thread differently. Both versions are kept on both machines: the
// winner under the thread's id, the other as a thread of its own with a fresh id, "(from
// laptop)". Shown with the real Codex CLI, both versions (docs/codex-app-server.md, "Forks").

const fakeModel = useFakeModel();

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Fork {
  id: string;
  rel: string;
  laptopVersion: Buffer;
  desktopVersion: Buffer;
}

describe.each(['pinned', 'newest'] as const)('Codex %s: a thread extended on two machines', (version) => {
  let machines: Machines;
  let laptop: CodexMachine;
  let desktop: CodexMachine;

  beforeAll(async () => {
    machines = machinesFor(version, fakeModel().url);
    laptop = machines.make('laptop');
    desktop = machines.make('desktop');
    await withSession(desktop, async (s) => value(await listThreads(s)));
  });
  afterAll(() => machines.remove());

  /** One thread, handed to the desktop and opened there, then extended differently on each machine. */
  async function diverge(prompts: [base: string, laptop: string, desktop: string]): Promise<Fork> {
    const id = await withSession(laptop, (s) => newThread(s, laptop.project, [prompts[0]]));
    const rel = rolloutOf(laptop.home, id);
    copyRollout(laptop, desktop, rel);
    await withSession(desktop, async (s) => {
      value(await readThread(s, id));
      value(await resumeThread(s, id));
      await addTurn(s, id, prompts[2]);
    });
    await withSession(laptop, async (s) => {
      value(await resumeThread(s, id));
      await addTurn(s, id, prompts[1]);
    });
    const fork = { id, rel, laptopVersion: readRollout(laptop, rel), desktopVersion: readRollout(desktop, rel) };
    expect(fork.laptopVersion.subarray(0, 200).equals(fork.desktopVersion.subarray(0, 200))).toBe(true);
    expect(fork.laptopVersion.includes(fork.desktopVersion) || fork.desktopVersion.includes(fork.laptopVersion)).toBe(false);
    return fork;
  }

  it("replacing a thread's rollout in place with the other version leaves Codex showing this machine's old turns", async () => {
    const fork = await diverge(['Sketch the API', 'Add paging (laptop)', 'Add auth (desktop)']);
    place(desktop, fork.rel, fork.laptopVersion);
    await withSession(desktop, async (s) => {
      expect(texts(value(await resumeThread(s, fork.id)))).toEqual(['Sketch the API', 'Add auth (desktop)']);
      expect(texts(value(await readThread(s, fork.id, { includeTurns: true })))).toEqual(['Sketch the API', 'Add auth (desktop)']);
    });
  });

  it('keeps both on both machines: the other version with a fresh id is a thread of its own, a resume writes nothing to it, and "keep theirs" is thread/delete, then the other version placed and read', async () => {
    const fork = await diverge(['Design the schema', 'Add a view (laptop)', 'Add an index (desktop)']);
    expect(fork.id).toMatch(uuidV7);
    const freshId = newThreadId();
    expect(freshId).toMatch(uuidV7);
    const rekeyed = rekeyRollout(fork.laptopVersion, basename(fork.rel), fork.id, freshId);
    if (!rekeyed.ok) throw new Error(rekeyed.why);
    const freshRel = join(dirname(fork.rel), rekeyed.name);
    // The first line and the events' thread_id and session_id name the fresh id; no other byte changed.
    expect(rekeyed.bytes.length).toBe(fork.laptopVersion.length);
    expect(rekeyed.bytes.toString('utf8').includes(fork.id)).toBe(false);
    expect(rekeyed.bytes.toString('utf8').split(freshId).join(fork.id)).toBe(fork.laptopVersion.toString('utf8'));
    const laptopTurns = ['Design the schema', 'Add a view (laptop)'];
    const desktopTurns = ['Design the schema', 'Add an index (desktop)'];

    // The desktop keeps its own version as the thread and adds the laptop's as a thread of its own.
    place(desktop, freshRel, rekeyed.bytes);
    await withSession(desktop, async (s) => {
      expect(value(await readThread(s, freshId))).toMatchObject({ id: freshId, path: join(desktop.home, freshRel), archived: false, preview: 'Design the schema' });
      value(await setThreadName(s, freshId, 'Design the schema (from laptop)'));
      expect(texts(value(await resumeThread(s, freshId)))).toEqual(laptopTurns);
      // Neither the read, the name nor the first resume wrote to it: its copies on both machines stay the same.
      expect(readRollout(desktop, freshRel).equals(rekeyed.bytes)).toBe(true);
      expect(texts(value(await readThread(s, freshId, { includeTurns: true })))).toEqual(laptopTurns);
      expect(texts(value(await resumeThread(s, fork.id)))).toEqual(desktopTurns);
      // It can be continued, in its own file.
      await addTurn(s, freshId, 'Continue the view (desktop)');
      expect(texts(value(await readThread(s, freshId, { includeTurns: true })))).toEqual([...laptopTurns, 'Continue the view (desktop)']);
      const listed = value(await listThreads(s));
      expect(listed.find((t) => t.id === freshId)?.name).toBe('Design the schema (from laptop)');
      expect(listed.map((t) => t.id)).toContain(fork.id);
    });
    expect(readRollout(desktop, fork.rel).equals(fork.desktopVersion)).toBe(true);
    expect(readRollout(desktop, freshRel).subarray(0, rekeyed.bytes.length).equals(rekeyed.bytes)).toBe(true);

    // The laptop, whose history projection holds its own turns, takes the desktop's version ("keep theirs")
    // and keeps its own as the same fresh thread. Its name and pin go with thread/delete and are set again.
    await withSession(laptop, async (s) => {
      value(await setThreadName(s, fork.id, 'Schema'));
      value(await pinThread(s, fork.id));
    });
    place(laptop, freshRel, rekeyed.bytes);
    await withSession(laptop, async (s) => {
      value(await readThread(s, freshId));
      value(await deleteThread(s, fork.id));
      expect(existsSync(join(laptop.home, fork.rel))).toBe(false);
      expect(readFileSync(join(laptop.home, 'session_index.jsonl'), 'utf8')).not.toContain(fork.id);
      expect(await readThread(s, fork.id)).toEqual({ ok: false, failure: { kind: 'rpc-error', method: 'thread/read', code: -32600, message: `thread not loaded: ${fork.id}` } });
    });
    place(laptop, fork.rel, fork.desktopVersion);
    await withSession(laptop, async (s) => {
      expect(value(await readThread(s, fork.id))).toMatchObject({ path: join(laptop.home, fork.rel), name: null, section: null });
      expect(texts(value(await resumeThread(s, fork.id)))).toEqual(desktopTurns);
      expect(texts(value(await readThread(s, fork.id, { includeTurns: true })))).toEqual(desktopTurns);
      value(await setThreadName(s, fork.id, 'Schema'));
      value(await pinThread(s, fork.id));
      expect(value(await readThread(s, fork.id)).section?.id).toBe(PINNED_SECTION_ID);
      expect(texts(value(await resumeThread(s, freshId)))).toEqual(laptopTurns);
      expect(readRollout(laptop, freshRel).equals(rekeyed.bytes)).toBe(true);
      await addTurn(s, fork.id, 'Ship it (laptop)');
      expect(texts(value(await readThread(s, fork.id, { includeTurns: true })))).toEqual([...desktopTurns, 'Ship it (laptop)']);
    });
    expect(readRollout(laptop, fork.rel).subarray(0, fork.desktopVersion.length).equals(fork.desktopVersion)).toBe(true);
  });
});
