// scenario.toml, checked: every key known, every step of exactly one kind. A misspelt key
// (`stdout_contain`) would otherwise assert nothing and the scenario would pass regardless.
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';
import { parseArgs, type Invocation } from '../../src/cli/args.ts';
import { CodexSyncError } from '../../src/core/errors.ts';

/** Trees a step may name besides the machines: the cloud mirror, the backup folder, the whole workspace. */
export const sharedTrees = ['cloud', 'backups', 'ws'] as const;
/** Folder names of expected/ that hold golden files, not trees. */
export const goldenFolders = ['state', 'records'] as const;

const time = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'not a date and time (e.g. "2026-02-01T00:00:00Z")' });
/** "<tree>:<path>" */
const target = z.string().regex(/^[a-z0-9-]+:[^:]+$/, { message: 'expected "<tree>:<path>", e.g. "a:skills/x/SKILL.md"' });
const check = z.array(z.string()).optional();

const stepKinds = {
  run: z.strictObject({
    run: z.string().min(1),
    machine: z.string().optional(),
    exit: z.number().int().min(0).optional(),
    stdout_contains: z.array(z.string()).optional(),
    stdout_lacks: z.array(z.string()).optional(),
    check,
  }),
  write: z.strictObject({ write: target, content: z.string(), mtime: time.optional(), check }),
  append: z.strictObject({ append: target, content: z.string(), mtime: time.optional(), check }),
  touch: z.strictObject({ touch: target, mtime: time.optional(), check }),
  delete: z.strictObject({ delete: target, check }),
  /** "<machine>:<side>/<path>": some snapshot of that machine holds this content. */
  backup_has: z.strictObject({ backup_has: target, content: z.string(), check }),
  /** "<tree>:<path>" that must not exist (tree "ws" is the whole workspace). */
  absent: z.strictObject({ absent: target, check }),
  /** "<machine>": no snapshot of that machine exists. */
  no_backups: z.strictObject({ no_backups: z.string().min(1), check }),
  /** "<machine id>": another machine hands off the cloud folder as it stands (writes its handoff record listing every file). */
  handoff: z.strictObject({ handoff: z.string().regex(/^[a-z0-9-]+$/), check }),
};

type StepKind = keyof typeof stepKinds;
export type Step = { [K in StepKind]: z.infer<(typeof stepKinds)[K]> }[StepKind];
export type RunStep = z.infer<typeof stepKinds.run> & { invocation: SupportedInvocation | CodexSyncError };
export type ParsedStep = Exclude<Step, { run: string }> | RunStep;

/** The commands a scenario step may run in-process. */
export type SupportedInvocation = Extract<Invocation, { kind: 'plan' | 'sync' | 'restore' | 'doctor' | 'preflight' }>;

const scenarioSchema = z.strictObject({
  description: z.string().min(1),
  machines: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .min(1)
    .refine((names) => names.every((name) => !(sharedTrees as readonly string[]).includes(name) && !(goldenFolders as readonly string[]).includes(name)), {
      message: `a machine may not be named ${[...sharedTrees, ...goldenFolders].join(', ')}`,
    })
    .optional(),
  /** TOML appended to each machine's config. */
  config: z.string().optional(),
  /** "<tree>:<path>" -> the modification time of that initial file (default 2026-01-01). */
  mtimes: z.record(target, time).optional(),
  steps: z.array(z.unknown()).min(1),
});

