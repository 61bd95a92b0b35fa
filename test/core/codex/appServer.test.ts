import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveThread, deleteThread, listThreads, openAppServer, readThread, setThreadName, unarchiveThread, type AppServer, type AppServerOptions } from '../../../src/core/codex/index.ts';
import { isAlive } from '../../../src/core/codex/process.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { fakeAppServer } from './fakeAppServer.ts';

// The client against a real program that misbehaves on purpose (see fakeAppServer.ts).

interface Fake {
  options: AppServerOptions;
  home: string;
  log: () => Array<Record<string, unknown>>;
}

function fake(mode: string, extra: Partial<AppServerOptions> = {}): Fake {
  const dir = tempDir('codexsync-appserver');
  const home = join(dir, 'home');
  mkdirSync(home);
  const logFile = join(dir, 'log.jsonl');
  return {
    home,
    options: { binary: fakeAppServer(dir), codexHome: home, clientVersion: '1.0.0', closeGraceMs: 500, env: { ...process.env, FAKE_MODE: mode, FAKE_LOG: logFile }, ...extra },
    log: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [],
  };
}

async function open(f: Fake): Promise<AppServer> {
  const opened = await openAppServer(f.options);
  if (!opened.ok) throw new Error(`did not open: ${JSON.stringify(opened.failure)}`);
  return opened.value;
}

const startedPid = (f: Fake): number => f.log().find((l) => typeof l.pid === 'number')?.pid as number;
const received = (f: Fake): unknown[] => f.log().flatMap((l) => (l.received === undefined ? [] : [l.received]));

