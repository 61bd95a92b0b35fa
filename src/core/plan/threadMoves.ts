import { otherSide, type FileStat, type Side } from '../facts.ts';
import { isRollout, threadIdOf } from '../scope/index.ts';
import type { BaseEntry } from '../state/index.ts';
import { compareRollouts, opensAsThread } from '../threads/index.ts';
import type { ContentProbe } from './build.ts';
import type { Decision, PathFacts } from './decide.ts';
import type { Notice, ThreadMove } from './types.ts';

// Codex archives a thread by moving its rollout from sessions/Y/M/D/<name> to
// archived_sessions/<name> and recording the new path in its catalogue; unarchiving moves it
// back. File by file that is one deletion and one new file, which breaks both ways: with
// delete_policy = "never" the old file comes back (the thread exists twice, live again), and
// a file moved by hand leaves the other machine's catalogue pointing at the old path (the
// thread is hidden and cannot be resumed). So a move travels as what it is: in the cloud
// mirror the file simply moves; on this machine Codex itself archives or unarchives the thread.

export interface ThreadMovesFound {
  moves: ThreadMove[];
  notices: Notice[];
}

/**
 * Finds threads moved between sessions/ and archived_sessions/ on one side since the last sync,
 * the other side unchanged, and rewrites both paths' decisions (index-aligned with `facts`):
 * - moved on this machine: the cloud copy moves (copied to the new path, the old one deleted
 *   after a backup), whatever delete_policy says, since a move deletes nothing;
 * - moved on the other machine: Codex moves it here (a ThreadMove); when the other machine also
 *   changed its content, a copy of the new content follows the move. Without a Codex to call,
 *   both paths are left as they are and a notice says why.
 */
export async function settleThreadMoves(facts: readonly PathFacts[], decisions: Decision[], probe: ContentProbe, codexAvailable: boolean): Promise<ThreadMovesFound> {
  const found: ThreadMovesFound = { moves: [], notices: [] };
  const byThread = new Map<string, number[]>();
  facts.forEach((f, i) => {
    // A move is a copy and a deletion (or two copies): a path left as it is takes no part.
    if ((decisions[i] as Decision).kind === 'none' || !isRollout(f.path)) return;
    const id = threadIdOf(f.path) as string;
    const list = byThread.get(id);
    if (list === undefined) byThread.set(id, [i]);
    else list.push(i);
  });
  for (const [thread, indexes] of byThread) {
    if (indexes.length !== 2) continue;
    const pair = movedPair(facts, decisions, indexes as [number, number]);
    if (pair === undefined) {
      await settleContinuedMove(thread, facts, decisions, indexes as [number, number], probe, codexAvailable, found);
      continue;
    }
    const { from, to, movedOn } = pair;
    const old = facts[from] as PathFacts;
    const moved = facts[to] as PathFacts;
    const op = moved.path.startsWith('archived_sessions/') ? 'archive' : 'unarchive';
    if (movedOn === 'local') {
      decisions[from] = { kind: 'delete', side: 'cloud', reason: op === 'archive' ? 'archived' : 'unarchived' };
      continue;
    }
    if (!codexAvailable) {
      decisions[from] = { kind: 'held' };
      decisions[to] = { kind: 'held' };
      found.notices.push({ code: 'thread-move-waiting', thread, op, path: old.path });
      continue;
    }
    const base = old.base as BaseEntry;
    const local = old.local as FileStat;
    const cloud = moved.cloud as FileStat;
    const sameContent = cloud.size === base.size && (await probe.hash('cloud', moved.path)) === base.sha256;
    decisions[from] = { kind: 'held' };
    if (sameContent) {
      decisions[to] = { kind: 'held' };
      const baseAfter: BaseEntry = { size: base.size, sha256: base.sha256, localMtimeMs: local.mtimeMs, cloudMtimeMs: cloud.mtimeMs };
      if (local.ino !== undefined) baseAfter.localIno = local.ino;
      if (cloud.ino !== undefined) baseAfter.cloudIno = cloud.ino;
      found.moves.push({ thread, op, from: old.path, to: moved.path, local, baseAfter });
    } else if (await continuesHere(thread, old.path, moved.path, probe)) {
      // Codex moves the file first; then the other machine's content replaces it at its new place.
      decisions[to] = { kind: 'copy', from: 'cloud', reason: 'changed', target: local };
      found.moves.push({ thread, op, from: old.path, to: moved.path, local, baseAfter: undefined });
    } else {
      // Not a continuation of this machine's version (a fork settled there, this one kept there as a
      // thread of its own): Codex drops the thread here, and the other machine's version arrives at its new place.
      decisions[to] = { kind: 'copy', from: 'cloud', reason: 'changed', replaceThread: true, drops: { path: old.path, stat: local } };
    }
  }
  return found;
}

