/**
 * Runs `task` on every item, `concurrency` at a time, in the items' order; a few runners take
 * the next item each, so a long list never waits as one promise per item. After a task throws, no
 * further item starts, the tasks in hand finish, and then the first error is thrown.
 */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | undefined;
  const runner = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runner));
  if (failed !== undefined) throw failed.error;
}
