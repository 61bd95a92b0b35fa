import { terminationQuestion } from '../../src/main/service/words.ts';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/core/guard/terminate.ts';
import { currentEnvironment } from '../../src/core/platform.ts';
import type { Notice } from '../../src/main/model/backgroundNotice.ts';
import type { HandoffState } from '../../src/main/model/handoffState.ts';
import { AppService, type AppServiceDeps } from '../../src/main/service/appService.ts';
import { CONTROL_DIR } from '../../src/core/handoff/index.ts';
import { handoffTime } from '../../src/main/model/trayMenu.ts';
import type { ApplyOutcome, PlanView } from '../../src/shared/contract.ts';
import { runCli } from '../helpers/cli.ts';
import { FakeCodex, settle } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

interface Harness {
  service: AppService;
  notices: string[];
  reviews: string[];
  states: HandoffState[];
  questions: string[];
  events: Array<[string, unknown]>;
}

function harness(
  ws: Workspace,
  options: { answer?: boolean; onEvent?: (event: string, payload: unknown, service: AppService) => void; unwatchedFolders?: AppServiceDeps['unwatchedFolders'] } = {},
): Harness {
  const h: Harness = { service: undefined as unknown as AppService, notices: [], reviews: [], states: [], questions: [], events: [] };
  h.service = new AppService({
    configFile: ws.config,
    env: currentEnvironment(),
    confirmer: {
      async confirmTermination(request) {
        h.questions.push(terminationQuestion(request));
        return options.answer ?? false;
      },
    },
    emit: (event, payload) => {
      h.events.push([event, payload]);
      options.onEvent?.(event, payload, h.service);
    },
    notify: (notice: Notice) => h.notices.push(notice.body),
    openReview: (planId) => h.reviews.push(planId),
    ...(options.unwatchedFolders === undefined ? {} : { unwatchedFolders: options.unwatchedFolders }),
  });
  h.service.onState((state) => h.states.push(state));
  return h;
}

/** Every line of the workspace's log files. */
const logLines = (ws: Workspace): string[] => {
  const dir = join(ws.dir, 'logs');
  return existsSync(dir) ? readdirSync(dir).flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n')) : [];
};

const cli = (ws: Workspace, ...args: string[]) => runCli(['-c', ws.config, ...args], { cwd: ws.dir });

async function handOff(ws: Workspace): Promise<void> {
  const result = await cli(ws, 'sync', '--apply');
  expect(result.code, result.stderr).toBe(0);
}

function pair(extra = ''): { laptop: Workspace; desktop: Workspace } {
  const dir = tempDir();
  return { laptop: workspace(dir, { machine: 'laptop', extra }), desktop: workspace(dir, { machine: 'desktop', extra }) };
}

async function plan(h: Harness): Promise<PlanView> {
  const envelope = await h.service.dispatch('plan', {});
  if (!envelope.ok) throw new Error(envelope.error.message);
  return envelope.value as PlanView;
}