export interface Scenario {
  description: string;
  machines: string[];
  config: string;
  mtimes: Record<string, string>;
  steps: ParsedStep[];
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

function issueText(issue: z.core.$ZodIssue, allowed: readonly string[]): string {
  const at = issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
  if (issue.code === 'unrecognized_keys') {
    return `${at}unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed.join(', ')})`;
  }
  return `${at}${issue.message}`;
}

function failure(file: string, where: string, issues: readonly string[]): ScenarioError {
  return new ScenarioError(`${shown(file)}: ${where}${issues.join('; ')}`);
}

/** Reads and checks `<dir>/scenario.toml`; throws a ScenarioError naming the file and the bad key. */
export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ScenarioError(`${shown(file)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const top = scenarioSchema.safeParse(raw);
  if (!top.success)
    throw failure(
      file,
      '',
      top.error.issues.map((issue) => issueText(issue, Object.keys(scenarioSchema.shape))),
    );
  const machines = top.data.machines ?? ['a'];
  const trees = [...machines, ...sharedTrees];
  const steps = top.data.steps.map((step, index) => parseStep(file, `step ${index + 1}`, step));

  for (const [index, step] of steps.entries()) {
    const where = `step ${index + 1}: `;
    const spec = 'write' in step ? step.write : 'append' in step ? step.append : 'touch' in step ? step.touch : 'delete' in step ? step.delete : 'absent' in step ? step.absent : undefined;
    if (spec !== undefined && !trees.includes(spec.slice(0, spec.indexOf(':')))) throw failure(file, where, [`unknown tree in "${spec}" (trees: ${trees.join(', ')})`]);
    const machine = 'backup_has' in step ? step.backup_has.slice(0, step.backup_has.indexOf(':')) : 'no_backups' in step ? step.no_backups : 'run' in step ? step.machine : undefined;
    if (machine !== undefined && !machines.includes(machine)) throw failure(file, where, [`"${machine}" is not one of the scenario's machines (${machines.join(', ')})`]);
    for (const tree of step.check ?? []) if (!trees.includes(tree)) throw failure(file, where, [`check: unknown tree "${tree}"`]);
  }
  for (const key of Object.keys(top.data.mtimes ?? {})) {
    if (!trees.includes(key.slice(0, key.indexOf(':')))) throw failure(file, 'mtimes: ', [`unknown tree in "${key}"`]);
  }
  return { description: top.data.description, machines, config: top.data.config ?? '', mtimes: top.data.mtimes ?? {}, steps };
}

function parseStep(file: string, label: string, raw: unknown): ParsedStep {
  const where = `${label}: `;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw failure(file, where, ['a step must be a [[steps]] table']);
  const keys = Object.keys(raw);
  const kinds = keys.filter((key): key is StepKind => Object.hasOwn(stepKinds, key));
  if (kinds.length !== 1) {
    const unknown = keys.filter((key) => !Object.values(stepKinds).some((schema) => Object.hasOwn(schema.shape, key)));
    throw failure(file, where, [
      `a step needs exactly one of ${Object.keys(stepKinds).join(', ')}; it has ${kinds.length === 0 ? 'none' : kinds.join(' and ')}` +
        (unknown.length === 0 ? '' : ` (unknown key${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k}"`).join(', ')})`),
    ]);
  }
  const kind = kinds[0] as StepKind;
  const schema = stepKinds[kind];
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw failure(
      file,
      `${label} (${kind}): `,
      parsed.error.issues.map((issue) => issueText(issue, Object.keys(schema.shape))),
    );
  const step = parsed.data as Step;
  if (!('run' in step)) return step;
  return { ...step, invocation: parseRun(file, where, step.run) };
}

/** The words of `run`, parsed by the CLI's own parser; a usage error stays a result the step may expect (exit 4). */
function parseRun(file: string, where: string, words: string): SupportedInvocation | CodexSyncError {
  const argv = words.split(' ');
  if (argv.includes('-c') || argv.some((word) => word.startsWith('--config'))) throw failure(file, where, [`run: the runner gives each machine its config; drop the -c/--config of "${words}"`]);
  let invocation: Invocation;
  try {
    invocation = parseArgs(argv);
  } catch (error) {
    if (error instanceof CodexSyncError) return error;
    throw error;
  }
  if (invocation.kind === 'plan' || invocation.kind === 'sync' || invocation.kind === 'restore' || invocation.kind === 'doctor' || invocation.kind === 'preflight') return invocation;
  throw failure(file, where, [`run: "${words}" is not a command a scenario can run (plan, sync, restore, doctor, preflight)`]);
}