/**
 * One side moved a thread (archived or unarchived it) while the other continued it at its old
 * place. Continuing beats the move, as an edit beats a deletion, so that no turn is lost and the
 * thread never exists twice:
 * - moved here, continued there: this machine's Codex moves it back, then the other machine's
 *   turns are copied in (without a Codex to call, both are left as they are, with a notice);
 * - moved there, continued here: this machine's version goes to the cloud at the old place and
 *   the moved copy there goes (the other machine's Codex moves it back at its next run).
 * Only when the continued version holds every byte of the moved one; also when neither place
 * was synced before (the thread's one file in one place here, in the other there).
 */
async function settleContinuedMove(
  thread: string,
  facts: readonly PathFacts[],
  decisions: Decision[],
  [i, j]: [number, number],
  probe: ContentProbe,
  codexAvailable: boolean,
  found: ThreadMovesFound,
): Promise<void> {
  for (const [at, other] of [
    [i, j],
    [j, i],
  ] as const) {
    const old = facts[at] as PathFacts;
    const moved = facts[other] as PathFacts;
    if (moved.base !== undefined || baseName(old.path) !== baseName(moved.path)) continue;
    const dOld = decisions[at] as Decision;
    const dNew = decisions[other] as Decision;
    // Also with no base for the old place (a first sync, or a run killed before its base): one file of the thread on each side.
    if (dOld.kind !== 'copy' || (dOld.reason !== 'edit-beats-delete' && dOld.reason !== 'new') || dNew.kind !== 'copy' || dNew.reason !== 'new') continue;
    const continuedOn = dOld.from;
    const movedOn = otherSide(continuedOn);
    if (dNew.from !== movedOn) continue;
    const [movedBytes, continuedBytes] = await Promise.all([probe.rolloutBytes(movedOn, moved.path), probe.rolloutBytes(continuedOn, old.path)]);
    if (movedBytes === undefined || continuedBytes === undefined) return;
    const compared = compareRollouts(movedBytes, continuedBytes);
    const op = old.path.startsWith('archived_sessions/') ? 'archive' : 'unarchive';
    if (compared.kind !== 'same' && !(compared.kind === 'extension' && compared.longer === 'right')) {
      if (opensAsThread(movedBytes, thread) && opensAsThread(continuedBytes, thread)) settleMovedFork(thread, old.path, moved, continuedOn, decisions, [at, other], codexAvailable, found);
      return;
    }
    if (continuedOn === 'local') {
      // The moved copy in the cloud goes (backed up); this machine's version is pushed at the old place.
      decisions[other] = { kind: 'delete', side: 'cloud', reason: op === 'archive' ? 'archived' : 'unarchived' };
      return;
    }
    if (!codexAvailable) {
      decisions[at] = { kind: 'held' };
      decisions[other] = { kind: 'held' };
      found.notices.push({ code: 'thread-move-waiting', thread, op, path: moved.path });
      return;
    }
    // This machine's Codex moves it back; the other machine's turns follow the move.
    const local = moved.local as FileStat;
    decisions[other] = { kind: 'held' };
    decisions[at] = { kind: 'copy', from: 'cloud', reason: 'changed', target: local };
    found.moves.push({ thread, op, from: moved.path, to: old.path, local, baseAfter: undefined });
    return;
  }
}