describe('"Hand off now"', () => {
  it('plans and applies a plain hand-off, with a notification before and after', async () => {
    const { laptop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    writeFile(laptop.home, 'history.jsonl', '{"ts":1,"text":"hi"}\n');
    const h = harness(laptop);
    await h.service.handOffNow();
    expect(h.notices).toEqual(['Handing off 2 files (29 B)…', 'Done: 2 changes, 29 B written.']);
    expect(h.reviews).toEqual([]);
    expect(readFileSync(join(laptop.cloud, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('Review.\n');
    expect(h.states[0]).toEqual({ kind: 'busy', task: 'handoff', done: 0, total: 0 });
    expect(h.states).toContainEqual({ kind: 'busy', task: 'handoff', done: 2, total: 2 });
    expect(h.service.state()).toEqual({ kind: 'idle', note: 'handed-off', handedOffAt: expect.any(Date) });

    await h.service.handOffNow();
    expect(h.notices.at(-1)).toBe('Already in sync: nothing to hand off');
    expect(h.service.state()).toEqual({ kind: 'idle', note: 'in-sync' });
  });

  it('opens the review window instead of applying a plan with conflicts, and writes nothing', async () => {
    const { laptop, desktop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'base\n');
    await handOff(laptop);
    await handOff(desktop);
    writeFile(laptop.home, 'skills/review/SKILL.md', 'laptop version\n', new Date(Date.now() - 60_000));
    writeFile(desktop.home, 'skills/review/SKILL.md', 'desktop version\n', new Date(Date.now() - 30_000));
    await handOff(laptop);
    const h = harness(desktop);
    await h.service.handOffNow();
    expect(h.reviews).toHaveLength(1);
    expect(h.notices).toEqual(['Review the plan before it is applied: 1 file changed on both machines']);
    expect(h.service.state()).toEqual({ kind: 'conflict', count: 1, planId: h.reviews[0] });
    expect(readFileSync(join(desktop.home, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('desktop version\n');
    expect(readFileSync(join(desktop.cloud, 'skills', 'review', 'SKILL.md'), 'utf8')).toBe('laptop version\n');
    // The review window shows exactly that plan.
    const envelope = await h.service.dispatch('plan', { planId: h.reviews[0] });
    expect(envelope.ok && (envelope.value as PlanView).conflicts.map((c) => [c.path, c.cloudMachine, c.choices])).toEqual([
      ['skills/review/SKILL.md', 'laptop', ['keep-local', 'take-cloud', 'keep-both']],
    ]);
  });

  it('opens the review window for deletions', async () => {
    const { laptop } = pair('[sync]\ndelete_policy = "propagate"\n');
    writeFile(laptop.home, 'skills/a/SKILL.md', 'a\n');
    writeFile(laptop.home, 'skills/b/SKILL.md', 'b\n');
    writeFile(laptop.home, 'skills/c/SKILL.md', 'c\n');
    await handOff(laptop);
    rmSync(join(laptop.home, 'skills', 'a'), { recursive: true });
    const h = harness(laptop);
    await h.service.handOffNow();
    expect(h.notices).toEqual(['Review the plan before it is applied: 1 file would be deleted']);
    expect(h.service.state()).toMatchObject({ kind: 'review', reasons: ['deletions'] });
    expect(existsSync(join(laptop.cloud, 'skills', 'a', 'SKILL.md'))).toBe(true);
  });

  it('asks before ending a running Codex; a no ends nothing and writes nothing', async () => {
    const name = `cxapp${process.pid}`;
    const dir = tempDir();
    const laptop = workspace(dir, { machine: 'laptop', processNames: [name] });
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    const fakes = new FakeCodex(join(dir, 'bin'));
    mkdirSync(fakes.dir, { recursive: true });
    try {
      const pid = fakes.native(name);
      await settle();
      const h = harness(laptop, { answer: false });
      await h.service.handOffNow();
      expect(h.questions).toEqual([`Codex is running (Codex CLI ${name} (PID ${pid})). Terminate it and continue?`]);
      expect(h.notices).toEqual(['Not handed off: Codex is running and ending it was declined: close Codex and run again']);
      expect(h.service.state()).toEqual({ kind: 'error', message: 'Codex is running and ending it was declined: close Codex and run again' });
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(laptop.cloud)).toBe(false);
    } finally {
      await fakes.stopAll();
    }
  });
});

describe('background check', () => {
  it("tells of another machine's hand-off once, then of this machine's own changes", async () => {
    const { laptop, desktop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    await handOff(laptop);
    const h = harness(desktop);
    await h.service.backgroundCheck();
    expect(h.notices).toEqual(['Work from laptop is ready to hand off']);
    expect(h.service.state()).toEqual({ kind: 'waiting', direction: 'incoming', machine: 'laptop' });
    await h.service.backgroundCheck();
    expect(h.notices).toHaveLength(1);
    // A check writes nothing.
    expect(existsSync(join(desktop.home, 'skills'))).toBe(false);

    await handOff(desktop);
    writeFile(desktop.home, 'skills/mine/SKILL.md', 'Mine.\n');
    await h.service.backgroundCheck();
    expect(h.notices).toEqual(['Work from laptop is ready to hand off', 'Local changes not handed off yet']);
    expect(h.service.state()).toEqual({ kind: 'waiting', direction: 'outgoing', machine: undefined });
  });

  it("says it is safe to switch, with the time of this machine's last hand-off from its own handoff record", async () => {
    const { laptop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    await handOff(laptop);
    const record = JSON.parse(readFileSync(join(laptop.cloud, CONTROL_DIR, 'handoff-laptop.json'), 'utf8')) as { createdAt: string };
    const h = harness(laptop);
    await h.service.backgroundCheck();
    const at = new Date(record.createdAt);
    expect(h.service.state()).toEqual({ kind: 'idle', note: 'in-sync', handedOffAt: at });
    expect(h.service.status().label).toBe(`Safe to switch: your work is in the cloud folder (handed off ${handoffTime(at, new Date())})`);
    expect(h.notices).toEqual([]);
  });

  it('with folders it cannot watch, reads both trees in full at every check and logs once which folders and why', async () => {
    const { laptop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    await handOff(laptop);
    let unwatched: Array<{ side: 'local' | 'cloud'; folder: string; code: string }> = [];
    const h = harness(laptop, { unwatchedFolders: () => unwatched });
    await h.service.backgroundCheck();
    expect(h.service.state()).toMatchObject({ kind: 'idle', note: 'in-sync' });
    // A change no watcher reported: a warm check does not see it.
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review, changed.\n');
    await h.service.backgroundCheck();
    expect(h.service.state()).toMatchObject({ kind: 'idle', note: 'in-sync' });
    unwatched = [{ side: 'local', folder: 'skills/review', code: 'ENOSPC' }];
    // The plan the review window shows reads in full too.
    expect((await plan(h)).actions.map((a) => a.path)).toEqual(['skills/review/SKILL.md']);
    await h.service.backgroundCheck();
    expect(h.service.state()).toEqual({ kind: 'waiting', direction: 'outgoing', machine: undefined });
    await h.service.backgroundCheck();
    const logged = logLines(laptop).filter((line) => line.includes('could not watch'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(
      "could not watch 1 folder (ENOSPC): Codex home: skills/review; every check reads both trees in full until they can be watched; the system's limit of folder watches is reached: raise it (on Linux, fs.inotify.max_user_watches)",
    );
    expect(logLines(laptop).filter((line) => line.includes('full rescan of folders not watched: the folder watchers missed 1 change: Codex home: skills/review/SKILL.md'))).toHaveLength(1);
  });

  it('reports a config it cannot use once, as an error state', async () => {
    const { laptop } = pair();
    rmSync(laptop.config);
    const h = harness(laptop);
    await h.service.backgroundCheck();
    await h.service.backgroundCheck();
    expect(h.notices).toEqual([`there is no config file yet (${laptop.config}): open Settings to create one`]);
    expect(h.service.status()).toMatchObject({ state: 'error', configReady: false, label: 'Not set up: open Settings to create config.toml' });
  });
});

describe('apply from the review window', () => {
  it('refuses a plan the folders no longer match, writes nothing, and keeps the new plan', async () => {
    const { laptop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    const h = harness(laptop);
    const first = await plan(h);
    writeFile(laptop.home, 'skills/other/SKILL.md', 'Other.\n');
    const envelope = await h.service.dispatch('apply', { planId: first.planId, choices: [] });
    expect(envelope.ok && (envelope.value as ApplyOutcome).status).toBe('changed');
    expect(existsSync(laptop.cloud)).toBe(false);
    const second = await plan(h);
    expect(second.actions.map((a) => a.path)).toEqual(['skills/other/SKILL.md', 'skills/review/SKILL.md']);
  });

  it('Cancel stops before the next file: what was written stays whole, the next hand-off does the rest', async () => {
    const { laptop } = pair();
    const names = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const name of names) writeFile(laptop.home, `skills/${name}/SKILL.md`, `${name}\n`);
    const h = harness(laptop, {
      onEvent: (event, payload, service) => {
        if (event === 'progress' && (payload as { done: number }).done === 1) void service.dispatch('cancel', {});
      },
    });
    const first = await plan(h);
    const envelope = await h.service.dispatch('apply', { planId: first.planId, choices: [] });
    expect(envelope.ok && (envelope.value as ApplyOutcome).status).toBe('cancelled');
    const copied = names.filter((name) => existsSync(join(laptop.cloud, 'skills', name, 'SKILL.md')));
    // The files in flight when Cancel came finish; none is started after it.
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.length).toBeLessThan(names.length);
    for (const name of copied) expect(readFileSync(join(laptop.cloud, 'skills', name, 'SKILL.md'), 'utf8')).toBe(`${name}\n`);
    expect(h.service.state()).toEqual({ kind: 'idle', note: 'unknown' });
    expect((await plan(h)).actions).toHaveLength(names.length - copied.length);
  });

  it('needs a choice for every unsettled conflict', async () => {
    const { laptop, desktop } = pair();
    writeFile(laptop.home, 'skills/review/SKILL.md', 'laptop\n', new Date(Date.now() - 60_000));
    writeFile(desktop.home, 'skills/review/SKILL.md', 'desktop\n', new Date(Date.now() - 30_000));
    await handOff(laptop);
    const h = harness(desktop);
    const view = await plan(h);
    expect(view.conflicts.map((c) => c.kind)).toEqual(['no-base']);
    expect(await h.service.dispatch('apply', { planId: view.planId, choices: [] })).toEqual({
      ok: false,
      error: { message: 'choose what to do with 1 conflicting file first (skills/review/SKILL.md): nothing was written', exitCode: 2, details: [] },
    });
    expect(await h.service.dispatch('apply', { planId: view.planId, choices: [{ path: 'skills/review/SKILL.md', choice: 'merge-lines' }] })).toMatchObject({
      ok: false,
      error: { message: 'skills/review/SKILL.md cannot be settled with "merge-lines"', exitCode: 4 },
    });
  });

  it('says what an apply backs up, in words true for backup.backup_before_overwrite', async () => {
    const on = pair();
    writeFile(on.laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    expect((await plan(harness(on.laptop))).backupNote).toBe('Every file replaced or deleted is backed up first.');
    const off = pair('[backup]\nbackup_before_overwrite = false\n');
    writeFile(off.laptop.home, 'skills/review/SKILL.md', 'Review.\n');
    expect((await plan(harness(off.laptop))).backupNote).toBe(
      'Deleted files and the version that loses a conflict are backed up first; other replaced files are not (backup.backup_before_overwrite is off in Settings).',
    );
  });
});

describe('the contract at the service', () => {
  it('refuses unknown requests and malformed ones with one line naming what is wrong', async () => {
    const { laptop } = pair();
    const h = harness(laptop);
    expect(await h.service.dispatch('deleteEverything', {})).toEqual({ ok: false, error: { message: 'there is no request named "deleteEverything"', exitCode: 4, details: [] } });
    expect(await h.service.dispatch('restore', { name: 'x', target: 'elsewhere', apply: true })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^invalid restore request at target: /), exitCode: 4 },
    });
    expect(await h.service.dispatch('readLogs', { date: '25/11/2026' })).toEqual({
      ok: false,
      error: { message: 'invalid readLogs request at date: must be a date like 2026-11-25', exitCode: 4, details: [] },
    });
    expect(await h.service.dispatch('status', { extra: true })).toMatchObject({ ok: false, error: { exitCode: 4 } });
    expect(await h.service.dispatch('apply', { planId: 'nope', choices: [] })).toEqual({
      ok: false,
      error: { message: 'this plan is no longer the current one: nothing was written; make a new plan', exitCode: 4, details: [] },
    });
    expect(await h.service.dispatch('restore', { name: '../etc', target: 'local', apply: false })).toMatchObject({ ok: false, error: { exitCode: 4 } });
  });
});
