import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archiveThread,
  listSections,
  listThreads,
  locateCodex,
  openAppServer,
  PINNED_SECTION_ID,
  pinThread,
  readThread,
  resumeThread,
  setThreadName,
  unarchiveThread,
  unlisted,
  unpinThread,
} from '../../src/core/codex/index.ts';
import { newThreadId, rekeyRollout } from '../../src/core/threads/index.ts';
import { isAlive } from '../../src/core/codex/process.ts';
import {
  copyRollout,
  machinesFor,
  place,
  readRollout,
  rolloutOf,
  session,
  withSession,
  type CodexMachine,
  type Machines,
  useFakeModel,
  value,
  texts,
  interruptImport,
} from '../helpers/codexMachines.ts';
import { addTurn, newThread } from '../helpers/codexThreads.ts';
import { codexEnv } from '../helpers/realCodex.ts';

// codexSync's app-server client and thread calls against the real Codex CLI, both versions:
// what docs/codex-app-server.md states about registration, listing, archive, names, sections,
// project folders and an interrupted import is shown here.

const fakeModel = useFakeModel();

describe.each(['pinned', 'newest'] as const)('Codex %s, through its stdio app-server', (version) => {
  let machines: Machines;
  let laptop: CodexMachine;
  let desktop: CodexMachine;

  beforeAll(async () => {
    machines = machinesFor(version, fakeModel().url);
    laptop = machines.make('laptop');
    desktop = machines.make('desktop');
    // The desktop has run Codex before: its one-time import of rollout files is complete.
    await withSession(desktop, async (s) => value(await listThreads(s)));
  });
  afterAll(() => machines.remove());

  it('is found on PATH, runs on its own without the managed daemon, serves the home it was given, and ends by its PID', async () => {
    expect(locateCodex({ configured: undefined, env: { platform: 'linux', home: machines.root, vars: { PATH: dirname(laptop.binary) } } })).toEqual({
      kind: 'found',
      path: laptop.binary,
      how: 'path',
    });
    const server = await session(laptop);
    expect(server.server).toMatchObject({ version: version === 'pinned' ? '0.169.0' : '0.171.0', codexHome: laptop.home, platformOs: 'linux' });
    expect(isAlive(server.pid)).toBe(true);
    expect(await server.close()).toEqual({ pid: server.pid, how: 'input-closed', gone: true, daemonsEnded: [] });
    expect(isAlive(server.pid)).toBe(false);
    expect(existsSync(join(laptop.home, 'app-server-daemon'))).toBe(false);
  });

  it("registers arrived threads at this machine's paths: thread/read adds a rollout placed in sessions/, and one placed in archived_sessions/ as archived", async () => {
    const [kept, archived] = await withSession(laptop, async (s) => {
      const ids = [await newThread(s, laptop.project, ['Fix the login bug', 'Add a test']), await newThread(s, laptop.project, ['An old idea'])];
      value(await setThreadName(s, ids[0] as string, 'Login fix'));
      value(await archiveThread(s, ids[1] as string));
      return ids as [string, string];
    });
    const keptRel = rolloutOf(laptop.home, kept);
    const archivedRel = rolloutOf(laptop.home, archived);
    expect(archivedRel).toMatch(/^archived_sessions\/rollout-[^/]+\.jsonl$/);
    copyRollout(laptop, desktop, keptRel);
    copyRollout(laptop, desktop, archivedRel);
    place(desktop, 'session_index.jsonl', readRollout(laptop, 'session_index.jsonl'));
    const before = readRollout(desktop, keptRel);

    await withSession(desktop, async (s) => {
      const read = value(await readThread(s, kept, { includeTurns: true }));
      // The name does not travel: not in the rollout, and a session_index.jsonl line from elsewhere is not read.
      expect(read).toMatchObject({ path: join(desktop.home, keptRel), archived: false, cwd: laptop.project, name: null, preview: 'Fix the login bug', turns: [] });
      expect(value(await readThread(s, archived))).toMatchObject({ path: join(desktop.home, archivedRel), archived: true });
      expect(
        unlisted(value(await listThreads(s)), [
          { id: kept, archived: false },
          { id: archived, archived: true },
        ]),
      ).toEqual({ missing: [], misfiled: [] });
      // This machine's history projection is made at the first resume, which writes nothing to the rollout.
      expect(texts(value(await resumeThread(s, kept)))).toEqual(['Fix the login bug', 'Add a test']);
      expect(texts(value(await readThread(s, kept, { includeTurns: true })))).toEqual(['Fix the login bug', 'Add a test']);
    });
    expect(readRollout(desktop, keptRel).equals(before)).toBe(true);
  });

  it('lists `codex exec` threads only when thread/list asks for every source kind', async () => {
    const id = await withSession(laptop, (s) => newThread(s, laptop.project, ['Run the nightly check']));
    const rel = rolloutOf(laptop.home, id);
    const execId = newThreadId();
    const rekeyed = rekeyRollout(readRollout(laptop, rel), rel.split('/').pop() as string, id, execId);
    if (!rekeyed.ok) throw new Error(rekeyed.why);
    const end = rekeyed.bytes.indexOf(0x0a);
    const first = rekeyed.bytes.subarray(0, end).toString('utf8').replace('"source":"vscode"', '"source":"exec"');
    place(desktop, join(dirname(rel), rekeyed.name), Buffer.concat([Buffer.from(first), rekeyed.bytes.subarray(end)]));
    await withSession(desktop, async (s) => {
      expect(value(await readThread(s, execId)).source).toBe('exec');
      expect(value(await listThreads(s)).map((t) => t.id)).toContain(execId);
      const plain = value(await s.request('thread/list', {}, z.object({ data: z.array(z.object({ id: z.string() })) })));
      expect(plain.data.map((t) => t.id)).not.toContain(execId);
    });
  });

  it('archives and unarchives through Codex after the other machine extended the thread: the file updated where this machine has it, then the call', async () => {
    const id = await withSession(laptop, (s) => newThread(s, laptop.project, ['Plan the release']));
    const activeRel = rolloutOf(laptop.home, id);
    const archivedRel = `archived_sessions/${activeRel.split('/').pop() as string}`;
    copyRollout(laptop, desktop, activeRel);
    await withSession(desktop, async (s) => value(await resumeThread(s, id)));

    // The laptop continues the thread, then archives it.
    const archivedOnLaptop = await withSession(laptop, async (s) => {
      value(await resumeThread(s, id));
      await addTurn(s, id, 'Write the notes (laptop)');
      value(await archiveThread(s, id));
      return readRollout(laptop, archivedRel);
    });
    place(desktop, activeRel, archivedOnLaptop);
    await withSession(desktop, async (s) => {
      value(await archiveThread(s, id));
      // Neither call is idempotent: each refuses a thread already where it would put it.
      expect(await archiveThread(s, id)).toEqual({ ok: false, failure: { kind: 'rpc-error', method: 'thread/archive', code: -32600, message: `no rollout found for thread id ${id}` } });
      expect(readRollout(desktop, archivedRel).equals(archivedOnLaptop)).toBe(true);
      expect(existsSync(join(desktop.home, activeRel))).toBe(false);
      expect(value(await listThreads(s)).find((t) => t.id === id)).toMatchObject({ archived: true, path: join(desktop.home, archivedRel) });
    });

    // The laptop takes it out of the archive and continues it.
    const activeOnLaptop = await withSession(laptop, async (s) => {
      value(await unarchiveThread(s, id));
      value(await resumeThread(s, id));
      await addTurn(s, id, 'Publish (laptop)');
      return readRollout(laptop, activeRel);
    });
    place(desktop, archivedRel, activeOnLaptop);
    await withSession(desktop, async (s) => {
      expect(value(await unarchiveThread(s, id))).toMatchObject({ path: join(desktop.home, activeRel), archived: false });
      expect(await unarchiveThread(s, id)).toEqual({
        ok: false,
        failure: { kind: 'rpc-error', method: 'thread/unarchive', code: -32600, message: `no archived rollout found for thread id ${id}` },
      });
      expect(readRollout(desktop, activeRel).equals(activeOnLaptop)).toBe(true);
      expect(texts(value(await resumeThread(s, id)))).toEqual(['Plan the release', 'Write the notes (laptop)', 'Publish (laptop)']);
    });
  });

  it('names and pins a thread through Codex; the Pinned section has the same id on every machine', async () => {
    const pinned = { id: PINNED_SECTION_ID, name: 'Pinned' };
    await withSession(desktop, async (s) => expect(value(await listSections(s))).toContainEqual(pinned));
    await withSession(laptop, async (s) => {
      expect(value(await listSections(s))).toContainEqual(pinned);
      const id = await newThread(s, laptop.project, ['Draft the roadmap']);
      value(await setThreadName(s, id, 'Roadmap 2027'));
      expect(value(await readThread(s, id)).name).toBe('Roadmap 2027');
      const index = readFileSync(join(laptop.home, 'session_index.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(index).toContainEqual(expect.objectContaining({ id, thread_name: 'Roadmap 2027' }));
      expect(await setThreadName(s, id, '')).toEqual({ ok: false, failure: { kind: 'rpc-error', method: 'thread/name/set', code: -32600, message: 'thread name must not be empty' } });

      value(await pinThread(s, id));
      expect(value(await readThread(s, id)).section).toEqual(pinned);
      expect(value(await listThreads(s)).find((t) => t.id === id)?.section).toEqual(pinned);
      value(await unpinThread(s, id));
      expect(value(await readThread(s, id)).section).toBeNull();
    });
  });

  it("sets no thread's project folder: thread/metadata/update takes no cwd, and a resume with another cwd writes to the rollout (a list of every provider then shows the new cwd)", async () => {
    const id = await withSession(laptop, (s) => newThread(s, laptop.project, ['Tidy the imports']));
    const rel = rolloutOf(laptop.home, id);
    copyRollout(laptop, desktop, rel);
    const before = readRollout(desktop, rel);
    await withSession(desktop, async (s) => {
      value(await readThread(s, id));
      expect(await s.request('thread/metadata/update', { threadId: id, cwd: desktop.project }, z.object({}))).toEqual({
        ok: false,
        failure: { kind: 'rpc-error', method: 'thread/metadata/update', code: -32600, message: 'thread metadata update must include at least one field' },
      });
      const resumed = value(await s.request('thread/resume', { threadId: id, cwd: desktop.project, excludeTurns: true }, z.object({ thread: z.object({ cwd: z.string() }) })));
      expect(resumed.thread.cwd).toBe(desktop.project);
    });
    const after = readRollout(desktop, rel);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    const added = after
      .subarray(before.length)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { payload: { type: string } });
    expect(added.map((l) => l.payload.type)).toEqual(['thread_settings_applied']);
    // Listed with every model provider (modelProviders: []), a thread shows the catalogue's cwd: the resume's.
    await withSession(desktop, async (s) => expect(value(await listThreads(s)).find((t) => t.id === id)?.cwd).toBe(desktop.project));
  });

  it('reports a Codex killed during its start-up import as backfill-running, at once', async () => {
    const killed = machines.make('killed');
    await interruptImport(killed);

    // Codex on its own waits 30 seconds for the import, then gives up with exit 1 (and so does every start, until the lease runs out).
    const waiting = spawn(killed.binary, ['app-server'], { env: codexEnv(killed.home), stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    waiting.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const gaveUp = new Promise<number | null>((done) => waiting.on('exit', (code) => done(code)));

    const started = Date.now();
    const opened = await openAppServer({ binary: killed.binary, codexHome: killed.home, env: codexEnv(killed.home), clientVersion: '0.0.0-test', closeGraceMs: 1000 });
    expect(opened).toEqual({ ok: false, failure: { kind: 'backfill-running', codexHome: killed.home, stderr: expect.stringContaining(`state db backfill is running at ${killed.home}`) } });
    expect(Date.now() - started).toBeLessThan(10_000);

    expect(await gaveUp).toBe(1);
    expect(stderr).toContain(`Error: failed to initialize sqlite state runtime under ${killed.home}: timed out waiting for state db backfill at ${killed.home} after 30s (status: running)`);
  });
});
