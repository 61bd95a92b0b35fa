import { readFile } from 'node:fs/promises';
import { otherSide, type FileStat, type Side } from '../facts.ts';
import { forEachConcurrently, pathBelow } from '../fs/index.ts';
import type { Plan, ThreadChange } from '../plan/index.ts';
import { threadIdOf } from '../scope/index.ts';
import { compareRollouts, parseSessionIndex, readRolloutBytes, readRolloutHead, type SessionIndex, type ThreadSummary } from '../threads/index.ts';

// People think in threads, not rollout files: a plan's changes to rollouts, grouped by
// thread, with the thread's title, project folder and what happened to it. Only the threads a
// plan touches are read, and of those only their first lines, unless their turns are counted.

/** Threads of one plan whose added turns are counted (each read whole on both sides). */
const TURN_COUNTS = 200;

export interface ThreadViewInput {
  plan: Plan;
  roots: Record<Side, string>;
  /** The machine the cloud's side of a path came from (its handoff record), when known. */
  cloudMachine(path: string): string | undefined;
  /** Names Codex shows on this machine now (from its catalogue). */
  names: ReadonlyMap<string, string | null> | undefined;
}

/** Groups a plan's rollout changes by thread and describes each. */
export async function threadView(input: ThreadViewInput): Promise<ThreadChange[]> {
  const { plan, roots } = input;
  const byThread = new Map<string, ThreadChange>();
  const touch = (id: string, paths: string[], fill: (change: ThreadChange) => void): void => {
    const change = byThread.get(id) ?? { id, title: id, project: undefined, kind: 'changed', from: 'cloud', machine: undefined, paths: [] };
    for (const path of paths) if (!change.paths.includes(path)) change.paths.push(path);
    fill(change);
    byThread.set(id, change);
  };
  const rolloutSides: Record<Side, Map<string, FileStat>> = { local: new Map(), cloud: new Map() };
  for (const action of plan.actions) {
    const id = threadIdOf(action.kind === 'keep' ? action.of : action.path);
    if (id === undefined) continue;
    if (action.kind === 'copy') {
      rolloutSides[action.from].set(action.path, action.source);
      touch(id, [action.path], (c) => {
        if (c.kind === 'forked' || c.kind === 'compressed' || c.kind === 'decompressed') return;
        c.from = action.from;
        c.kind = action.replaceThread === true ? 'replaced' : action.target === undefined ? 'new' : 'continued';
      });
    } else if (action.kind === 'delete') {
      rolloutSides[action.side].set(action.path, action.target);
      touch(id, [action.path], (c) => {
        if (c.kind === 'forked' || action.reason === 'fork-kept') return;
        c.from = action.side === 'local' ? 'cloud' : 'local';
        if (action.reason === 'archived' || action.reason === 'unarchived') c.kind = action.reason;
        // The plain form goes when the compressed one takes its place, and the reverse.
        else if (action.reason === 'form-changed') c.kind = action.path.endsWith('.zst') ? 'decompressed' : 'compressed';
        else if (c.kind === 'changed') c.kind = 'deleted';
      });
    } else if (action.kind === 'keep' && action.rekey !== undefined) {
      // A fork's version that gives way (here or there): the thread forked, whatever else its paths do.
      rolloutSides[action.from ?? 'cloud'].set(action.of, action.source);
      touch(id, [action.of], (c) => {
        c.kind = 'forked';
      });
    }
  }
  for (const conflict of plan.conflicts) {
    const id = threadIdOf(conflict.path);
    if (id === undefined || conflict.local === undefined || conflict.cloud === undefined) continue;
    rolloutSides.local.set(conflict.path, conflict.local);
    touch(id, [conflict.path, ...(conflict.below ?? [])], (c) => {
      c.kind = 'forked';
      // The other machine is the cloud's, whichever version continues (a copy to the cloud set `from` to this machine).
      c.from = 'cloud';
    });
  }
  for (const move of plan.threadMoves) {
    rolloutSides.local.set(move.from, move.local);
    touch(move.thread, [move.from, move.to], (c) => {
      c.kind = move.op === 'archive' ? 'archived' : 'unarchived';
      c.from = 'cloud';
    });
  }
  for (const change of plan.threadMarks.incoming) touch(change.thread, [], (c) => addMark(c, change.mark, change.value, 'cloud'));
  for (const change of plan.threadMarks.outgoing) touch(change.thread, [], (c) => addMark(c, change.mark, change.value, 'local'));
  if (byThread.size === 0) return [];

  // Each thread's title, project and Codex version are in its first lines: only those are read.
  const summaries = new Map<string, ThreadSummary>();
  await forEachConcurrently([...byThread.values()], 4, async (change) => {
    for (const side of [change.from, otherSide(change.from)]) {
      const path = change.paths.find((p) => rolloutSides[side].has(p));
      if (path === undefined) continue;
      const head = await readRolloutHead(pathBelow(roots[side], path), undefined, undefined, true);
      if (head.kind === 'thread') {
        summaries.set(change.id, head.summary);
        return;
      }
    }
  });
  const index = await sessionIndexes(roots);
  let described = 0;
  for (const change of byThread.values()) {
    const summary = summaries.get(change.id);
    const marked = change.marks?.find((m) => m.mark === 'name')?.value;
    const name = typeof marked === 'string' ? marked : (input.names?.get(change.id) ?? index.local?.names.get(change.id)?.name ?? index.cloud?.names.get(change.id)?.name);
    change.title = name ?? (summary !== undefined && summary.title !== '' ? summary.title : change.id);
    change.project = summary?.cwd;
    if (summary?.cliVersion !== undefined) change.cliVersion = summary.cliVersion;
    change.machine = change.from === 'cloud' ? change.paths.map((p) => input.cloudMachine(p)).find((m) => m !== undefined) : plan.machineId;
    // Turns added are counted by reading both versions whole: for the first threads of a plan that continues many.
    if ((change.kind === 'continued' || change.kind === 'forked') && (described += 1) <= TURN_COUNTS) await describeTurns(change, roots);
  }
  const order = (c: ThreadChange): string => `${c.title}\0${c.id}`;
  return [...byThread.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1));
}

