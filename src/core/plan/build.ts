import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import { otherSide, type FileStat, type Side } from '../facts.ts';
import { forEachConcurrently } from '../fs/index.ts';
import { pathBelow } from '../fs/index.ts';
import { hashFile, skippedOver, type SideScan } from '../scan/index.ts';
import { threadIdOf } from '../scope/index.ts';
import { readRolloutBytes } from '../threads/index.ts';
import type { BaseEntry, BaseState } from '../state/index.ts';
import { decide, type ContentFacts, type Decision, type PathFacts, type Rules } from './decide.ts';
import type { SessionFilter } from './sessionMode.ts';
import { caseCollisions } from './caseCollisions.ts';
import { settleTypeChanges } from './shapes.ts';
import { forkActions, givingWayActions } from './forks.ts';
import { confirmThreads } from './threadCheck.ts';
import { settleThreadForms } from './threadForms.ts';
import { settleThreadMoves } from './threadMoves.ts';
import type { Action, Conflict, Plan, Skip, Totals, Waiting } from './types.ts';

/** Reads content for decisions that need it. */
export interface ContentProbe {
  hash(side: Side, path: string): Promise<string>;
  /** Whether the first `length` bytes of `longer`'s copy are exactly `shorter`'s copy. */
  isPrefix(path: string, shorter: Side, length: number): Promise<boolean>;
  /** A rollout's bytes, decompressed when it is a .jsonl.zst; undefined when they cannot be had (damaged, too large, gone). */
  rolloutBytes(side: Side, path: string): Promise<Buffer | undefined>;
}

export function fileProbe(roots: Record<Side, string>): ContentProbe {
  const hashes = new Map<string, Promise<string>>();
  const read = async (side: Side, path: string, limit?: number): Promise<string> => {
    try {
      return await hashFile(pathBelow(roots[side], path), limit);
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) throw new CodexSyncError(ExitCode.safeAbort, { code: 'vanished-while-planning', side, path });
      throw error;
    }
  };
  const hash = (side: Side, path: string): Promise<string> => {
    const key = `${side}\0${path}`;
    let pending = hashes.get(key);
    if (pending === undefined) {
      pending = read(side, path);
      hashes.set(key, pending);
    }
    return pending;
  };
  return {
    hash,
    async isPrefix(path, shorter, length) {
      const [whole, head] = await Promise.all([hash(shorter, path), read(otherSide(shorter), path, length)]);
      return whole === head;
    },
    async rolloutBytes(side, path) {
      const read = await readRolloutBytes(pathBelow(roots[side], path));
      return read.kind === 'bytes' ? read.bytes : undefined;
    },
  };
}

export interface PlanInput {
  machineId: string;
  local: SideScan;
  cloud: SideScan;
  base: BaseState;
  rules: Rules;
  /** Whether a base entry's path is still in scope (a path left out of scope is not "deleted"). */
  inScope(path: string): boolean;
  sessionFilter: SessionFilter | undefined;
  /** What has not arrived yet: its paths are left alone this run. */
  waiting?: Waiting;
  /** Whether this machine's Codex can be called to archive or unarchive a thread. */
  codexAvailable: boolean;
}

/** Content reads at once while planning; each is a whole-file hash. */
const CONTENT_CONCURRENCY = 4;

