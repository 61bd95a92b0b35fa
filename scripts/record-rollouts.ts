// `node scripts/record-rollouts.ts`: records real Codex rollouts into test/fixtures/rollouts/<version>/
// with both Codex CLIs of the dev dependencies (0.169 pinned, 0.171 newest) against the model
// server of test/helpers/fakeModel.ts. Every Codex home lies below /tmp/codexsync-rollouts/, so
// the absolute paths inside the recorded bytes are the same on every recording machine. Needs tmux
// (the interactive thread runs the real TUI). Every process started here is ended by its PID.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { daemonPids, descendants, runTui } from '../test/helpers/codexTui.ts';
import { codexConfig, MODEL_REPLY, startFakeModel } from '../test/helpers/fakeModel.ts';
import { codexEnv, codexWrapperFor, endByPid, type CodexVersion } from '../test/helpers/realCodex.ts';

const RECORDING_ROOT = '/tmp/codexsync-rollouts';
const fixtures = fileURLToPath(new URL('../test/fixtures/rollouts/', import.meta.url));
const tmuxSocket = `codexsync-record-${process.pid}`;

/** What a recording holds, by fixture folder: tests find the files and ids here. */
interface Recording {
  cliVersion: string;
  /** Relative path (inside each fixture folder) of the rollout of each recorded thread. */
  threads: Record<string, { id: string; path: string }>;
  prompts: Record<string, string[]>;
}

function rolloutFiles(home: string): string[] {
  const found: string[] = [];
  for (const top of ['sessions', 'archived_sessions']) {
    const dir = join(home, top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) if (/\.jsonl(\.zst)?$/.test(entry)) found.push(`${top}/${entry}`);
  }
  return found.sort();
}

function idOf(relative: string): string {
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/.exec(relative);
  if (match === null) throw new Error(`no thread id in ${relative}`);
  return match[1] as string;
}

class Recorder {
  readonly root: string;
  readonly project: string;
  readonly wrapper: string;
  private readonly modelUrl: string;

  constructor(version: CodexVersion, cliVersion: string, modelUrl: string) {
    this.root = join(RECORDING_ROOT, cliVersion);
    this.project = join(this.root, 'project');
    this.wrapper = codexWrapperFor(version);
    this.modelUrl = modelUrl;
    mkdirSync(this.project, { recursive: true });
    writeFileSync(join(this.project, 'AGENTS.md'), 'Keep answers short.\n');
    writeFileSync(join(this.root, 'instructions.md'), 'You are a test agent.\n');
  }

  /** A fresh Codex home; the short instructions and no skills or permission text keep each rollout a few KB. */
  home(name: string): string {
    const home = join(this.root, name);
    mkdirSync(home, { recursive: true });
    const top = [`model_instructions_file = "${join(this.root, 'instructions.md')}"`, 'include_permissions_instructions = false'];
    writeFileSync(join(home, 'config.toml'), `${top.join('\n')}\n${codexConfig(this.modelUrl, [this.project])}\n[skills]\ninclude_instructions = false\n`);
    return home;
  }