function addMark(change: ThreadChange, mark: 'name' | 'pinned', value: string | null | boolean, from: Side): void {
  (change.marks ??= []).push({ mark, value, from });
  if (change.paths.length === 0) {
    change.kind = 'marked';
    change.from = from;
  }
}

/** Turns added on each side: read both versions (the threads a plan touches only). */
async function describeTurns(change: ThreadChange, roots: Record<Side, string>): Promise<void> {
  const path = change.paths[0] as string;
  const [local, cloud] = await Promise.all([readRolloutBytes(pathBelow(roots.local, path)), readRolloutBytes(pathBelow(roots.cloud, path))]);
  if (local.kind !== 'bytes' || cloud.kind !== 'bytes') return;
  const compared = compareRollouts(local.bytes, cloud.bytes);
  if (compared.kind === 'extension') {
    change.turnsAdded = compared.addedTurns.length;
    if (change.kind === 'continued' && (compared.longer === 'left') !== (change.from === 'local')) change.kind = 'replaced';
  } else if (compared.kind === 'fork') {
    change.fork = { sharedTurns: compared.sharedTurns, localTurns: compared.left.addedTurns.length, cloudTurns: compared.right.addedTurns.length };
    if (change.kind === 'continued') change.kind = 'replaced';
  } else if (compared.kind === 'unrelated' && change.kind === 'continued') {
    change.kind = 'replaced';
  }
}

async function sessionIndexes(roots: Record<Side, string>): Promise<Record<Side, SessionIndex | undefined>> {
  const read = async (root: string): Promise<SessionIndex | undefined> => {
    try {
      return parseSessionIndex(await readFile(pathBelow(root, 'session_index.jsonl')));
    } catch {
      return undefined;
    }
  };
  const [local, cloud] = await Promise.all([read(roots.local), read(roots.cloud)]);
  return { local, cloud };
}
