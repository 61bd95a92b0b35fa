// `node --expose-gc bench/warm.ts <config.toml> <changes>`: the app's warm plans, in a process of
// their own as the app's main process holds them. A full plan of a tree in sync (the check at
// start), the folder watchers on what it saw, then `changes` times: one more line appended to one
// thread (as Codex writes the thread in use), the path reported by its watcher, the re-plan timed.
// The tree is left with that thread changed. Last, the process idle: RSS after garbage collection.
// Prints one line of JSON: seconds of the full plan and of each re-plan, the idle RSS in MB.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/core/config/load.ts';
import { benchContext } from './engineContext.ts';
import { WarmPlanner } from '../src/core/engine/index.ts';
import { keepYoungGenerationSmall } from '../src/core/heap.ts';
import { currentEnvironment } from '../src/core/platform.ts';
import { TreeWatch } from '../src/main/treeWatch.ts';

const [configFile, count] = process.argv.slice(2);
const gc = (globalThis as { gc?: unknown }).gc;
if (configFile === undefined || gc === undefined) throw new Error('usage: node --expose-gc bench/warm.ts <config.toml> <changes>');
// What the app's main process does first (src/main/main.ts).
keepYoungGenerationSmall();
const env = currentEnvironment();
const config = loadConfig(configFile, env);
const ctx = benchContext(config);
const planner = new WarmPlanner();
const changes = Number(count ?? '7');
let started = performance.now();
/** The full plan at start; of its scan, only the thread to write to is kept (the app keeps no plan either): one of median size, as Codex appends to the thread in use. */
async function firstPlan(): Promise<string> {
  const { run } = await planner.rescan(ctx);
  if (run.result.plan.actions.length > 0) throw new Error('the tree is not in sync: run a sync first');
  const threads = [...run.local.files].filter(([path]) => path.startsWith('sessions/')).sort((a, b) => a[1].size - b[1].size);
  return (threads[Math.floor(threads.length / 2)] as [string, unknown])[0];
}
const thread = await firstPlan();
const full = (performance.now() - started) / 1000;
let seen = 0;
const watch = new TreeWatch({ changed: (side, paths) => void (planner.changed(side, paths) && (seen += 1)), lost: () => planner.distrust() });
started = performance.now();
watch.update(planner.folders() ?? { local: { root: '', folders: [] }, cloud: { root: '', folders: [] } });
const watchSeconds = (performance.now() - started) / 1000;
const replans: number[] = [];
const file = join(config.paths.localStateDir, thread);
for (let i = 0; i < changes; i += 1) {
  const before = seen;
  appendFileSync(file, '{"type":"response_item","payload":{"text":"one more turn"}}\n');
  // The watcher's report, as the app waits for it (its quiet period is not part of the re-plan).
  while (seen === before) await new Promise((resolve) => setTimeout(resolve, 5));
  started = performance.now();
  const planned = (await planner.plan(ctx)).result.plan.actions.map((action) => action.path);
  replans.push((performance.now() - started) / 1000);
  if (planned.length !== 1 || planned[0] !== thread) throw new Error(`the re-plan planned ${planned.join(', ')}, not ${thread} alone`);
}
// As V8's memory reducer leaves an idle process: a full collection that also gives back the pages it freed.
const reduce = (): void => (gc as unknown as (options: object) => void)({ type: 'major', execution: 'sync', flavor: 'last-resort' });
reduce();
await new Promise((resolve) => setTimeout(resolve, 1000));
reduce();
const idleRssMb = process.memoryUsage().rss / 2 ** 20;
console.log(JSON.stringify({ full, watchSeconds, watchers: watch.size, replans, idleRssMb }));
watch.close();
await ctx.log.close();
