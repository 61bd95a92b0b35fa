import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real program that stands where Codex would: `<it> app-server` speaks line-delimited JSON
 * on stdin/stdout like Codex's app-server, and FAKE_MODE (in its environment) chooses how it
 * misbehaves. It writes what it received and the PIDs it started to FAKE_LOG.
 */
export function fakeAppServer(dir: string): string {
  const path = join(dir, 'fake-app-server');
  writeFileSync(
    path,
    `#!${process.execPath}
import { appendFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
const mode = process.env.FAKE_MODE ?? 'good';
const log = (what) => appendFileSync(process.env.FAKE_LOG, JSON.stringify(what) + '\\n');
const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
log({ argv: process.argv.slice(2), home: process.env.CODEX_HOME, pid: process.pid });
if (mode === 'exit-early') { process.stderr.write('error: cannot open the database\\n'); process.exit(3); }
if (mode === 'backfill') { process.stderr.write('state db backfill is running at ' + process.env.CODEX_HOME + '; waiting up to 30s before retrying startup initialization\\n'); }
if (mode === 'stubborn' || mode === 'backfill') { process.on('SIGTERM', () => log({ got: 'SIGTERM' })); setInterval(() => {}, 1000); }
if (mode === 'daemon') {
  // As Codex's TUI does: a daemon of its own session, outliving it, its PID in app-server-daemon/daemon.pid.
  const daemon = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true });
  daemon.unref();
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(process.env.CODEX_HOME + '/app-server-daemon', { recursive: true });
  writeFileSync(process.env.CODEX_HOME + '/app-server-daemon/daemon.pid', JSON.stringify({ pid: daemon.pid }));
  log({ daemon: daemon.pid });
}
if (mode === 'helper') {
  const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  log({ helper: helper.pid });
}
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const message = JSON.parse(line);
  log({ received: message });
  if (mode === 'backfill' || mode === 'silent') return;
  if (message.method === 'initialize') {
    if (mode === 'malformed-first') { process.stdout.write('this is not JSON\\n'); return; }
    send({ id: message.id, result: { userAgent: 'codexsync/0.999.0 (Fake; x86_64) dumb (codexsync; 1.0.0)', codexHome: mode === 'other-home' ? '/somewhere/else' : process.env.CODEX_HOME, platformFamily: 'unix', platformOs: 'linux' } });
    return;
  }
  if (message.id === undefined) return;
  switch (message.method) {
    case 'thread/read':
      // A server-to-client request first: it must be answered with an error, and the call still completes.
      send({ id: 'approval-1', method: 'item/commandExecution/requestApproval', params: { threadId: 't', command: 'rm -rf /' } });
      send({ method: 'thread/status/changed', params: { threadId: message.params.threadId } });
      send({ id: message.id, result: { thread: { id: message.params.threadId, path: process.env.CODEX_HOME + '/sessions/2026/01/02/rollout-x-' + message.params.threadId + '.jsonl', cwd: '/p', name: null, preview: 'hi', source: 'cli', section: null, createdAt: 1, updatedAt: 2, cliVersion: '0.999.0', turns: [{ id: 'u1', status: 'completed', items: [{ type: 'userMessage', id: 'i1', content: [{ type: 'text', text: 'hello', text_elements: [] }] }, { type: 'agentMessage', id: 'i2', text: 'hi' }] }], surprise: true } } });
      return;
    case 'thread/archive':
      send({ id: message.id, error: { code: -32600, message: 'no rollout found for thread id ' + message.params.threadId } });
      return;
    case 'thread/list':
      // A thread whose id is a number: not what codexSync relies on.
      send({ id: message.id, result: { data: [{ id: 7 }], nextCursor: null } });
      return;
    case 'thread/name/set':
      send({ id: message.id, error: 'not an error object' });
      return;
    case 'thread/delete':
      process.stdout.write('{"id": ' + message.id + ', "result": {}}garbage\\n');
      return;
    case 'thread/unarchive':
      process.stderr.write('panicked at the unarchive\\n');
      process.exit(101);
      return;
    default:
      return; // never answered: the call times out
  }
});
`,
  );
  chmodSync(path, 0o755);
  return path;
}
