// bin/codexsync.mjs re-runs the CLI in a child under the bundled Node when the system Node
// is older than 22.22. Stopping the launcher must stop that child: its signals are passed on,
// the child ends when the launcher is killed outright, and the child's end passes back exactly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/core/guard/terminate.ts';
import { cliPath } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';
import { listTree } from '../scenarios/runner.ts';

/** The system Node when it is too old (the real case); else this Node, told to re-run the CLI all the same. */
const systemNode = '/usr/bin/node';
const oldNode = existsSync(systemNode) && olderThan2222(spawnSync(systemNode, ['--version'], { encoding: 'utf8' }).stdout.trim());
const launcherNode = oldNode ? systemNode : process.execPath;
const FILES = 60;

/** Whether "v20.20.2" is older than 22.22, the oldest Node that runs codexSync itself (scripts/node-runtime.mjs). */
function olderThan2222(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major < 22 || (major === 22 && minor < 22);
}

interface Launched {
  launcher: ChildProcess;
  stdout: () => string;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function launch(ws: Workspace, options: { ownGroup?: boolean; pauseMs?: number } = {}): Launched {
  const launcher = spawn(launcherNode, [cliPath, '-c', ws.config, 'sync', '--apply'], {
    cwd: ws.dir,
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', CODEXSYNC_TEST_PAUSE_MS: String(options.pauseMs ?? 200), ...(oldNode ? {} : { CODEXSYNC_LAUNCHER_FORCE_REEXEC: '1' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownGroup === true,
  });
  let stdout = '';
  launcher.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  launcher.stderr?.resume();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => launcher.on('exit', (code, signal) => resolve({ code, signal })));
  return { launcher, stdout: () => stdout, ended };
}

function machineWithWork(): Workspace {
  const ws = workspace(tempDir());
  for (let i = 0; i < FILES; i += 1) writeFile(ws.home, `skills/s${String(i).padStart(2, '0')}/SKILL.md`, `skill ${i}\n`);
  return ws;
}

/** The PID of the process that runs the sync: the one holding the lock, once some files are written. */
async function runningChild(ws: Workspace): Promise<number> {
  const lock = join(ws.cloud, '.codexsync', 'lock.json');
  for (let i = 0; i < 500; i += 1) {
    try {
      const { pid } = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
      if (synced(ws).length > 0) return pid;
    } catch {
      // not taken yet, or being written this instant
    }
    await sleep(20);
  }
  throw new Error('the sync never started writing');
}

const synced = (ws: Workspace): string[] => [...listTree(ws.cloud).keys()].filter((p) => p.startsWith('skills/'));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(25)) if (!isAlive(pid)) return true;
  return !isAlive(pid);
}

describe(`the launcher re-running the CLI under the bundled Node (${oldNode ? `system Node ${systemNode}` : 'forced by CODEXSYNC_LAUNCHER_FORCE_REEXEC'})`, () => {
  it('SIGTERM to the launcher ends the run within a second or two; the launcher dies of SIGTERM too', async () => {
    const ws = machineWithWork();
    const run = launch(ws);
    const child = await runningChild(ws);
    expect(child).not.toBe(run.launcher.pid);
    run.launcher.kill('SIGTERM');
    expect(await run.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await goneWithin(child, 2000)).toBe(true);
    const after = synced(ws);
    await sleep(1000);
    expect(synced(ws)).toEqual(after);
    expect(after.length).toBeLessThan(FILES);
  });

  it('SIGKILL to the launcher, which it cannot pass on: the run notices and ends within a second or two', async () => {
    const ws = machineWithWork();
    const run = launch(ws);
    const child = await runningChild(ws);
    run.launcher.kill('SIGKILL');
    expect(await run.ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await goneWithin(child, 2000)).toBe(true);
    const after = synced(ws);
    await sleep(1000);
    expect(synced(ws)).toEqual(after);
    expect(after.length).toBeLessThan(FILES);
  });

  it('SIGINT to the launcher stops the run between files, and its exit code 5 comes back through the launcher', async () => {
    const ws = machineWithWork();
    const run = launch(ws);
    const child = await runningChild(ws);
    run.launcher.kill('SIGINT');
    expect(await run.ended).toEqual({ code: 5, signal: null });
    expect(isAlive(child)).toBe(false);
    expect(run.stdout()).toMatch(/Stopped on request after \d+ changes: every file is either its old or its new version; the next sync does the rest\./);
    const copied = synced(ws);
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.length).toBeLessThan(FILES);
    for (const path of copied) expect(readFileSync(join(ws.cloud, path), 'utf8')).toBe(`skill ${Number(path.slice(8, 10))}\n`);
    expect(existsSync(join(ws.cloud, '.codexsync', 'lock.json'))).toBe(false);
  });

  it('Ctrl-C in a terminal (SIGINT to launcher and run alike, and passed on once more) is one Ctrl-C: exit 5, not 130', async () => {
    const ws = machineWithWork();
    const run = launch(ws, { ownGroup: true });
    await runningChild(ws);
    // The terminal signals the whole foreground process group: the launcher leads its own here.
    process.kill(-(run.launcher.pid ?? 0), 'SIGINT');
    expect(await run.ended).toEqual({ code: 5, signal: null });
    expect(run.stdout()).toContain('Stopped on request after ');
  });

  it('a second Ctrl-C a moment later still quits at once: exit 130 through the launcher', async () => {
    const ws = machineWithWork();
    // Each write pauses long enough that the first Ctrl-C is still waiting for the files in hand.
    const run = launch(ws, { ownGroup: true, pauseMs: 3000 });
    await runningChild(ws);
    process.kill(-(run.launcher.pid ?? 0), 'SIGINT');
    await sleep(600);
    process.kill(-(run.launcher.pid ?? 0), 'SIGINT');
    expect(await run.ended).toEqual({ code: 130, signal: null });
  });
});