export async function buildPlan(input: PlanInput, probe: ContentProbe): Promise<Plan> {
  const paths = new Set<string>(input.local.files.keys());
  for (const path of input.cloud.files.keys()) paths.add(path);
  for (const path of input.base.entries.keys()) if (input.inScope(path)) paths.add(path);

  const waiting = new Set(input.waiting?.paths ?? []);
  const skipped = { local: skippedOver(input.local.skipped, input.local.files), cloud: skippedOver(input.cloud.skipped, input.cloud.files) };
  // Per skipped entry ("<side>\0<path>"), the paths left alone at or below it.
  const leftAlone = new Map<string, number>();
  const unknown: string[] = [];
  const all: PathFacts[] = [];
  for (const path of paths) {
    const local = input.local.files.get(path);
    const cloud = input.cloud.files.get(path);
    if (waiting.has(path)) continue;
    if (input.sessionFilter !== undefined && !input.sessionFilter.includes(path, local, cloud)) continue;
    // Unknown on a side: neither copied into it, nor deleted on the other side, nor forgotten.
    const over = { local: skipped.local(path), cloud: skipped.cloud(path) };
    if (over.local !== undefined || over.cloud !== undefined) {
      unknown.push(path);
      for (const side of ['local', 'cloud'] as const) {
        const entry = over[side];
        if (entry !== undefined) leftAlone.set(`${side}\0${entry}`, (leftAlone.get(`${side}\0${entry}`) ?? 0) + 1);
      }
      continue;
    }
    all.push(new ColumnFacts(path, input));
  }
  all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const collisions = caseCollisions(all);
  const facts = all.filter((f) => !collisions.has(f.path));

  const decisions = facts.map((f) => decide({ path: f.path, local: f.local, cloud: f.cloud, base: f.base }, {}, input.rules));
  // Most paths are decided from their stats alone; only the rest read content.
  const needContent = decisions.flatMap((first, i) => (first.kind === 'need' ? [i] : []));
  await forEachConcurrently(needContent, CONTENT_CONCURRENCY, async (i) => {
    decisions[i] = await decideWithContent(facts[i] as PathFacts, decisions[i] as Decision, input.rules, probe);
  });
  settleTypeChanges(facts, decisions);
  await confirmThreads(facts, decisions, probe);
  const moves = await settleThreadMoves(facts, decisions, probe, input.codexAvailable);
  moves.notices.push(...(await settleThreadForms(facts, decisions, probe)));

  const plan: Plan = {
    machineId: input.machineId,
    localRoot: input.local.root,
    cloudRoot: input.cloud.root,
    actions: [],
    conflicts: [],
    skips: [],
    baseRefreshes: [],
    baseForgets: [],
    unknown: unknown.sort(),
    unchanged: 0,
    totals: emptyTotals(),
    notices: [],
    waiting: input.waiting === undefined || input.waiting.paths.length + input.waiting.records.length === 0 ? undefined : { ...input.waiting, paths: [...input.waiting.paths] },
    conflictCopies: input.cloud.conflictCopies,
    threadMoves: moves.moves,
    threadMarks: { incoming: [], outgoing: [] },
    threads: [],
  };
  facts.forEach((f, i) => addDecision(plan, f, decisions[i] as Decision, input.codexAvailable));
  keepOverLeftovers(plan, facts);
  for (const f of all.filter((x) => collisions.has(x.path))) {
    plan.conflicts.push({ path: f.path, kind: 'case', local: f.local, cloud: f.cloud, resolution: undefined });
  }
  plan.conflicts.sort((a, b) => (a.path < b.path ? -1 : 1));
  plan.totals = totalsOf(plan.actions);
  if (input.sessionFilter !== undefined) plan.notices.push(input.sessionFilter.notice);
  plan.notices.push(...moves.notices);
  for (const scan of [input.local, input.cloud]) {
    for (const entry of scan.skipped) {
      plan.notices.push({ code: 'skipped', side: scan.side, path: entry.path, why: entry.why, leftAlone: leftAlone.get(`${scan.side}\0${entry.path}`) ?? 0 });
    }
  }
  return plan;
}

/**
 * A path's facts, read from the scans' and the base's columns each time they are asked for:
 * nearly every path is unchanged, and its facts are then only read, never kept (held for the
 * whole plan, an object per path and side made the peak of a plan, see bench/results/profile-notes.md).
 */
class ColumnFacts implements PathFacts {
  readonly path: string;
  readonly #input: PlanInput;

  constructor(path: string, input: PlanInput) {
    this.path = path;
    this.#input = input;
  }

  get local(): FileStat | undefined {
    return this.#input.local.files.get(this.path);
  }

  get cloud(): FileStat | undefined {
    return this.#input.cloud.files.get(this.path);
  }

  get base(): BaseEntry | undefined {
    return this.#input.base.entries.get(this.path);
  }
}

/**
 * A fork's kept version has a name derived from what it keeps, so a run killed while writing it
 * leaves the same file a later run plans again: the kept copy replaces what is there (backed up),
 * and no other action of the run writes that path.
 */
function keepOverLeftovers(plan: Plan, facts: readonly PathFacts[]): void {
  const keeps = new Map<string, Extract<Action, { kind: 'keep' }>>();
  for (const action of plan.actions) if (action.kind === 'keep' && action.rekey !== undefined) keeps.set(action.path, action);
  if (keeps.size === 0) return;
  for (const f of facts) {
    const keep = keeps.get(f.path);
    if (keep === undefined) continue;
    keep.targets = { ...(f.local === undefined ? {} : { local: f.local }), ...(f.cloud === undefined ? {} : { cloud: f.cloud }) };
    plan.actions = plan.actions.filter((a) => a === keep || a.path !== f.path);
  }
}

async function decideWithContent(f: PathFacts, first: Decision, rules: Rules, probe: ContentProbe): Promise<Decision> {
  const content: ContentFacts = {};
  let decision = first;
  // Each round answers what the previous one asked; at most: hashes, then a prefix check.
  while (decision.kind === 'need') {
    for (const side of decision.hashes) {
      const hash = await probe.hash(side, f.path);
      if (side === 'local') content.localHash = hash;
      else content.cloudHash = hash;
    }
    if (decision.prefix) {
      const local = f.local as FileStat;
      const cloud = f.cloud as FileStat;
      const shorter: Side = local.size < cloud.size ? 'local' : 'cloud';
      content.prefix = await probe.isPrefix(f.path, shorter, Math.min(local.size, cloud.size));
    }
    decision = decide(f, content, rules);
  }
  return decision;
}

