// A seeded random walk over two machines and one cloud folder, checked against a model after
// every step (see steps.ts for the operations, model.ts for the invariants). A failure is
// shrunk to a shorter step list that still breaks the same invariant, and printed with its seed.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { random } from '../../bench/generate.ts';
import { nextStep } from './generate.ts';
import type { Invariant, Violation } from './model.ts';
import { Runner } from './runner.ts';
import { describeStep, type Operations, type Step } from './steps.ts';

export interface Failure {
  /** Index of the step after which the invariant broke. */
  index: number;
  violations: Violation[];
  /** The runs' outcomes and the engine's last log lines, to read with the failure. */
  outcomes: string[];
  log: string[];
}

export interface WalkResult {
  seed: number;
  steps: Step[];
  failure: Failure | undefined;
  runs: number;
  /** How the runs ended, counted ("applied", "conflicts", "killed", ...). */
  tally: Record<string, number>;
}

function tally(runner: Runner): Record<string, number> {
  const counts: Record<string, number> = { 'quiet compared': runner.quiet.compared, 'quiet left (conflict)': runner.quiet.conflicted, 'quiet stuck on a hand edit, then --force': runner.quiet.stuck };
  for (const outcome of runner.outcomes) {
    const how = outcome.slice(3).replace(/ after write \d+$/, '');
    counts[how] = (counts[how] ?? 0) + 1;
  }
  return counts;
}

/**
 * Folders for the walks: tmpfs when there is one (a walk fsyncs thousands of times, and its
 * files are real files either way), else the OS temp folder; FUZZ_DIR chooses another.
 */
export function fuzzRoot(): string {
  const wanted = process.env.FUZZ_DIR;
  if (wanted !== undefined && wanted !== '') return wanted;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

let handlesQuiet = false;

/**
 * A killed run leaves its snapshot's manifest open, as a killed process leaves it; Node closes
 * such a handle when it is garbage-collected, with a warning each time. Only those warnings
 * are dropped.
 */
function quietKilledRunsHandles(): void {
  if (handlesQuiet) return;
  handlesQuiet = true;
  const target = process as unknown as { emitWarning: (warning: string | Error, ...rest: unknown[]) => void };
  const emit = target.emitWarning.bind(process);
  target.emitWarning = (warning, ...rest) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/^Closing file descriptor \d+ on garbage collection$|^Closing a FileHandle object on garbage collection/.test(text)) return;
    emit(warning, ...rest);
  };
}

