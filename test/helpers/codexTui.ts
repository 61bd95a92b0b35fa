import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { systemProcesses } from '../../src/core/guard/processes.ts';
import { codexWrapper, endByPid } from './realCodex.ts';

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

async function waitFor(what: string, check: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function readIf(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

export function rollouts(home: string): string[] {
  const dir = join(home, 'sessions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.jsonl'))
    .map((p) => `sessions/${p}`);
}

/** Every process below `root` in the process tree. */
export async function descendants(root: number): Promise<number[]> {
  const all = await systemProcesses.list();
  const found: number[] = [];
  const walk = (pid: number): void => {
    for (const p of all.filter((x) => x.ppid === pid)) {
      found.push(p.pid);
      walk(p.pid);
    }
  };
  walk(root);
  return found;
}

/** The PIDs of the managed daemon and its helper, from Codex's own pid files. */
export function daemonPids(home: string): number[] {
  return ['daemon.pid', 'daemon-updater.pid']
    .map((file) => join(home, 'app-server-daemon', file))
    .filter(existsSync)
    .map((file) => (JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid);
}

/**
 * Runs the real Codex TUI in a tmux pane with a first prompt, waits until the answer is in
 * the rollout file and the prompt in history.jsonl, then ends the TUI and its daemon by PID.
 * `wrapper` picks another Codex CLI's entry script than the pinned one.
 */
export async function runTui(options: { socket: string; home: string; cwd: string; prompt: string; reply: string; wrapper?: string }): Promise<void> {
  const session = `cx${process.pid}${Math.floor(Math.random() * 1e6)}`;
  const before = new Set(rollouts(options.home));
  const command = `cd ${q(options.cwd)} && exec env CODEX_HOME=${q(options.home)} OPENAI_API_KEY=sk-test NO_COLOR=1 ${q(process.execPath)} ${q(options.wrapper ?? codexWrapper)} ${q(options.prompt)}`;
  execFileSync('tmux', ['-L', options.socket, 'new-session', '-d', '-s', session, '-x', '200', '-y', '50', command]);
  const panePid = Number(execFileSync('tmux', ['-L', options.socket, 'display-message', '-p', '-t', session, '#{pane_pid}'], { encoding: 'utf8' }).trim());
  try {
    await waitFor(`the answer to "${options.prompt}"`, () => {
      const fresh = rollouts(options.home).filter((p) => !before.has(p));
      return fresh.some((p) => readIf(join(options.home, p)).includes(options.reply)) && readIf(join(options.home, 'history.jsonl')).includes(options.prompt);
    });
  } finally {
    const pids = [panePid, ...(await descendants(panePid)), ...daemonPids(options.home)];
    await endByPid(pids);
    try {
      execFileSync('tmux', ['-L', options.socket, 'kill-session', '-t', session], { stdio: 'ignore' });
    } catch {
      // the session ended with its program
    }
  }
}

export interface ListedThread {
  id: string;
  path: string;
  cwd: string;
  preview: string;
}

/** Codex's own thread list: `codex app-server` over stdio, JSON-RPC initialize + thread/list. */
export async function codexThreadList(home: string): Promise<ListedThread[]> {
  const child = spawn(process.execPath, [codexWrapper, 'app-server'], {
    env: { ...process.env, CODEX_HOME: home, OPENAI_API_KEY: 'sk-test', NO_COLOR: '1', RUST_LOG: 'error' },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  try {
    return await new Promise<ListedThread[]>((resolve, reject) => {
      let buffer = '';
      const send = (message: Record<string, unknown>): void => {
        child.stdin.write(`${JSON.stringify(message)}\n`);
      };
      const timer = setTimeout(() => reject(new Error('codex app-server did not answer thread/list')), 60_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          const line = buffer.slice(0, i);
          buffer = buffer.slice(i + 1);
          const message = JSON.parse(line) as { id?: number; result?: { data?: ListedThread[] }; error?: unknown };
          if (message.id === 1) {
            send({ method: 'initialized' });
            send({ id: 2, method: 'thread/list', params: {} });
          } else if (message.id === 2) {
            clearTimeout(timer);
            if (message.error !== undefined) reject(new Error(JSON.stringify(message.error)));
            else resolve(message.result?.data ?? []);
          }
        }
      });
      child.on('error', reject);
      send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'codexsync-test', version: '0.0.0' } } });
    });
  } finally {
    await endByPid([child.pid, ...(child.pid === undefined ? [] : await descendants(child.pid)), ...daemonPids(home)]);
  }
}
