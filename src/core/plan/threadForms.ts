import { otherSide, sides, type Side } from '../facts.ts';
import { compareRollouts } from '../threads/index.ts';
import type { ContentProbe } from './build.ts';
import type { Decision, PathFacts } from './decide.ts';
import type { Notice } from './types.ts';

// Codex may compress a thread's rollout (X.jsonl -> X.jsonl.zst, keeping its time) when it has
// been idle, and writes a plain X.jsonl again (deleting the .zst) when the thread is resumed.
// Both forms are one thread, and either can change at any time on either machine. Decided
// on the decompressed bytes; a home never ends up with both forms of one thread.

const form = /^((?:sessions|archived_sessions)\/(?:.*\/)?rollout-[^/]*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl(\.zst)?$/;

/**
 * For each thread whose two forms both appear in this plan (same folder, same name), rewrites
 * both paths' decisions (index-aligned with `facts`):
 * - one side changed the form, the other left the thread as it was: the form travels (the old
 *   one deleted there after a backup, whatever delete_policy says: nothing is lost);
 * - one side compressed it, the other continued it (plain): the continued thread wins and the
 *   compressed one goes, when it holds nothing the continued one lacks;
 * - both forms new, with the same content: the plain one is kept on both sides;
 * - anything else that would leave both forms in a home: both are left as they are, and a notice says so.
 * Both sides compressed the same content into different bytes: the cloud's bytes are taken.
 */
export async function settleThreadForms(facts: readonly PathFacts[], decisions: Decision[], probe: ContentProbe): Promise<Notice[]> {
  const notices: Notice[] = [];
  const plain = new Map<string, number>();
  const packed = new Map<string, number>();
  facts.forEach((f, i) => {
    // Each case below changes both paths: a path left as it is takes no part.
    if ((decisions[i] as Decision).kind === 'none') return;
    const m = form.exec(f.path);
    if (m !== null) (m[2] === undefined ? plain : packed).set(m[1] as string, i);
  });
  for (const [stem, z] of packed) {
    const p = plain.get(stem);
    if (p === undefined) {
      await settleRecompressed(facts[z] as PathFacts, z, decisions, probe);
      continue;
    }
    const settled = await settlePair(facts[p] as PathFacts, facts[z] as PathFacts, p, z, decisions, probe);
    if (!settled && bothFormsAfter(facts[p] as PathFacts, facts[z] as PathFacts, decisions[p] as Decision, decisions[z] as Decision)) {
      decisions[p] = { kind: 'held' };
      decisions[z] = { kind: 'held' };
      notices.push({ code: 'thread-forms-differ', plain: (facts[p] as PathFacts).path, compressed: (facts[z] as PathFacts).path });
    }
  }
  return notices;
}

async function settlePair(plainFacts: PathFacts, packedFacts: PathFacts, p: number, z: number, decisions: Decision[], probe: ContentProbe): Promise<boolean> {
  const dp = decisions[p] as Decision;
  const dz = decisions[z] as Decision;
  for (const changed of sides) {
    const stayed = otherSide(changed);
    // The form changed on one side: the old form is gone there and the new one is new; the other side is as the base says.
    for (const [old, fresh, dOld, dNew, oldAt, newAt] of [
      [plainFacts, packedFacts, dp, dz, p, z],
      [packedFacts, plainFacts, dz, dp, z, p],
    ] as const) {
      const oldAsBase = (dOld.kind === 'delete' && dOld.side === stayed) || (dOld.kind === 'copy' && dOld.from === stayed && dOld.reason === 'restored');
      if (old[changed] !== undefined || old.base === undefined || !oldAsBase || fresh.base !== undefined || fresh[stayed] !== undefined) continue;
      if (!(dNew.kind === 'copy' && dNew.from === changed && dNew.reason === 'new')) continue;
      // The new form must hold the thread as the base knew it (or continue it): else it is not the same thread's bytes.
      const [before, after] = await Promise.all([probe.rolloutBytes(stayed, old.path), probe.rolloutBytes(changed, fresh.path)]);
      if (before === undefined || after === undefined) return false;
      const compared = compareRollouts(before, after);
      if (compared.kind !== 'same' && !(compared.kind === 'extension' && compared.longer === 'right')) return false;
      decisions[oldAt] = { kind: 'delete', side: stayed, reason: 'form-changed' };
      decisions[newAt] = dNew;
      return true;
    }
  }
  // Compressed on one side, continued (plain) on the other.
  for (const compressedOn of sides) {
    const continuedOn = otherSide(compressedOn);
    const plainGoneThere = plainFacts[compressedOn] === undefined && plainFacts.base !== undefined && plainFacts[continuedOn] !== undefined;
    const packedOnlyThere = packedFacts[compressedOn] !== undefined && packedFacts[continuedOn] === undefined && packedFacts.base === undefined;
    if (!plainGoneThere || !packedOnlyThere) continue;
    if (!(dp.kind === 'copy' && dp.from === continuedOn)) continue;
    const [packedBytes, plainBytes] = await Promise.all([probe.rolloutBytes(compressedOn, packedFacts.path), probe.rolloutBytes(continuedOn, plainFacts.path)]);
    if (packedBytes === undefined || plainBytes === undefined) return false;
    const compared = compareRollouts(packedBytes, plainBytes);
    if (compared.kind !== 'same' && !(compared.kind === 'extension' && compared.longer === 'right')) return false;
    decisions[z] = { kind: 'delete', side: compressedOn, reason: 'form-changed' };
    return true;
  }
  // Both forms new, one on each side (no base), the same content: the plain one is kept on both sides.
  for (const plainOn of sides) {
    const packedOn = otherSide(plainOn);
    if (plainFacts.base !== undefined || packedFacts.base !== undefined || plainFacts[packedOn] !== undefined || packedFacts[plainOn] !== undefined) continue;
    if (plainFacts[plainOn] === undefined || packedFacts[packedOn] === undefined) continue;
    const [a, b] = await Promise.all([probe.rolloutBytes(plainOn, plainFacts.path), probe.rolloutBytes(packedOn, packedFacts.path)]);
    if (a === undefined || b === undefined || compareRollouts(a, b).kind !== 'same') return false;
    decisions[z] = { kind: 'delete', side: packedOn, reason: 'form-changed' };
    return true;
  }
  return false;
}

/** A compressed rollout on both sides that differs byte for byte: the same thread when it decompresses the same. */
async function settleRecompressed(f: PathFacts, at: number, decisions: Decision[], probe: ContentProbe): Promise<void> {
  const d = decisions[at] as Decision;
  if (d.kind !== 'conflict' && d.kind !== 'skip') return;
  if (f.local === undefined || f.cloud === undefined) return;
  const [local, cloud] = await Promise.all([probe.rolloutBytes('local', f.path), probe.rolloutBytes('cloud', f.path)]);
  if (local !== undefined && cloud !== undefined && compareRollouts(local, cloud).kind === 'same') decisions[at] = { kind: 'copy', from: 'cloud', reason: 'recompressed' };
}

/** Whether a side would hold both forms once these decisions are applied. */
function bothFormsAfter(plainFacts: PathFacts, packedFacts: PathFacts, dp: Decision, dz: Decision): boolean {
  const present = (f: PathFacts, d: Decision, side: Side): boolean => {
    if (d.kind === 'delete' && d.side === side) return false;
    if (d.kind === 'copy' && d.from === otherSide(side)) return true;
    return f[side] !== undefined;
  };
  return sides.some((side) => present(plainFacts, dp, side) && present(packedFacts, dz, side));
}