async function inFreshFolder<T>(work: (dir: string) => Promise<T>): Promise<T> {
  quietKilledRunsHandles();
  const dir = mkdtempSync(join(fuzzRoot(), 'codexsync-fuzz-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` steps chosen from `seed`, each checked; stops at the first step that breaks an invariant. */
export function walk(seed: number, count: number, ops: Operations, onProgress?: (done: number) => void): Promise<WalkResult> {
  return inFreshFolder(async (dir) => {
    const rng = random(seed);
    const runner = new Runner(dir);
    const steps: Step[] = [];
    for (let i = 0; i < count; i += 1) {
      const step = nextStep(rng, runner.view(), ops, i + 1);
      steps.push(step);
      const violations = await runner.do(step, i);
      if (violations.length > 0) {
        const failure = { index: i, violations, outcomes: runner.outcomes.slice(-8), log: runner.world.log.slice(-Number(process.env.FUZZ_LOG_LINES ?? 30)) };
        return { seed, steps, failure, runs: runner.outcomes.length, tally: tally(runner) };
      }
      if ((i + 1) % 1000 === 0) onProgress?.(i + 1);
    }
    return { seed, steps, failure: undefined, runs: runner.outcomes.length, tally: tally(runner) };
  });
}

/** Plays a given step list from scratch; the first failure, if any. */
export function replay(steps: readonly Step[]): Promise<Failure | undefined> {
  return inFreshFolder(async (dir) => {
    const runner = new Runner(dir);
    for (let i = 0; i < steps.length; i += 1) {
      const violations = await runner.do(steps[i] as Step, i);
      if (violations.length > 0) return { index: i, violations, outcomes: runner.outcomes.slice(-8), log: runner.world.log.slice(-Number(process.env.FUZZ_LOG_LINES ?? 30)) };
    }
    return undefined;
  });
}

export interface Shrunk {
  steps: Step[];
  failure: Failure;
  tries: number;
}

/**
 * Delta debugging: drops chunks of steps (halves, quarters, ... single steps), keeping any
 * shorter list that still breaks `invariant`, then drops what runs were given besides (a kill,
 * held-back writes, merged copies); each try replays from scratch in a fresh folder.
 */
export async function shrink(steps: readonly Step[], failure: Failure, budgetMs: number, play: (steps: readonly Step[]) => Promise<Failure | undefined> = replay): Promise<Shrunk> {
  const invariant: Invariant = (failure.violations[0] as Violation).invariant;
  const deadline = Date.now() + budgetMs;
  let best: Shrunk = { steps: steps.slice(0, failure.index + 1), failure, tries: 0 };
  const attempt = async (candidate: Step[]): Promise<boolean> => {
    best.tries += 1;
    const found = await play(candidate);
    if (found === undefined || !found.violations.some((v) => v.invariant === invariant)) return false;
    best = { steps: candidate.slice(0, found.index + 1), failure: found, tries: best.tries };
    return true;
  };
  let parts = 2;
  while (best.steps.length > 1 && Date.now() < deadline) {
    const size = Math.ceil(best.steps.length / parts);
    let dropped = false;
    for (let start = 0; start < best.steps.length && Date.now() < deadline; start += size) {
      if (await attempt([...best.steps.slice(0, start), ...best.steps.slice(start + size)])) {
        parts = Math.max(parts - 1, 2);
        dropped = true;
        break;
      }
    }
    if (dropped) continue;
    if (size === 1) break;
    parts = Math.min(parts * 2, best.steps.length);
  }
  for (let i = 0; i < best.steps.length && Date.now() < deadline; i += 1) {
    for (const extra of ['kill', 'late', 'mergeCopies', 'acceptDeletion'] as const) {
      const simpler = i < best.steps.length ? without(best.steps[i] as Step, extra) : undefined;
      if (simpler !== undefined && Date.now() < deadline) await attempt(best.steps.map((s, j) => (j === i ? simpler : s)));
    }
  }
  return best;
}

/** A run without one of its extras (no kill, nothing held back, no merged copies, no accepted deletion), or undefined. */
function without(step: Step, extra: 'kill' | 'late' | 'mergeCopies' | 'acceptDeletion'): Step | undefined {
  if (step.op !== 'run') return undefined;
  if (extra === 'mergeCopies' || extra === 'acceptDeletion') return step[extra] ? { ...step, [extra]: false } : undefined;
  if (step[extra] === undefined) return undefined;
  const simpler = { ...step };
  delete simpler[extra];
  return simpler;
}

/** A failure as a person reads it: seed, invariant, details, the shortest step list, and how to replay it. */
export function failureReport(result: WalkResult, shrunk: Shrunk | undefined, opsSpec = ''): string {
  const ops = opsSpec === '' ? '' : `FUZZ_OPS='${opsSpec}' `;
  const failure = result.failure as Failure;
  const shown = shrunk ?? { steps: result.steps.slice(0, failure.index + 1), failure, tries: 0 };
  const lines = [
    `codexSync fuzz: ${Number.isNaN(result.seed) ? 'a replayed step list' : `seed ${result.seed}`}: "${(failure.violations[0] as Violation).invariant}" broke at step ${failure.index + 1} of the walk`,
    ...failure.violations.slice(0, 8).map((v) => `  ${v.invariant}: ${v.detail}`),
    `shortest step list found (${shown.steps.length} steps, ${shown.tries} replays), breaking:`,
    ...shown.failure.violations.slice(0, 8).map((v) => `  ${v.invariant}: ${v.detail}`),
    ...shown.steps.map((step, i) => `  ${String(i + 1).padStart(3)}. ${describeStep(step)}`),
    `runs' outcomes at the end: ${shown.failure.outcomes.join('; ')}`,
    'last engine log lines:',
    ...shown.failure.log.map((line) => `    ${line}`),
    `replay: FUZZ_REPLAY='${JSON.stringify(shown.steps)}' npm run fuzz`,
    ...(Number.isNaN(result.seed) ? [] : [`the whole walk: ${ops}FUZZ_SEED=${result.seed} FUZZ_STEPS=${failure.index + 1} npm run fuzz`]),
  ];
  return lines.join('\n');
}
