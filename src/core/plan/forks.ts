import { createHash } from 'node:crypto';
import { newThreadId } from '../threads/index.ts';
import { otherSide, type FileStat, type Side } from '../facts.ts';
import { threadIdOf } from '../scope/index.ts';
import type { Action } from './types.ts';

// A fork is one thread each machine continued differently. Codex keeps a history of each
// thread with byte offsets into its rollout, so a rollout is never replaced in place by a
// version that does not continue it: the version that continues under the thread's own id is
// written after Codex dropped its own (replaceThread), and the version that gives way becomes
// a thread of its own on both machines: the same bytes under a fresh id (rekeyed), beside it.

/**
 * The fresh id of the version that gives way: a UUIDv7 as Codex makes them, derived from the
 * thread and that version's size and time, so that the plan a person reviewed and the one
 * applied name the same thread.
 */
export function forkedThreadId(thread: string, side: Side, stat: FileStat): string {
  const digest = createHash('sha256').update(`${thread}\n${side}\n${stat.size}\n${stat.mtimeMs}`).digest();
  return newThreadId(Math.floor(stat.mtimeMs), digest.subarray(0, 10));
}

/** The rollout's path with another thread id in its name: the same folder, the same time. */
export function forkedPath(path: string, thread: string, newThread: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}${path.slice(slash + 1).replace(thread, newThread)}`;
}

/** `from`'s version of the thread at `path`, kept on both sides as a thread of its own under a fresh id. */
function keptAsOwnThread(path: string, from: Side, stat: FileStat): Extract<Action, { kind: 'keep' }> {
  const thread = threadIdOf(path) as string;
  const newThread = forkedThreadId(thread, from, stat);
  return { kind: 'keep', path: forkedPath(path, thread, newThread), of: path, from, sides: ['local', 'cloud'], reason: 'fork-kept', source: stat, rekey: { from: thread, to: newThread } };
}

/**
 * The writes that settle a fork with `winner` continuing under the thread's id: the other
 * version kept as a thread of its own on both sides, then the winner copied over it.
 */
export function forkActions(path: string, winner: Side, stats: Record<Side, FileStat>, reason: 'conflict-resolved' | 'chosen'): Action[] {
  const loser = otherSide(winner);
  return [
    keptAsOwnThread(path, loser, stats[loser]),
    { kind: 'copy', path, from: winner, to: loser, reason, source: stats[winner], target: stats[loser], ...(loser === 'local' ? { replaceThread: true as const } : {}) },
  ];
}

/**
 * A thread one side moved (archived or unarchived) while the other continued it differently:
 * the continued version keeps the id at the thread's old place, and `from`'s moved version is
 * kept at its new place under a fresh id, on both sides. The moved file itself goes: in the
 * cloud with a backup; on this machine Codex drops it (the copy that brings the continued version).
 */
export function givingWayActions(path: string, from: Side, stat: FileStat): Action[] {
  const keep = keptAsOwnThread(path, from, stat);
  return from === 'cloud' ? [keep, { kind: 'delete', path, side: 'cloud', reason: 'fork-kept', target: stat }] : [keep];
}
