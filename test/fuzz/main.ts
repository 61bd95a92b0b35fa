// `npm run fuzz`: one long walk. FUZZ_STEPS (default 10000), FUZZ_SEED (default: from the
// clock, printed), FUZZ_OPS ("+fileFolder,-kill": see OPERATIONS in steps.ts), FUZZ_SHRINK_SECONDS
// (default 600), FUZZ_LOG_LINES (engine log lines a failure shows, default 30);
// FUZZ_REPLAY='<the JSON step list a failure printed>', or the name of a known defect's list
// (defects.ts) or a fixed one's (regressions.ts), replays that list instead. FUZZ_STUCK_FAILS=1
// also fails the quiet phases that wait, by design, for a version put in the cloud folder by
// hand (see runner.ts).
import { failureReport, replay, shrink, walk, type WalkResult } from './walk.ts';
import { knownDefects } from './defects.ts';
import { fixedDefects } from './regressions.ts';
import { describeStep, operationsFrom, type Step } from './steps.ts';

const env = process.env;
const ops = operationsFrom(env.FUZZ_OPS);
const shrinkMs = Number(env.FUZZ_SHRINK_SECONDS ?? '600') * 1000;

async function main(): Promise<number> {
  if (env.FUZZ_REPLAY !== undefined && env.FUZZ_REPLAY !== '') {
    const known = knownDefects[env.FUZZ_REPLAY];
    const fixed = fixedDefects[env.FUZZ_REPLAY];
    if (known !== undefined) console.log(`${env.FUZZ_REPLAY} (${known.operation}, breaks "${known.invariant}"): ${known.what}`);
    if (fixed !== undefined) console.log(`${env.FUZZ_REPLAY} (fixed): ${fixed.what}`);
    const steps = known?.steps ?? fixed?.steps ?? (JSON.parse(env.FUZZ_REPLAY) as Step[]);
    steps.forEach((step, i) => console.log(`${String(i + 1).padStart(3)}. ${describeStep(step)}`));
    const failure = await replay(steps);
    if (failure === undefined) {
      console.log(`replayed ${steps.length} steps: every invariant held`);
      return 0;
    }
    const result = { seed: Number.NaN, steps, failure, runs: 0, tally: {} };
    console.log(failureReport(result, await shrink(steps, failure, shrinkMs), env.FUZZ_OPS ?? ''));
    return 1;
  }
  const seed = env.FUZZ_SEED !== undefined && env.FUZZ_SEED !== '' ? Number(env.FUZZ_SEED) : Date.now() % 1_000_000_007;
  const count = Number(env.FUZZ_STEPS ?? '10000');
  const enabled = Object.entries(ops)
    .filter(([, on]) => on)
    .map(([name]) => name);
  console.log(`codexSync fuzz: seed ${seed}, ${count} steps, operations: ${enabled.join(', ')}`);
  const started = Date.now();
  const result: WalkResult = await walk(seed, count, ops, (done) => console.log(`  ${done} steps, ${Math.round((Date.now() - started) / 1000)} s`));
  if (result.failure === undefined) {
    console.log(`seed ${seed}: ${count} steps (${result.runs} runs) in ${Math.round((Date.now() - started) / 1000)} s, every invariant held`);
    console.log(
      `  runs: ${Object.entries(result.tally)
        .map(([how, n]) => `${how} ${n}`)
        .join(', ')}`,
    );
    return 0;
  }
  console.log(`seed ${seed}: an invariant broke at step ${result.failure.index + 1}; shrinking (up to ${shrinkMs / 1000} s)...`);
  console.log(failureReport(result, await shrink(result.steps, result.failure, shrinkMs), env.FUZZ_OPS ?? ''));
  return 1;
}

process.exitCode = await main();