function addDecision(plan: Plan, f: PathFacts, d: Decision, codexAvailable: boolean): void {
  const stat = (side: Side): FileStat => f[side] as FileStat;
  switch (d.kind) {
    case 'none':
      plan.unchanged += 1;
      return;
    case 'copy':
      if (d.replaceThread === true && !codexAvailable) {
        plan.notices.push({ code: 'thread-replace-waiting', thread: threadIdOf(f.path) as string, path: f.path });
        return;
      }
      plan.actions.push({
        kind: 'copy',
        path: f.path,
        from: d.from,
        to: otherSide(d.from),
        reason: d.reason,
        source: stat(d.from),
        target: d.target ?? f[otherSide(d.from)],
        ...(d.replaceThread === true ? { replaceThread: true as const } : {}),
        ...(d.drops === undefined ? {} : { drops: d.drops }),
      });
      return;
    case 'give-way':
      plan.actions.push(...givingWayActions(f.path, d.from, stat(d.from)));
      return;
    case 'delete':
      plan.actions.push({ kind: 'delete', path: f.path, side: d.side, reason: d.reason ?? 'deleted', target: stat(d.side) });
      return;
    case 'merge':
      plan.actions.push({ kind: 'merge', path: f.path, reason: 'merged-lines', local: stat('local'), cloud: stat('cloud') });
      return;
    case 'refresh-base': {
      const [local, cloud] = [stat('local'), stat('cloud')];
      const entry: BaseEntry = { size: local.size, sha256: d.sha256, localMtimeMs: local.mtimeMs, cloudMtimeMs: cloud.mtimeMs };
      if (local.ino !== undefined) entry.localIno = local.ino;
      if (cloud.ino !== undefined) entry.cloudIno = cloud.ino;
      plan.baseRefreshes.push({ path: f.path, entry });
      return;
    }
    case 'forget-base':
      plan.baseForgets.push(f.path);
      return;
    case 'skip': {
      const skip: Skip = { path: f.path, why: d.why, local: stat('local'), cloud: stat('cloud') };
      plan.skips.push(skip);
      return;
    }
    case 'held':
      return;
    case 'conflict': {
      const conflict: Conflict = { path: f.path, kind: d.conflict, local: f.local, cloud: f.cloud, resolution: d.resolution, ...(d.below === undefined ? {} : { below: d.below }) };
      plan.conflicts.push(conflict);
      if (d.resolution === undefined) return;
      const from = d.resolution.winner;
      // A fork settled by a policy needs this machine's Codex when its version gives way here: else it waits.
      if (d.conflict === 'fork' && from === 'cloud' && !codexAvailable) {
        conflict.resolution = undefined;
        plan.notices.push({ code: 'thread-replace-waiting', thread: threadIdOf(f.path) as string, path: f.path });
      } else if (d.conflict === 'fork') plan.actions.push(...forkActions(f.path, from, { local: stat('local'), cloud: stat('cloud') }, 'conflict-resolved'));
      else plan.actions.push({ kind: 'copy', path: f.path, from, to: otherSide(from), reason: 'conflict-resolved', source: stat(from), target: stat(otherSide(from)) });
      return;
    }
    case 'need':
      throw new Error(`internal: undecided path ${f.path}`);
  }
}

function emptyTotals(): Totals {
  return { toCloud: { files: 0, bytes: 0 }, toLocal: { files: 0, bytes: 0 }, merges: 0, deletesLocal: 0, deletesCloud: 0 };
}

export function totalsOf(actions: readonly Action[]): Totals {
  const totals = emptyTotals();
  for (const action of actions) {
    if (action.kind === 'copy') {
      const bucket = action.to === 'cloud' ? totals.toCloud : totals.toLocal;
      bucket.files += 1;
      bucket.bytes += action.source.size;
    } else if (action.kind === 'delete') {
      if (action.side === 'local') totals.deletesLocal += 1;
      else totals.deletesCloud += 1;
    } else if (action.kind === 'merge') {
      totals.merges += 1;
    } else {
      // A kept version is written where it is not yet: on both sides when it is rekeyed (its first line changes).
      for (const side of action.sides) {
        if (side === action.from && action.rekey === undefined) continue;
        const bucket = side === 'local' ? totals.toLocal : totals.toCloud;
        bucket.files += 1;
        bucket.bytes += action.source.size;
      }
    }
  }
  return totals;
}
