import { opensAsThread } from '../threads/index.ts';
import { sides } from '../facts.ts';
import { threadIdOf } from '../scope/index.ts';
import type { ContentProbe } from './build.ts';
import type { Decision, PathFacts } from './decide.ts';

/**
 * A file named like a rollout is a thread only when its first line says so (session_meta with
 * the id of its name): anything else in the cloud folder under such a name (damaged, hand-made,
 * hostile) is an ordinary file. A fork or a thread replacement is planned only between real
 * threads; for anything else the decision falls back to the file rules (the version that gives
 * way is backed up). Reads only the paths of forks and replacements (index-aligned with `facts`).
 */
export async function confirmThreads(facts: readonly PathFacts[], decisions: Decision[], probe: ContentProbe): Promise<void> {
  // Most plans have neither: nothing to look at.
  if (!decisions.some((d) => (d.kind === 'conflict' && d.conflict === 'fork') || (d.kind === 'copy' && d.replaceThread === true))) return;
  // A thread kept in more than one file here (both places, both forms: never Codex's own doing)
  // gives no single file for Codex to drop: such a thread follows the file rules too.
  const filesHere = new Map<string, number>();
  for (const f of facts) {
    const id = f.local === undefined ? undefined : threadIdOf(f.path);
    if (id !== undefined) filesHere.set(id, (filesHere.get(id) ?? 0) + 1);
  }
  for (let i = 0; i < decisions.length; i += 1) {
    const d = decisions[i] as Decision;
    const fork = d.kind === 'conflict' && d.conflict === 'fork';
    const replace = d.kind === 'copy' && d.replaceThread === true;
    if (!fork && !replace) continue;
    const f = facts[i] as PathFacts;
    const id = threadIdOf(f.path);
    let real = id !== undefined && (filesHere.get(id) ?? 0) <= 1;
    for (const side of sides) {
      if (!real || f[side] === undefined) continue;
      const bytes = await probe.rolloutBytes(side, f.path);
      real = bytes !== undefined && opensAsThread(bytes, id as string);
    }
    if (real) continue;
    if (d.kind === 'conflict') decisions[i] = { ...d, conflict: f.base === undefined ? 'no-base' : 'both-changed' };
    else if (d.kind === 'copy') decisions[i] = { kind: 'copy', from: d.from, reason: d.reason, ...(d.target === undefined ? {} : { target: d.target }) };
  }
}
