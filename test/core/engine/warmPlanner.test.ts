import { readFileSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync, WarmPlanner, type EngineContext } from '../../../src/core/engine/index.ts';
import { planRun, type PlanResult } from '../../../src/core/engine/planRun.ts';
import type { Side } from '../../../src/core/facts.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const thread = (day: string, id: string): string => `sessions/2026/11/${day}/rollout-2026-11-${day}T10-00-00-${id}.jsonl`;
const first = thread('24', '019a0000-0000-7000-8000-000000000001');
const second = thread('24', '019a0000-0000-7000-8000-000000000002');
const meta = (id: string): string => `{"timestamp":"2026-11-24T10:00:00.000Z","type":"session_meta","payload":{"id":"${id}","cwd":"/w","cli_version":"0.169.0"}}\n`;

async function withCtx<T>(ws: Workspace, work: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const ctx = engineContext(ws.config, noAnswer);
  try {
    return await work(ctx);
  } finally {
    await ctx.log.close();
  }
}

async function handOff(ws: Workspace): Promise<void> {
  const result = await withCtx(ws, (ctx) => sync(ctx, { apply: true }));
  expect(result.exitCode).toBe(0);
}

/** What a person and an apply see of a plan: everything but the process check's timing. */
const seen = (result: PlanResult) => ({ ...result, guard: undefined });

/** Two machines that handed off the same skills and two threads, the laptop's planner warm. */
async function pair(): Promise<{ laptop: Workspace; desktop: Workspace; planner: WarmPlanner }> {
  const dir = tempDir();
  const laptop = workspace(dir, { machine: 'laptop' });
  const desktop = workspace(dir, { machine: 'desktop' });
  writeFile(desktop.home, 'skills/review/SKILL.md', 'Review.\n', at(1));
  writeFile(desktop.home, 'skills/review/notes.md', 'Notes.\n', at(1));
  writeFile(desktop.home, first, meta('019a0000-0000-7000-8000-000000000001'), at(1));
  writeFile(desktop.home, second, meta('019a0000-0000-7000-8000-000000000002'), at(1));
  writeFile(desktop.home, 'history.jsonl', '{"session_id":"a","ts":1,"text":"x"}\n', at(1));
  await handOff(desktop);
  await handOff(laptop);
  const planner = new WarmPlanner();
  await withCtx(laptop, (ctx) => planner.plan(ctx));
  return { laptop, desktop, planner };
}

/** The warm plan after `changes` were reported, and a cold plan of the same files. */
async function warmAndCold(ws: Workspace, planner: WarmPlanner, changes: Partial<Record<Side, string[]>>): Promise<{ warm: PlanResult; cold: PlanResult }> {
  for (const side of ['local', 'cloud'] as const) planner.changed(side, changes[side] ?? []);
  return withCtx(ws, async (ctx) => {
    const warm = (await planner.plan(ctx)).result;
    const cold = (await planRun(ctx, { notes: [] } as never, { ignoreHandoffRecord: false })).result;
    return { warm, cold };
  });
}

const actions = (result: PlanResult) => result.plan.actions.map((a) => `${a.kind} ${a.path}`);

