import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config/index.ts';
import { systemProcesses } from '../../src/core/guard/index.ts';
import { currentEnvironment } from '../../src/core/platform.ts';
import { CodexClosedWatcher, systemClock, type CodexClosedDeps } from '../../src/main/codexClosed.ts';
import type { Notice } from '../../src/main/model/backgroundNotice.ts';
import { AppService } from '../../src/main/service/appService.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeCodex, settle } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

// The watcher with the real process list and a real process standing in for Codex: a Node
// program started under the name config.toml's process_names gives (the workspace's own name,
// which no other test file uses), ended by its PID.

const env = currentEnvironment();
const codexName = `codex-test-${process.pid}`;
const quietMs = 500;

let fakes: FakeCodex | undefined;
const watchers: CodexClosedWatcher[] = [];

afterEach(async () => {
  for (const watcher of watchers.splice(0)) watcher.stop();
  await fakes?.stopAll();
  fakes = undefined;
});

async function until(what: string, condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Machine {
  ws: Workspace;
  service: AppService;
  notices: string[];
  /** When each hand-off the watcher started began (ms since the epoch). */
  handOffs: number[];
  watcher: CodexClosedWatcher;
}

function machine(dir: string, name: string, options: Partial<CodexClosedDeps> = {}): Machine {
  const ws = workspace(dir, { machine: name });
  const notices: string[] = [];
  const handOffs: number[] = [];
  const notify = (notice: Notice): void => void notices.push(notice.body);
  const service = new AppService({
    configFile: ws.config,
    env,
    confirmer: { confirmTermination: async () => false },
    emit: () => undefined,
    notify,
    openReview: () => undefined,
  });
  const watcher = new CodexClosedWatcher({
    processes: systemProcesses,
    setup: () => {
      const config = loadConfig(ws.config, env);
      const pd = config.settings.process_detection;
      return { names: { processNames: pd.process_names, markers: pd.background_process_names[env.platform] }, platform: env.platform, codexHome: config.paths.localStateDir };
    },
    state: () => service.state(),
    handOff: async () => {
      handOffs.push(Date.now());
      await service.handOffNow();
    },
    notify,
    clock: systemClock,
    pollMs: 100,
    settleCheckMs: 50,
    quietMs,
    ...options,
  });
  watchers.push(watcher);
  return { ws, service, notices, handOffs, watcher };
}

/** A stand-in Codex running under the configured name; answers its PID once ps shows its final command line. */
async function startCodex(dir: string): Promise<number> {
  fakes ??= new FakeCodex(join(dir, 'fakes'));
  const pid = fakes.named(codexName, []);
  await settle();
  return pid;
}

describe('hand off when Codex closes', () => {
  it('hands off through the service once Codex has exited and its home has been quiet for a while', async () => {
    const dir = tempDir();
    const laptop = machine(dir, 'laptop');
    writeFile(laptop.ws.home, 'skills/review/SKILL.md', 'Review.\n');
    const pid = await startCodex(dir);
    laptop.watcher.start();
    await settle(400);
    expect(laptop.handOffs).toEqual([]);

    process.kill(pid, 'SIGTERM');
    // Codex writes its last lines as it exits: the hand-off waits for them.
    await settle(150);
    writeFile(laptop.ws.home, 'history.jsonl', '{"ts":1,"text":"hi"}\n');
    await settle(250);
    writeFile(laptop.ws.home, 'history.jsonl', '{"ts":1,"text":"hi"}\n{"ts":2,"text":"bye"}\n');
    const lastWrite = Date.now();

    await until('the hand-off', () => laptop.service.state().kind === 'idle' && laptop.handOffs.length === 1);
    expect(laptop.handOffs[0]).toBeGreaterThanOrEqual(lastWrite + quietMs);
    expect(readFileSync(join(laptop.ws.cloud, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Review.\n');
    expect(readFileSync(join(laptop.ws.cloud, 'history.jsonl'), 'utf8')).toBe('{"ts":1,"text":"hi"}\n{"ts":2,"text":"bye"}\n');
    expect(laptop.notices).toEqual(['Handing off 2 files (51 B)…', 'Done: 2 changes, 51 B written.']);
    expect(laptop.service.state()).toMatchObject({ kind: 'idle', note: 'handed-off' });

    // Once: the next checks see no Codex and nothing new.
    await settle(600);
    expect(laptop.handOffs).toHaveLength(1);
  });

  it("says so when Codex starts while another machine's work waits, and hands nothing off while it runs", async () => {
    const dir = tempDir();
    const desktop = workspace(dir, { machine: 'desktop' });
    writeFile(desktop.home, 'skills/review/SKILL.md', 'Desktop.\n');
    const handoff = await runCli(['-c', desktop.config, 'sync', '--apply'], { cwd: dir });
    expect(handoff.code, handoff.stderr).toBe(0);
    const laptop = machine(dir, 'laptop');
    await laptop.service.backgroundCheck();
    expect(laptop.service.state()).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'desktop' });
    expect(laptop.notices).toEqual(['Work from desktop is ready to hand off']);

    laptop.watcher.start();
    await settle(300);
    await startCodex(dir);
    await until('the notice', () => laptop.notices.length === 2);
    expect(laptop.notices[1]).toBe('Codex started while work from desktop is waiting: close Codex and hand off first, or your threads fork');
    await settle(400);
    expect(laptop.handOffs).toEqual([]);
    expect(laptop.notices).toHaveLength(2);
  });

  it('says nothing when Codex starts with nothing waiting', async () => {
    const dir = tempDir();
    const laptop = machine(dir, 'laptop');
    laptop.watcher.start();
    await settle(300);
    await startCodex(dir);
    await settle(400);
    expect(laptop.notices).toEqual([]);
    expect(laptop.handOffs).toEqual([]);
  });

  it('checks nothing while the machine sleeps; on waking it notices that Codex exited and hands off', async () => {
    const dir = tempDir();
    const laptop = machine(dir, 'laptop');
    writeFile(laptop.ws.home, 'skills/review/SKILL.md', 'Review.\n');
    const pid = await startCodex(dir);
    laptop.watcher.start();
    await settle(400);
    laptop.watcher.suspend();
    process.kill(pid, 'SIGTERM');
    await settle(quietMs + 1000);
    expect(laptop.handOffs).toEqual([]);
    expect(laptop.service.state()).toEqual({ kind: 'idle', note: 'unknown' });

    const woke = Date.now();
    laptop.watcher.resume();
    await until('the hand-off', () => laptop.handOffs.length === 1 && laptop.service.state().kind === 'idle');
    expect(laptop.handOffs[0]).toBeGreaterThanOrEqual(woke + quietMs);
    expect(readFileSync(join(laptop.ws.cloud, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Review.\n');
  });

  it('a Codex that starts again while its home settles cancels the hand-off', async () => {
    const dir = tempDir();
    const laptop = machine(dir, 'laptop', { quietMs: 1500 });
    writeFile(laptop.ws.home, 'skills/review/SKILL.md', 'Review.\n');
    const first = await startCodex(dir);
    laptop.watcher.start();
    await settle(400);
    process.kill(first, 'SIGTERM');
    await settle(300);
    await startCodex(dir);
    await settle(2000);
    expect(laptop.handOffs).toEqual([]);
    expect(readFileSync(join(laptop.ws.home, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Review.\n');
  });

  it('off: no process check, no hand-off', async () => {
    const dir = tempDir();
    let lists = 0;
    const laptop = machine(dir, 'laptop', {
      processes: {
        list: async () => {
          lists += 1;
          return systemProcesses.list();
        },
      },
    });
    const pid = await startCodex(dir);
    laptop.watcher.start();
    await settle(400);
    laptop.watcher.stop();
    const seen = lists;
    expect(seen).toBeGreaterThan(0);
    process.kill(pid, 'SIGTERM');
    await settle(quietMs + 500);
    expect(lists).toBe(seen);
    expect(laptop.handOffs).toEqual([]);
  });
});
