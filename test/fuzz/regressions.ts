// Step lists the walk once broke on, found by long walks and since fixed: `npm test` replays
// each (walk.test.ts), and `FUZZ_REPLAY=<name> npm run fuzz` plays one. A defect the walk finds
// is recorded in defects.ts until it is fixed, then moves here.
import { archivedPath, rolloutPaths, type Step } from './steps.ts';

export interface FixedDefect {
  what: string;
  steps: Step[];
}

const [, r2, r3] = rolloutPaths as [string, string, string];
const run = (m: 'a' | 'b', extra: Partial<Extract<Step, { op: 'run' }>> = {}): Step => ({ op: 'run', m, mergeCopies: false, acceptDeletion: false, ...extra });

export const fixedDefects: Record<string, FixedDefect> = {
  'thread-kept-as-two-target-changed': {
    what: 'a thread archived on one machine and continued on both: the plan copies the archived rollout and keeps this machine\'s version as another thread at a path the same run also writes; both fail "target-changed" on every run (partial, exit 1), and the handoff never settles',
    steps: [
      { op: 'create', m: 'a', path: r3, v: 3983 },
      { op: 'quiet', seed: 236496820 },
      { op: 'archive', m: 'b', path: r3 },
      run('b'),
      { op: 'edit', m: 'a', path: r3, v: 4082 },
      run('a'),
      { op: 'append', m: 'b', path: archivedPath(r3), v: 4113 },
      { op: 'append', m: 'a', path: archivedPath(r3), v: 4114 },
      { op: 'quiet', seed: 532872161 },
    ],
  },
  'archived-thread-live-copy-left': {
    what: 'a thread archived and deleted on one machine while the other edits both copies: after quiet runs one machine keeps a live rollout neither the other machine nor the cloud has',
    steps: [
      { op: 'create', m: 'b', path: r2, v: 908 },
      run('b'),
      run('a'),
      { op: 'edit', m: 'b', path: r2, v: 1068 },
      { op: 'archive', m: 'a', path: r2 },
      run('b'),
      run('a'),
      { op: 'delete', m: 'a', path: r2 },
      run('b'),
      { op: 'edit', m: 'b', path: archivedPath(r2), v: 1122 },
      { op: 'truncate', m: 'b', path: r2, eighths: 1 },
      { op: 'quiet', seed: 548914242 },
    ],
  },
  'thread-kept-as-two-after-kills': {
    what: 'a thread continued on both machines, then two killed runs on one: after quiet runs history.jsonl differs (a run "partial" on a kept-as-two thread, then the other waits)',
    steps: [
      { op: 'create', m: 'a', path: r3, v: 8056 },
      { op: 'quiet', seed: 85948466 },
      { op: 'create', m: 'b', path: 'session_index.jsonl', v: 8073 },
      { op: 'edit', m: 'a', path: r3, v: 8083 },
      { op: 'append', m: 'b', path: r3, v: 8086 },
      { op: 'create', m: 'a', path: 'history.jsonl', v: 8096 },
      { op: 'create', m: 'a', path: 'session_index.jsonl', v: 8097 },
      run('a'),
      run('a'),
      { op: 'append', m: 'a', path: 'history.jsonl', v: 8114 },
      run('b', { kill: 1 }),
      run('b', { kill: 2 }),
      { op: 'quiet', seed: 343289142 },
    ],
  },
  'moved-fork-copy-deleted-waits': {
    what: 'a thread unarchived (made anew) on one machine and edited archived on the other, then a run killed: the kept copy and the deleted moved copy left both machines waiting for each other',
    steps: [
      { op: 'create', m: 'a', path: r3, v: 1225 },
      run('a'),
      run('b'),
      { op: 'archive', m: 'b', path: r3 },
      run('b'),
      run('a'),
      { op: 'delete', m: 'a', path: archivedPath(r3) },
      { op: 'create', m: 'a', path: r3, v: 1745 },
      run('a'),
      { op: 'deliver', seed: 374092506 },
      { op: 'edit', m: 'b', path: archivedPath(r3), v: 1758 },
      run('b', { kill: 4 }),
      { op: 'quiet', seed: 94581965 },
    ],
  },
};
