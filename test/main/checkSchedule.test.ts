import { describe, expect, it } from 'vitest';
import { CheckSchedule, type ScheduleTimers } from '../../src/main/service/checkSchedule.ts';
import type { RescanReason } from '../../src/main/service/words.ts';

/** Timers a test fires by hand: each is named by its delay. */
function handTimers() {
  const pending = new Map<number, { ms: number; run: () => void; every: boolean }>();
  let next = 0;
  const timers: ScheduleTimers = {
    setTimeout: (run, ms) => (pending.set(++next, { ms, run, every: false }), next) as never,
    clearTimeout: (id) => void pending.delete(id as number),
    setInterval: (run, ms) => (pending.set(++next, { ms, run, every: true }), next) as never,
    clearInterval: (id) => void pending.delete(id as number),
  };
  const fire = (ms: number): void => {
    for (const [id, timer] of [...pending]) {
      if (timer.ms !== ms) continue;
      if (!timer.every) pending.delete(id);
      timer.run();
    }
  };
  return { timers, fire, delays: () => [...pending.values()].map((t) => t.ms).sort((a, b) => a - b) };
}

describe('CheckSchedule: when the app plans in the background', () => {
  it('a rescan at start and every hour; changes planned once the folders are quiet, many changes one check', async () => {
    const checks: Array<RescanReason | 'plan'> = [];
    const { timers, fire, delays } = handTimers();
    const schedule = new CheckSchedule(async (rescan) => void checks.push(rescan ?? 'plan'), timers);
    schedule.start();
    await schedule.idle();
    expect(checks).toEqual(['start']);
    schedule.changed();
    schedule.changed();
    schedule.changed();
    expect(delays()).toEqual([500, 3_600_000]);
    fire(500);
    await schedule.idle();
    fire(3_600_000);
    await schedule.idle();
    expect(checks).toEqual(['start', 'plan', 'hourly']);
    schedule.stop();
    expect(delays()).toEqual([]);
  });

  it('one check at a time: what is asked meanwhile follows it, a rescan in place of a plain check', async () => {
    const checks: Array<RescanReason | 'plan'> = [];
    let release: () => void = () => undefined;
    const { timers, fire } = handTimers();
    const schedule = new CheckSchedule(async (rescan) => {
      checks.push(rescan ?? 'plan');
      if (checks.length === 1) await new Promise<void>((resolve) => (release = resolve));
    }, timers);
    schedule.start();
    schedule.changed();
    fire(500);
    schedule.rescan('resume');
    schedule.changed();
    fire(500);
    expect(checks).toEqual(['start']);
    release();
    await schedule.idle();
    expect(checks).toEqual(['start', 'resume']);
  });
});
