// Two versions of one thread, as decompressed bytes (a .jsonl and a .jsonl.zst of the same
// bytes are the same thread). Codex only ever appends to a rollout, so one version is either
// the other's prefix (the thread went on) or both went on from a common part (a fork: each
// machine resumed it). Decided on bytes and whole lines, never on re-serialised JSON.
import { defaultReadLimits, LineSplitter, type ReadLimits } from './lines.ts';
import { publicTurn, RolloutScanner, type ScannedTurn } from './scanner.ts';
import type { TurnSummary } from './types.ts';

/** One side of a fork: what it holds past the common part. */
export interface ForkSide {
  /** Turns that began past the common part, with their index in this version. */
  addedTurns: TurnSummary[];
  addedBytes: number;
  /** This version's last line has no "\n" yet. */
  tornTail: boolean;
}

export type RolloutComparison =
  /** Byte for byte the same. */
  | { kind: 'same' }
  /** One is the other's prefix ending at a line boundary: the thread went on on the `longer` side. */
  | { kind: 'extension'; longer: 'left' | 'right'; sharedTurns: number; addedTurns: TurnSummary[]; addedBytes: number; tornTail: boolean }
  /** Both went on from a common part of `sharedBytes` (whole lines) holding the first `sharedTurns` turns. */
  | { kind: 'fork'; sharedTurns: number; sharedBytes: number; left: ForkSide; right: ForkSide }
  /** Not even the first line in common: not two versions of one thread. */
  | { kind: 'unrelated' };

const BLOCK = 64 * 1024;
const NEWLINE = 0x0a;

/** How `left` and `right` (decompressed rollouts of one thread id) relate. */
export function compareRollouts(left: Uint8Array, right: Uint8Array, limits: ReadLimits = defaultReadLimits): RolloutComparison {
  const a = asBuffer(left);
  const b = asBuffer(right);
  if (a.length === b.length && a.equals(b)) return { kind: 'same' };
  const common = commonPrefix(a, b);
  const shorter = a.length <= b.length ? a : b;
  if (common === shorter.length && shorter.length > 0 && shorter[shorter.length - 1] === NEWLINE) {
    const longer = shorter === a ? b : a;
    const turns = turnsOf(longer, limits);
    const sharedTurns = turns.filter((turn) => turn.offset < common).length;
    return {
      kind: 'extension',
      longer: longer === a ? 'left' : 'right',
      sharedTurns,
      addedTurns: turns.slice(sharedTurns).map(publicTurn),
      addedBytes: longer.length - common,
      tornTail: longer[longer.length - 1] !== NEWLINE,
    };
  }
  // The common part ends after its last whole line.
  const sharedBytes = common === 0 ? 0 : a.lastIndexOf(NEWLINE, common - 1) + 1;
  if (sharedBytes === 0) return { kind: 'unrelated' };
  const side = (bytes: Buffer): { shared: number; side: ForkSide } => {
    const turns = turnsOf(bytes, limits);
    const shared = turns.filter((turn) => turn.offset < sharedBytes).length;
    return { shared, side: { addedTurns: turns.slice(shared).map(publicTurn), addedBytes: bytes.length - sharedBytes, tornTail: bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE } };
  };
  const leftSide = side(a);
  const rightSide = side(b);
  // A turn that began in the common part is counted there on both sides, as the same bytes begin it.
  return { kind: 'fork', sharedTurns: Math.min(leftSide.shared, rightSide.shared), sharedBytes, left: leftSide.side, right: rightSide.side };
}

/** The number of leading bytes two buffers share. */
function commonPrefix(a: Buffer, b: Buffer): number {
  const length = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= length && a.subarray(at, at + BLOCK).equals(b.subarray(at, at + BLOCK))) at += BLOCK;
  while (at < length && a[at] === b[at]) at += 1;
  return at;
}

function turnsOf(bytes: Buffer, limits: ReadLimits): ScannedTurn[] {
  const scanner = new RolloutScanner();
  const splitter = new LineSplitter(scanner, limits.maxLineBytes);
  splitter.push(bytes);
  return scanner.turnList();
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
