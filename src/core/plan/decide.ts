import type { ConflictPolicy, EqualMtimeAction } from '../config/index.ts';
import { otherSide, type FileStat, type Side } from '../facts.ts';
import type { BaseEntry } from '../state/index.ts';
import type { ConflictKind, ReasonCode } from './types.ts';

/** The config keys that decide, as plain values. */
export interface Rules {
  compare: 'mtime' | 'mtime_hash_fallback';
  toleranceMs: number;
  equalMtimeAction: EqualMtimeAction;
  deletePolicy: 'never' | 'propagate';
  conflictPolicy: ConflictPolicy;
  /** Append-only JSONL merged line by line (history.jsonl, session_index.jsonl). */
  isMergeable(path: string): boolean;
  /** Append-only files where a longer version that extends the other simply wins (rollouts). */
  isAppendOnly(path: string): boolean;
  /** A thread's rollout: never replaced in place by a version that does not continue it (Codex's history of it would disagree). */
  isThread(path: string): boolean;
}

/** The file of a thread Codex drops on this machine before another version of the thread arrives at another path. */
export interface DroppedRollout {
  path: string;
  stat: FileStat;
}

export interface PathFacts {
  path: string;
  local: FileStat | undefined;
  cloud: FileStat | undefined;
  base: BaseEntry | undefined;
}

/** Content facts, read only when a decision needs them. */
export interface ContentFacts {
  localHash?: string;
  cloudHash?: string;
  /** Whether the shorter side's bytes are a prefix of the longer side's. */
  prefix?: boolean;
}

export type Decision =
  | { kind: 'none' }
  /**
   * `target`: what the copy replaces when it is not the scanned file at the path (a thread Codex moves there first).
   * `replaceThread`: a thread's rollout replaced here by a version that does not continue it: Codex drops its own first
   * (`drops`: this machine's file of the thread when it is at another path: the thread moved on one side only).
   */
  | { kind: 'copy'; from: Side; reason: ReasonCode; target?: FileStat; replaceThread?: true; drops?: DroppedRollout }
  /** `reason`: the other side changed the path's type (a file became a folder, or the reverse), or moved the thread. */
  | { kind: 'delete'; side: Side; reason?: 'became-folder' | 'became-file' | 'archived' | 'unarchived' | 'form-changed' | 'fork-kept' }
  | { kind: 'merge' }
  /** Both sides hold the same content: only the base entry is (re)written. */
  | { kind: 'refresh-base'; sha256: string }
  /** Deleted on both sides: the base entry goes. */
  | { kind: 'forget-base' }
  | { kind: 'skip'; why: string }
  | { kind: 'conflict'; conflict: ConflictKind; resolution: { winner: Side; by: string } | undefined; below?: string[] }
  /** Below the path of a type conflict: left as it is with it. */
  | { kind: 'held' }
  /** `from`'s version of a thread that one side moved while the other continued it differently: kept as a thread of its own (see plan/forks.ts). */
  | { kind: 'give-way'; from: Side }
  /** Ask again with these content facts. */
  | { kind: 'need'; hashes: Side[]; prefix: boolean };

/** The decision of nearly every path, one object for all of them. */
const unchanged: Decision = Object.freeze({ kind: 'none' });

type SideState = 'absent' | 'deleted' | 'new' | 'unchanged' | 'changed';

/**
 * The three-way rule for one path, a pure function of what the scan saw on each side, this
 * machine's base, the config and (when asked for) content facts:
 * changed on one side only -> propagate; changed on both -> conflict unless now identical
 * (or mergeable, or one extends the other); deleted on one side, unchanged on the other ->
 * delete (propagate) or bring back (never); no base -> never delete.
 * Under mtime_hash_fallback, equal size and time on both sides are not taken for equal
 * content (0.1.2 compared it there): the content decides, read unless the base's cache has it.
 */