  /** `codex exec [args]` to the end of its turn; returns the rollout it created or changed. */
  async exec(home: string, args: string[]): Promise<string> {
    const before = new Map(rolloutFiles(home).map((path) => [path, readFileSync(join(home, path)).length]));
    // Not spawnSync: the model server answers from this process's event loop.
    const child = spawn(process.execPath, [this.wrapper, 'exec', '--skip-git-repo-check', ...args], { cwd: this.project, env: codexEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => void endByPid([child.pid]), 90_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const result = { status, stdout, stderr };
    await endByPid(daemonPids(home));
    if (result.status !== 0 || !result.stdout.includes(MODEL_REPLY)) throw new Error(`codex exec ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
    const changed = rolloutFiles(home).filter((path) => before.get(path) !== readFileSync(join(home, path)).length);
    if (changed.length !== 1) throw new Error(`expected one rollout written by codex exec, found ${changed.join(', ') || 'none'}`);
    return changed[0] as string;
  }

  /** `codex app-server` over stdio: initialize (with the experimental API), then the requests in order. */
  async appServer(home: string, requests: { method: string; params?: unknown }[]): Promise<unknown[]> {
    const child = spawn(process.execPath, [this.wrapper, 'app-server'], { cwd: this.project, env: codexEnv(home), stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      return await new Promise<unknown[]>((resolve, reject) => {
        const results: unknown[] = [];
        let buffer = '';
        const send = (message: Record<string, unknown>): void => void child.stdin.write(`${JSON.stringify(message)}\n`);
        const timer = setTimeout(() => reject(new Error('codex app-server did not answer')), 60_000);
        const next = (): void => {
          const request = requests[results.length];
          if (request === undefined) {
            clearTimeout(timer);
            resolve(results);
          } else send({ id: results.length + 2, method: request.method, params: request.params });
        };
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            const message = JSON.parse(buffer.slice(0, i)) as { id?: number; result?: unknown; error?: unknown };
            buffer = buffer.slice(i + 1);
            if (message.id === undefined) continue;
            if (message.error !== undefined) return reject(new Error(`app-server: ${JSON.stringify(message.error)}`));
            if (message.id === 1) send({ method: 'initialized' });
            else results.push(message.result);
            next();
          }
        });
        child.on('error', reject);
        send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'codexsync-record', version: '0.0.0' }, capabilities: { experimentalApi: true, requestAttestation: false } } });
      });
    } finally {
      await endByPid([child.pid, ...(child.pid === undefined ? [] : await descendants(child.pid)), ...daemonPids(home)]);
    }
  }
}

/** Copies one file of a recorded home into a fixture folder, under the same relative path. */
function keep(version: string, folder: string, home: string, relative: string): void {
  const target = join(fixtures, version, folder, relative);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(home, relative), target);
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function record(version: CodexVersion, modelUrl: string): Promise<void> {
  const cliVersion = /(\d+\.\d+\.\d+)/.exec(spawnSync(process.execPath, [codexWrapperFor(version), '--version'], { encoding: 'utf8' }).stdout)?.[1];
  if (cliVersion === undefined) throw new Error(`no version from the ${version} Codex CLI`);
  rmSync(join(RECORDING_ROOT, cliVersion), { recursive: true, force: true });
  rmSync(join(fixtures, cliVersion), { recursive: true, force: true });
  const recorder = new Recorder(version, cliVersion, modelUrl);
  const recording: Recording = { cliVersion, threads: {}, prompts: {} };
  const note = (folder: string, relative: string, prompts: string[]): void => {
    recording.threads[folder] = { id: idOf(relative), path: relative };
    recording.prompts[folder] = prompts;
  };

  // One thread, one turn; then the same thread resumed for a second turn (the same file, appended).
  const main = recorder.home('home-main');
  const first = 'Add a health check endpoint to the server';
  const second = 'Now write a test for it';
  const thread = await recorder.exec(main, [first]);
  keep(cliVersion, 'one-turn', main, thread);
  note('one-turn', thread, [first]);
  if ((await recorder.exec(main, ['resume', idOf(thread), second])) !== thread) throw new Error('resume wrote another file');
  keep(cliVersion, 'two-turns', main, thread);
  note('two-turns', thread, [first, second]);

  // A fork: the two-turn rollout copied into two fresh homes and resumed differently in each.
  // Only the rollout: a copied state_5.sqlite names home-main's absolute path, and resume would
  // append to that file instead.
  const forks: Record<string, string[]> = { 'fork-a': ['Fork A: serve it on port 8080'], 'fork-b': ['Fork B: log every request', 'Fork B: and count them'] };
  for (const [folder, prompts] of Object.entries(forks)) {
    const home = recorder.home(`home-${folder}`);
    mkdirSync(dirname(join(home, thread)), { recursive: true });
    copyFileSync(join(main, thread), join(home, thread));
    for (const prompt of prompts) if ((await recorder.exec(home, ['resume', idOf(thread), prompt])) !== thread) throw new Error('resume wrote another file');
    keep(cliVersion, folder, home, thread);
    note(folder, thread, [first, second, ...prompts]);
  }

  // A named thread: thread/name/set twice (a rename), then whatever Codex wrote to session_index.jsonl.
  await recorder.appServer(main, [
    { method: 'thread/name/set', params: { threadId: idOf(thread), name: 'Health check' } },
    { method: 'thread/name/set', params: { threadId: idOf(thread), name: 'Health check endpoint' } },
  ]);
  if (existsSync(join(main, 'session_index.jsonl'))) keep(cliVersion, 'named', main, 'session_index.jsonl');

  // A compressed rollout: a thread idle for 8 days, then rollout/compress (works with the feature off).
  const idle = recorder.home('home-compress');
  const idlePrompt = 'Summarise the open issues';
  const idleThread = await recorder.exec(idle, [idlePrompt]);
  keep(cliVersion, 'uncompressed', idle, idleThread);
  note('uncompressed', idleThread, [idlePrompt]);
  const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
  utimesSync(join(idle, idleThread), eightDaysAgo, eightDaysAgo);
  await recorder.appServer(idle, [{ method: 'rollout/compress' }]);
  await waitFor('the compressed rollout', () => existsSync(join(idle, `${idleThread}.zst`)) && !existsSync(join(idle, idleThread)));
  keep(cliVersion, 'compressed', idle, `${idleThread}.zst`);
  note('compressed', `${idleThread}.zst`, [idlePrompt]);

  // An interactive thread: the real TUI in a tmux pane.
  const tui = recorder.home('home-tui');
  const tuiPrompt = 'Explain the build script';
  await runTui({ socket: tmuxSocket, home: tui, cwd: recorder.project, prompt: tuiPrompt, reply: MODEL_REPLY, wrapper: recorder.wrapper });
  const [tuiThread, ...more] = rolloutFiles(tui);
  if (tuiThread === undefined || more.length > 0) throw new Error(`expected one TUI rollout, found ${rolloutFiles(tui).join(', ')}`);
  keep(cliVersion, 'interactive', tui, tuiThread);
  note('interactive', tuiThread, [tuiPrompt]);

  writeFileSync(join(fixtures, cliVersion, 'recording.json'), `${JSON.stringify(recording, null, 2)}\n`);
}

// An empty HOME for Codex and the shells it starts: the recording machine's dotfiles stay out of
// the rollouts, and its login-shell snapshot starts nothing that would outlive Codex.
const userHome = join(RECORDING_ROOT, 'user-home');
mkdirSync(userHome, { recursive: true });
process.env.HOME = userHome;

const model = await startFakeModel();
try {
  for (const version of ['pinned', 'newest'] as const) await record(version, model.url);
} finally {
  await model.close();
  spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
}