/**
 * One side moved the thread, the other continued it differently (each added turns): a fork and
 * a move at once. Continuing beats the move and neither version is lost: the continued version
 * keeps the thread's id at its old place, and the moved version is kept at its new place as a
 * thread of its own (archived, if it was archived), on both machines.
 */
function settleMovedFork(
  thread: string,
  oldPath: string,
  moved: PathFacts,
  continuedOn: Side,
  decisions: Decision[],
  [at, other]: readonly [number, number],
  codexAvailable: boolean,
  found: ThreadMovesFound,
): void {
  const movedOn = otherSide(continuedOn);
  if (movedOn === 'cloud') {
    decisions[other] = { kind: 'give-way', from: 'cloud' };
    return;
  }
  // Moved here: Codex drops this machine's version (kept first under a fresh id), then the other one arrives.
  if (!codexAvailable) {
    decisions[at] = { kind: 'held' };
    decisions[other] = { kind: 'held' };
    found.notices.push({ code: 'thread-replace-waiting', thread, path: oldPath });
    return;
  }
  const dOld = decisions[at] as Extract<Decision, { kind: 'copy' }>;
  decisions[other] = { kind: 'give-way', from: 'local' };
  decisions[at] = { kind: 'copy', from: 'cloud', reason: dOld.reason, replaceThread: true, drops: { path: moved.path, stat: moved.local as FileStat } };
}

/** Whether the cloud's copy at `movedPath` holds every byte of this machine's at `oldPath` (a real thread's, or any file's). */
async function continuesHere(thread: string, oldPath: string, movedPath: string, probe: ContentProbe): Promise<boolean> {
  const [here, there] = await Promise.all([probe.rolloutBytes('local', oldPath), probe.rolloutBytes('cloud', movedPath)]);
  if (here === undefined || there === undefined || !opensAsThread(here, thread) || !opensAsThread(there, thread)) return true;
  const compared = compareRollouts(here, there);
  return compared.kind === 'same' || (compared.kind === 'extension' && compared.longer === 'right');
}

/**
 * The two paths of one thread when exactly one side moved it since the last sync: on that side
 * the old path is gone and the new one is new; on the other the old path is as the base says
 * (so its decision is to delete it, or to bring it back under "never") and the new one absent.
 */
function movedPair(facts: readonly PathFacts[], decisions: readonly Decision[], [i, j]: [number, number]): { from: number; to: number; movedOn: Side } | undefined {
  const a = facts[i] as PathFacts;
  const b = facts[j] as PathFacts;
  const archived = (p: string): boolean => p.startsWith('archived_sessions/');
  if (archived(a.path) === archived(b.path) || baseName(a.path) !== baseName(b.path)) return undefined;
  for (const [from, to] of [
    [i, j],
    [j, i],
  ] as const) {
    const old = facts[from] as PathFacts;
    const moved = facts[to] as PathFacts;
    if (old.base === undefined || moved.base !== undefined) continue;
    for (const movedOn of ['local', 'cloud'] as const) {
      const stayed = otherSide(movedOn);
      if (old[movedOn] !== undefined || old[stayed] === undefined || moved[movedOn] === undefined || moved[stayed] !== undefined) continue;
      const dOld = decisions[from] as Decision;
      const dNew = decisions[to] as Decision;
      const oldAsBase = (dOld.kind === 'delete' && dOld.side === stayed) || (dOld.kind === 'copy' && dOld.from === stayed && dOld.reason === 'restored');
      if (oldAsBase && dNew.kind === 'copy' && dNew.from === movedOn && dNew.reason === 'new') return { from, to, movedOn };
    }
  }
  return undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