describe('warm plans: the kept scans brought up to date with the paths a watcher reported', () => {
  it('a changed, an added and a deleted file: the warm plan is the cold plan', async () => {
    const { laptop, planner } = await pair();
    writeFile(laptop.home, 'history.jsonl', '{"session_id":"a","ts":1,"text":"x"}\n{"session_id":"b","ts":2,"text":"y"}\n', at(2));
    writeFile(laptop.home, 'skills/review/extra.md', 'Extra.\n', at(2));
    unlinkSync(join(laptop.home, 'skills/review/notes.md'));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: ['history.jsonl', 'skills/review/extra.md', 'skills/review/notes.md'] });
    expect(actions(warm)).toEqual(['copy history.jsonl', 'copy skills/review/extra.md', 'delete skills/review/notes.md']);
    expect(seen(warm)).toEqual(seen(cold));
    expect(warm.fingerprint).toBe(cold.fingerprint);
  });

  it('a renamed thread (archived): both names reported, the move planned as a cold plan plans it', async () => {
    const { laptop, planner } = await pair();
    const archived = `archived_sessions/${second.split('/').pop() as string}`;
    writeFile(laptop.home, archived, meta('019a0000-0000-7000-8000-000000000002'), at(1));
    unlinkSync(join(laptop.home, second));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: [second, archived] });
    expect(warm.plan.threadMoves.length + warm.plan.actions.length).toBeGreaterThan(0);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it("the other machine's handoff arriving: its record is read again and the pull planned", async () => {
    const { laptop, desktop, planner } = await pair();
    writeFile(desktop.home, 'skills/review/SKILL.md', 'Review, again.\n', at(3));
    await handOff(desktop);
    const { warm, cold } = await warmAndCold(laptop, planner, { cloud: ['skills/review/SKILL.md', '.codexsync/handoff-desktop.json'] });
    expect(actions(warm)).toEqual(['copy skills/review/SKILL.md']);
    expect(warm.handoff).toEqual({ from: 'desktop', newest: 'desktop' });
    expect(seen(warm)).toEqual(seen(cold));
  });

  it('a folder replaced by a link: the side is walked again, its files left alone as a cold plan leaves them', async () => {
    const { laptop, planner } = await pair();
    const outside = tempDir();
    writeFile(outside, 'SKILL.md', 'Elsewhere.\n');
    rmSync(join(laptop.home, 'skills/review'), { recursive: true });
    symlinkSync(outside, join(laptop.home, 'skills/review'));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: ['skills/review'] });
    expect(warm.plan.unknown).toEqual(['skills/review/SKILL.md', 'skills/review/notes.md']);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it('a new folder with a thread in it: walked, planned as a cold plan plans it', async () => {
    const { laptop, planner } = await pair();
    const fresh = thread('30', '019a0000-0000-7000-8000-000000000003');
    writeFile(laptop.home, fresh, meta('019a0000-0000-7000-8000-000000000003'), at(4));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: ['sessions/2026/11/30'] });
    expect(actions(warm)).toEqual([`copy ${fresh}`]);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it('a name that differs from a synced one only by case: both held as a case conflict, as a cold plan holds them', async () => {
    const { laptop, planner } = await pair();
    writeFile(laptop.home, 'skills/review/skill.md', 'Lower case.\n', at(2));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: ['skills/review/skill.md'] });
    expect(warm.plan.conflicts.map((c) => `${c.kind} ${c.path}`)).toEqual(['case skills/review/SKILL.md', 'case skills/review/skill.md']);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it('a thread both machines continued: the fork is planned from every file of the thread, as a cold plan plans it', async () => {
    const { laptop, desktop, planner } = await pair();
    writeFile(desktop.home, first, `${meta('019a0000-0000-7000-8000-000000000001')}{"type":"response_item","payload":{"text":"desktop"}}\n`, at(3));
    await handOff(desktop);
    writeFile(laptop.home, first, `${meta('019a0000-0000-7000-8000-000000000001')}{"type":"response_item","payload":{"text":"laptop"}}\n`, at(4));
    const { warm, cold } = await warmAndCold(laptop, planner, { local: [first], cloud: [first, '.codexsync/handoff-desktop.json'] });
    expect(warm.plan.conflicts.map((c) => `${c.kind} ${c.path}`)).toEqual([`fork ${first}`]);
    expect(warm.plan.unchanged).toBe(cold.plan.unchanged);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it("a handoff made side by side with this machine's: its own records read where they matter, the plan as a cold plan makes it", async () => {
    // As test/fault/sideBySide.test.ts's first case, planned warm on a.
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const skill = 'skills/x/SKILL.md';
    const held = [skill, '.codexsync/handoff-a.json'];
    const take = () => new Map(held.map((path) => [path, { bytes: readFileSync(join(a.cloud, path)), mtime: statSync(join(a.cloud, path)).mtime }]));
    const put = (files: ReturnType<typeof take>) => {
      for (const [path, file] of files) utimesSync(writeFile(a.cloud, path, file.bytes), file.mtime, file.mtime);
    };
    writeFile(a.home, skill, 'x 1\n', at(1));
    writeFile(b.home, 'skills/notes/SKILL.md', 'notes from b\n', at(1));
    await handOff(a);
    writeFile(a.home, skill, 'x 2, edited on a\n', at(2));
    const before = take();
    await handOff(a);
    // The cloud client holds a's edit and record back while b hands off beside it.
    const late = take();
    put(before);
    const planner = new WarmPlanner();
    await withCtx(a, (ctx) => planner.plan(ctx));
    await handOff(b);
    put(late);
    const { warm, cold } = await warmAndCold(a, planner, { cloud: [...held, 'skills/notes/SKILL.md', '.codexsync/handoff-b.json'] });
    // b's record lists the skill as b knew it from a: older news, not waited for (a's own records say so).
    expect(warm.plan.waiting).toBeUndefined();
    expect(actions(warm)).toEqual(['copy skills/notes/SKILL.md']);
    expect(seen(warm)).toEqual(seen(cold));
  });

  it('stats only what was reported: a change no watcher reported is found by the full rescan, as a watcher miss', async () => {
    const { laptop, planner } = await pair();
    writeFile(laptop.home, 'skills/review/notes.md', 'Notes, changed.\n', at(5));
    unlinkSync(join(laptop.home, first));
    const warm = await withCtx(laptop, (ctx) => planner.plan(ctx));
    expect(actions(warm.result)).toEqual([]);
    const { run, misses } = await withCtx(laptop, (ctx) => planner.rescan(ctx));
    expect(misses).toEqual([
      { side: 'local', path: first },
      { side: 'local', path: 'skills/review/notes.md' },
    ]);
    expect(actions(run.result)).toEqual([`delete ${first}`, 'copy skills/review/notes.md']);
    // The rescan's scans are kept: the next plan agrees with a cold one.
    const { warm: after, cold } = await warmAndCold(laptop, planner, {});
    expect(seen(after)).toEqual(seen(cold));
  });

  it('after an apply (its base state changed) the next plan reads everything afresh, changes no watcher reported included', async () => {
    const { laptop, planner } = await pair();
    writeFile(laptop.home, 'skills/review/notes.md', 'Notes, handed off.\n', at(6));
    await handOff(laptop);
    const { warm, cold } = await warmAndCold(laptop, planner, {});
    expect(actions(warm)).toEqual([]);
    expect(seen(warm)).toEqual(seen(cold));
  });
});