describe('the app-server client', () => {
  it('starts `<binary> app-server` with CODEX_HOME, shakes hands, reads a thread, refuses what the server asks, and ends the process by its PID', async () => {
    const f = fake('good');
    const server = await open(f);
    expect(server.server).toEqual({ userAgent: 'codexsync/0.999.0 (Fake; x86_64) dumb (codexsync; 1.0.0)', version: '0.999.0', codexHome: f.home, platformOs: 'linux' });
    const read = await readThread(server, 'abc', { includeTurns: true });
    expect(read).toEqual({
      ok: true,
      value: {
        id: 'abc',
        path: join(f.home, 'sessions/2026/01/02/rollout-x-abc.jsonl'),
        archived: false,
        cwd: '/p',
        name: null,
        preview: 'hi',
        source: 'cli',
        section: null,
        createdAt: 1,
        updatedAt: 2,
        cliVersion: '0.999.0',
        turns: [{ id: 'u1', status: 'completed', userTexts: ['hello'] }],
      },
    });
    const closed = await server.close();
    expect(closed).toEqual({ pid: server.pid, how: 'input-closed', gone: true, daemonsEnded: [] });
    expect(isAlive(server.pid)).toBe(false);
    expect(f.log()[0]).toEqual({ argv: ['app-server'], home: f.home, pid: server.pid });
    expect(received(f)).toEqual([
      { id: 1, method: 'initialize', params: { clientInfo: { name: 'codexsync', title: 'codexSync', version: '1.0.0' }, capabilities: { experimentalApi: false } } },
      { method: 'initialized' },
      { id: 2, method: 'thread/read', params: { threadId: 'abc', includeTurns: true } },
      { id: 'approval-1', error: { code: -32601, message: 'codexSync answers no requests: it only reads and files threads' } },
    ]);
    expect(await readThread(server, 'abc')).toEqual({ ok: false, failure: { kind: 'closed', method: 'thread/read' } });
  });

  it('names the method of an answer of the wrong shape, of a JSON-RPC error, and of an error that is not one', async () => {
    const f = fake('good');
    const server = await open(f);
    expect(await listThreads(server)).toEqual({ ok: false, failure: { kind: 'bad-response', method: 'thread/list', issue: 'data.0.id: Invalid input: expected string, received number' } });
    expect(await archiveThread(server, 'gone')).toEqual({ ok: false, failure: { kind: 'rpc-error', method: 'thread/archive', code: -32600, message: 'no rollout found for thread id gone' } });
    expect(await setThreadName(server, 'abc', 'x')).toEqual({
      ok: false,
      failure: { kind: 'bad-response', method: 'thread/name/set', issue: 'error: (result): Invalid input: expected object, received string' },
    });
    // The connection is still good after answers it could not use.
    expect((await readThread(server, 'abc')).ok).toBe(true);
    await server.close();
  });

  it('gives up the connection at a line that is not JSON-RPC: that call and every later one fail as bad output', async () => {
    const f = fake('good');
    const server = await open(f);
    expect(await deleteThread(server, 'abc')).toEqual({ ok: false, failure: { kind: 'bad-output', method: 'thread/delete', sample: '{"id": 2, "result": {}}garbage' } });
    expect(await readThread(server, 'abc')).toEqual({ ok: false, failure: { kind: 'bad-output', method: 'thread/read', sample: '{"id": 2, "result": {}}garbage' } });
    expect(await server.close()).toMatchObject({ gone: true });
  });

  it('fails the handshake on a malformed first line, and ends the process', async () => {
    const f = fake('malformed-first');
    expect(await openAppServer(f.options)).toEqual({ ok: false, failure: { kind: 'bad-output', method: 'initialize', sample: 'this is not JSON' } });
    expect(isAlive(startedPid(f))).toBe(false);
  });

  it('reports a process that ends before the handshake or during a call, with its exit code and stderr', async () => {
    const early = fake('exit-early');
    expect(await openAppServer(early.options)).toEqual({ ok: false, failure: { kind: 'exited', method: 'initialize', code: 3, signal: null, stderr: 'error: cannot open the database\n' } });
    const f = fake('good');
    const server = await open(f);
    expect(await unarchiveThread(server, 'abc')).toEqual({ ok: false, failure: { kind: 'exited', method: 'thread/unarchive', code: 101, signal: null, stderr: 'panicked at the unarchive\n' } });
    expect(await server.close()).toEqual({ pid: server.pid, how: 'exited', gone: true, daemonsEnded: [] });
  });

  it('times out a call that is never answered, and ends a process that ignores its closed input and SIGTERM with SIGKILL', async () => {
    const f = fake('stubborn', { requestTimeoutMs: 300 });
    const server = await open(f);
    expect(await server.request('thread/turns/list', { threadId: 'abc' }, (await import('zod')).z.object({}))).toEqual({
      ok: false,
      failure: { kind: 'timeout', method: 'thread/turns/list', ms: 300 },
    });
    expect(await server.close()).toEqual({ pid: server.pid, how: 'killed', gone: true, daemonsEnded: [] });
    expect(f.log()).toContainEqual({ got: 'SIGTERM' });
  });

  it("recognises at once a Codex whose start-up import was interrupted, rather than after Codex's own 30 seconds", async () => {
    const f = fake('backfill');
    const started = Date.now();
    const opened = await openAppServer(f.options);
    expect(opened).toEqual({
      ok: false,
      failure: { kind: 'backfill-running', codexHome: f.home, stderr: `state db backfill is running at ${f.home}; waiting up to 30s before retrying startup initialization\n` },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(isAlive(startedPid(f))).toBe(false);
  });

  it('refuses an app-server that serves another Codex home', async () => {
    const f = fake('other-home');
    expect(await openAppServer(f.options)).toEqual({ ok: false, failure: { kind: 'home-mismatch', expected: f.home, reported: '/somewhere/else' } });
    expect(isAlive(startedPid(f))).toBe(false);
  });

  it('ends a helper the app-server started, and a managed daemon that appeared while it ran', async () => {
    const withHelper = fake('helper');
    const server = await open(withHelper);
    const helper = withHelper.log().find((l) => typeof l.helper === 'number')?.helper as number;
    expect(isAlive(helper)).toBe(true);
    expect(await server.close()).toMatchObject({ how: 'terminated', gone: true });
    expect(isAlive(helper)).toBe(false);

    const withDaemon = fake('daemon');
    const second = await open(withDaemon);
    const daemon = withDaemon.log().find((l) => typeof l.daemon === 'number')?.daemon as number;
    expect(isAlive(daemon)).toBe(true);
    expect(await second.close()).toEqual({ pid: second.pid, how: 'input-closed', gone: true, daemonsEnded: [daemon] });
    expect(isAlive(daemon)).toBe(false);
  });

  it('reports a program that cannot be started', async () => {
    const dir = tempDir();
    expect(await openAppServer({ binary: join(dir, 'no-codex'), codexHome: dir, clientVersion: '1' })).toEqual({
      ok: false,
      failure: { kind: 'spawn-failed', binary: join(dir, 'no-codex'), why: 'ENOENT' },
    });
  });
});
