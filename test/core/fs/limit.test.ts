import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../../../src/core/fs/limit.ts';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('forEachConcurrently', () => {
  it('runs every item, never more than `concurrency` at once, starting them in order', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await forEachConcurrently([...Array(50).keys()], 4, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    });
    expect(started).toEqual([...Array(50).keys()]);
    expect(most).toBe(4);
  });

  it('after a task throws, starts nothing more, lets the tasks in hand finish, then throws the first error', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = forEachConcurrently([...Array(20).keys()], 3, async (item) => {
      started.push(item);
      await tick();
      if (item === 4) throw new Error('item 4 failed');
      if (item === 5) throw new Error('item 5 failed');
      await tick();
      finished.push(item);
    });
    await expect(run).rejects.toThrow('item 4 failed');
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachConcurrently([], 8, async () => {
      calls += 1;
    });
    expect(calls).toBe(0);
  });
});