export function decide(facts: PathFacts, content: ContentFacts, rules: Rules): Decision {
  const { local, cloud } = facts;
  if (rules.compare === 'mtime_hash_fallback' && local !== undefined && cloud !== undefined && local.size === cloud.size && Math.abs(local.mtimeMs - cloud.mtimeMs) <= rules.toleranceMs) {
    const localHash = content.localHash ?? cachedHash('local', facts);
    const cloudHash = content.cloudHash ?? cachedHash('cloud', facts);
    if (localHash === undefined || cloudHash === undefined) {
      return { kind: 'need', hashes: [...(localHash === undefined ? ['local' as const] : []), ...(cloudHash === undefined ? ['cloud' as const] : [])], prefix: false };
    }
    if (localHash !== cloudHash) return compareBoth(facts, { ...content, localHash, cloudHash }, rules);
    // The same content on both sides: in sync; the base is rewritten unless it already says exactly this.
    const base = facts.base;
    const current =
      base !== undefined && base.sha256 === localHash && base.localMtimeMs === local.mtimeMs && base.cloudMtimeMs === cloud.mtimeMs && base.localIno === local.ino && base.cloudIno === cloud.ino;
    return current ? unchanged : { kind: 'refresh-base', sha256: localHash };
  }
  return threeWay(facts, content, rules);
}

/** The base's hash of a side whose size, time and inode are exactly as the base recorded them (the hash cache). */
function cachedHash(side: Side, facts: PathFacts): string | undefined {
  const stat = facts[side];
  const base = facts.base;
  if (stat?.ino === undefined || base === undefined) return undefined;
  const [mtimeMs, ino] = side === 'local' ? [base.localMtimeMs, base.localIno] : [base.cloudMtimeMs, base.cloudIno];
  return stat.size === base.size && stat.mtimeMs === mtimeMs && stat.ino === ino ? base.sha256 : undefined;
}

function threeWay(facts: PathFacts, content: ContentFacts, rules: Rules): Decision {
  const local = sideState('local', facts, content, rules);
  const cloud = sideState('cloud', facts, content, rules);
  if (local === 'need' || cloud === 'need') {
    return { kind: 'need', hashes: [...(local === 'need' ? ['local' as const] : []), ...(cloud === 'need' ? ['cloud' as const] : [])], prefix: false };
  }

  if (local === 'unchanged' && cloud === 'unchanged') {
    // Same content as the base; only a touched time (hash fallback) needs the base refreshed.
    const base = facts.base;
    const moved = base !== undefined && (facts.local?.mtimeMs !== base.localMtimeMs || facts.cloud?.mtimeMs !== base.cloudMtimeMs);
    return moved && base !== undefined ? { kind: 'refresh-base', sha256: base.sha256 } : unchanged;
  }
  if (local === 'deleted' && cloud === 'deleted') return { kind: 'forget-base' };
  if (local === 'absent' && cloud === 'absent') return unchanged;

  // One side only: propagate it.
  if ((local === 'new' && cloud === 'absent') || (local === 'absent' && cloud === 'new')) {
    return { kind: 'copy', from: local === 'new' ? 'local' : 'cloud', reason: 'new' };
  }
  if (local === 'changed' && cloud === 'unchanged') return { kind: 'copy', from: 'local', reason: 'changed' };
  if (local === 'unchanged' && cloud === 'changed') {
    if (!rules.isThread(facts.path)) return { kind: 'copy', from: 'cloud', reason: 'changed' };
    // Whether the other machine continued this thread, or its version goes another way (a fork settled there).
    if (content.prefix === undefined) return { kind: 'need', hashes: [], prefix: true };
    // The same bytes with a new time (Codex moved it out of the archive and back to name it): nothing to copy.
    if (content.prefix && (facts.cloud as FileStat).size === (facts.local as FileStat).size) return { kind: 'refresh-base', sha256: (facts.base as BaseEntry).sha256 };
    const continues = content.prefix && (facts.cloud as FileStat).size > (facts.local as FileStat).size;
    return continues ? { kind: 'copy', from: 'cloud', reason: 'changed' } : { kind: 'copy', from: 'cloud', reason: 'changed', replaceThread: true };
  }
  if (local === 'changed' && cloud === 'deleted') return { kind: 'copy', from: 'local', reason: 'edit-beats-delete' };
  if (local === 'deleted' && cloud === 'changed') return { kind: 'copy', from: 'cloud', reason: 'edit-beats-delete' };
  if (local === 'deleted' || cloud === 'deleted') {
    // The other side is unchanged since the base.
    const deletedOn: Side = local === 'deleted' ? 'local' : 'cloud';
    return rules.deletePolicy === 'propagate' ? { kind: 'delete', side: otherSide(deletedOn) } : { kind: 'copy', from: otherSide(deletedOn), reason: 'restored' };
  }

  // Both present and both differ from the base (or there is no base).
  return compareBoth(facts, content, rules);
}

