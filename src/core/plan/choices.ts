import { posix } from 'node:path';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { otherSide, type Side } from '../facts.ts';
import { totalsOf } from './build.ts';
import { forkActions } from './forks.ts';
import type { Action, Conflict, ConflictChoice, Plan } from './types.ts';

/** The choices a conflict allows: all four for JSONL, no line merge for other files, none when a side is missing. */
export function choicesFor(conflict: Pick<Conflict, 'path' | 'local' | 'cloud' | 'kind'>): ConflictChoice[] {
  if (conflict.local === undefined || conflict.cloud === undefined) return [];
  // A fork keeps both versions whatever is chosen: the choice is which one continues under the thread's own id.
  if (conflict.kind === 'fork') return ['keep-local', 'take-cloud', 'keep-both'];
  return conflict.path.endsWith('.jsonl') ? ['keep-local', 'take-cloud', 'keep-both', 'merge-lines'] : ['keep-local', 'take-cloud', 'keep-both'];
}

/**
 * Where "keep both" puts the cloud's version: beside the file, named for the machine it came
 * from, e.g. `history (cloud from desktop).jsonl`; the nth name adds n when earlier ones are taken.
 */
export function keepBothName(path: string, machine: string | undefined, n = 1): string {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  const ext = posix.extname(name);
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  const label = `cloud from ${machine ?? 'another machine'}${n === 1 ? '' : ` ${n}`}`;
  return `${dir === '.' ? '' : `${dir}/`}${stem} (${label})${ext}`;
}

export interface ChoiceContext {
  /** The machine whose handoff brought the cloud's version of a path. */
  cloudMachine(path: string): string | undefined;
  /** Whether a name is taken on either side (or by this machine's base). */
  taken(path: string): boolean;
  inScope(path: string): boolean;
}

/**
 * Turns the user's choice for each conflict into the plan's own writes, which the sync then
 * applies in its one write session (the version that gives way is backed up):
 * - keep this machine: this machine's version is copied to the cloud;
 * - take cloud: the cloud's version is copied here;
 * - keep both: the cloud's version is first written beside the file as
 *   "<name> (cloud from <machine>).<ext>" here (and in the cloud when that name is in
 *   scope), then this machine's version is copied to the cloud;
 * - merge lines (JSONL): every line of both, once, in time order, on both sides.
 * A choice overrides what conflict.policy decided. Throws for a path that is not a conflict of
 * this plan, or a choice it does not offer.
 */
export function settleByChoices(plan: Plan, choices: ReadonlyMap<string, ConflictChoice>, context: ChoiceContext): void {
  const byPath = new Map(plan.conflicts.map((conflict) => [conflict.path, conflict]));
  const named = new Set<string>();
  for (const [path, choice] of choices) {
    const conflict = byPath.get(path);
    if (conflict === undefined) throw new CodexSyncError(ExitCode.invalidInput, { code: 'choice-invalid', path, choice, why: 'not-a-conflict' });
    if (!choicesFor(conflict).includes(choice)) throw new CodexSyncError(ExitCode.invalidInput, { code: 'choice-invalid', path, choice, why: 'not-offered' });
  }
  // A policy's own write for a chosen path gives way to the choice.
  plan.actions = plan.actions.filter(
    (action) => !(choices.has(action.path) && action.reason === 'conflict-resolved') && !(action.kind === 'keep' && action.reason === 'fork-kept' && choices.has(action.of)),
  );
  for (const [path, choice] of choices) {
    const conflict = byPath.get(path) as Conflict;
    const local = conflict.local as NonNullable<Conflict['local']>;
    const cloud = conflict.cloud as NonNullable<Conflict['cloud']>;
    conflict.chosen = choice;
    if (conflict.kind === 'fork') {
      plan.actions.push(...forkActions(path, choice === 'take-cloud' ? 'cloud' : 'local', { local, cloud }, 'chosen'));
      continue;
    }
    const copy = (from: Side): Action => ({ kind: 'copy', path, from, to: otherSide(from), reason: 'chosen', source: from === 'local' ? local : cloud, target: from === 'local' ? cloud : local });
    switch (choice) {
      case 'keep-local':
        plan.actions.push(copy('local'));
        break;
      case 'take-cloud':
        plan.actions.push(copy('cloud'));
        break;
      case 'merge-lines':
        plan.actions.push({ kind: 'merge', path, reason: 'chosen', local, cloud });
        break;
      case 'keep-both': {
        const machine = context.cloudMachine(path);
        let sibling = keepBothName(path, machine);
        for (let n = 2; context.taken(sibling) || named.has(sibling); n += 1) sibling = keepBothName(path, machine, n);
        named.add(sibling);
        plan.actions.push({ kind: 'keep', path: sibling, of: path, sides: context.inScope(sibling) ? ['local', 'cloud'] : ['local'], reason: 'chosen', source: cloud });
        plan.actions.push(copy('local'));
        break;
      }
    }
  }
  plan.totals = totalsOf(plan.actions);
}

/** Conflicts that stop a run before any write: neither a policy nor a choice settled them. */
export function unsettledConflicts(plan: Plan): Conflict[] {
  return plan.conflicts.filter((conflict) => conflict.resolution === undefined && conflict.chosen === undefined);
}
