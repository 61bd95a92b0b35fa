import type { PathFacts } from './decide.ts';

/** Paths equal to another one but for case (or Unicode normalisation): never synced as two files. */
export function caseCollisions(facts: readonly PathFacts[]): Set<string> {
  // By a number made from each folded path, not by the folded path itself: a new string per path
  // kept in a map for the whole loop was most of what a plan kept (see bench/results/profile-notes.md).
  const first = new Map<number, string>();
  const more = new Map<number, string[]>();
  const colliding = new Set<string>();
  for (const { path } of facts) {
    const hash = foldedHash(path);
    const seen = first.get(hash);
    if (seen === undefined) {
      first.set(hash, path);
      continue;
    }
    const key = folded(path);
    const same = [seen, ...(more.get(hash) ?? [])].filter((other) => folded(other) === key);
    if (same.length > 0) for (const other of [path, ...same]) colliding.add(other);
    else more.set(hash, [...(more.get(hash) ?? []), path]);
  }
  return colliding;
}

/** Plain ASCII needs no Unicode normalisation (most paths). */
const plainAscii = /^[ -~]*$/;

function folded(path: string): string {
  return (plainAscii.test(path) ? path : path.normalize('NFC')).toLowerCase();
}

/** FNV-1a of the folded path; plain ASCII is folded character by character, without a new string. */
function foldedHash(path: string): number {
  const text = plainAscii.test(path) ? path : folded(path);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    if (code >= 65 && code <= 90) code += 32;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  // 30 bits: a small integer to V8, so the map keys are not boxed numbers.
  return hash & 0x3fffffff;
}