function sideState(side: Side, facts: PathFacts, content: ContentFacts, rules: Rules): SideState | 'need' {
  const stat = facts[side];
  const base = facts.base;
  if (stat === undefined) return base === undefined ? 'absent' : 'deleted';
  if (base === undefined) return 'new';
  if (stat.size !== base.size) return 'changed';
  const baseMtime = side === 'local' ? base.localMtimeMs : base.cloudMtimeMs;
  if (Math.abs(stat.mtimeMs - baseMtime) <= rules.toleranceMs) return 'unchanged';
  if (rules.compare === 'mtime') return 'changed';
  // mtime_hash_fallback: same size, time moved: read it to tell a touch from an edit.
  const hash = side === 'local' ? content.localHash : content.cloudHash;
  if (hash === undefined) return 'need';
  return hash === base.sha256 ? 'unchanged' : 'changed';
}

function compareBoth(facts: PathFacts, content: ContentFacts, rules: Rules): Decision {
  const local = facts.local as FileStat;
  const cloud = facts.cloud as FileStat;
  if (local.size === cloud.size) {
    const missing: Side[] = [];
    if (content.localHash === undefined) missing.push('local');
    if (content.cloudHash === undefined) missing.push('cloud');
    if (missing.length > 0) return { kind: 'need', hashes: missing, prefix: false };
    if (content.localHash === content.cloudHash) return { kind: 'refresh-base', sha256: content.localHash as string };
  }
  if (rules.isMergeable(facts.path)) return { kind: 'merge' };
  if (rules.isAppendOnly(facts.path) && local.size !== cloud.size) {
    if (content.prefix === undefined) return { kind: 'need', hashes: [], prefix: true };
    if (content.prefix) return { kind: 'copy', from: local.size > cloud.size ? 'local' : 'cloud', reason: 'appended' };
  }
  // Two versions of one thread, neither continuing the other: each machine added turns. Never
  // one replaced by the other in place, whatever the times say: both are kept (see plan/forks.ts).
  if (rules.isThread(facts.path)) return { kind: 'conflict', conflict: 'fork', resolution: policyWinner(rules.conflictPolicy, local, cloud) };
  const kind: ConflictKind = facts.base === undefined ? 'no-base' : 'both-changed';
  if (Math.abs(local.mtimeMs - cloud.mtimeMs) <= rules.toleranceMs) {
    switch (rules.equalMtimeAction) {
      case 'skip':
        return { kind: 'skip', why: 'same modification time, different content: left as is (sync.equal_mtime_action = "skip")' };
      case 'prefer_local':
        return { kind: 'copy', from: 'local', reason: 'equal-mtime-resolved' };
      case 'prefer_cloud':
        return { kind: 'copy', from: 'cloud', reason: 'equal-mtime-resolved' };
      case 'manual_abort':
        return { kind: 'conflict', conflict: 'equal-mtime', resolution: undefined };
    }
  }
  return { kind: 'conflict', conflict: kind, resolution: policyWinner(rules.conflictPolicy, local, cloud) };
}

/** The side conflict.policy keeps, or undefined under manual_abort (the user decides). */
function policyWinner(policy: ConflictPolicy, local: FileStat, cloud: FileStat): { winner: Side; by: string } | undefined {
  switch (policy) {
    case 'manual_abort':
      return undefined;
    case 'prefer_local':
      return { winner: 'local', by: 'conflict.policy = "prefer_local"' };
    case 'prefer_cloud':
      return { winner: 'cloud', by: 'conflict.policy = "prefer_cloud"' };
    case 'prefer_newer_mtime':
      return { winner: local.mtimeMs > cloud.mtimeMs ? 'local' : 'cloud', by: 'conflict.policy = "prefer_newer_mtime"' };
  }
}
