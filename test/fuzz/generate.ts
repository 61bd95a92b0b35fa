import type { View } from './runner.ts';
import {
  archivedPath,
  cloudLinkFolders,
  creatable,
  isJsonl,
  linkPaths,
  machines,
  mergedPaths,
  reshapePath,
  rolloutPaths,
  skillPaths,
  type CopyStyle,
  type Machine,
  type Operations,
  type Step,
} from './steps.ts';

type Rng = () => number;

function pick<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(rng() * items.length)];
}

/**
 * The next step, chosen by the seeded `rng` from what the trees hold now, so that most steps
 * do something; `v` numbers the versions written. Each candidate has a weight; a candidate
 * whose operation is off, or that has nothing to act on, is left out.
 */
export function nextStep(rng: Rng, view: View, ops: Operations, v: number): Step {
  const m = pick(rng, machines) as Machine;
  const home = view.homes[m];
  const files = [...home.files.keys()].filter((p) => creatable.includes(p) || p.startsWith('archived_sessions/') || p.startsWith(`${reshapePath}/`));
  const taken = (path: string): boolean => home.files.has(path) || home.links.has(path) || [...home.files.keys()].some((p) => p.startsWith(`${path}/`));
  // Codex never starts a second file of one thread: a rollout is created only where its thread has no file yet (archived, say).
  const threadHere = (p: string): boolean => {
    const id = /([0-9a-f-]{36})\.jsonl$/.exec(p)?.[1];
    return id !== undefined && [...home.files.keys()].some((f) => f !== p && f.includes(`-${id}.jsonl`));
  };
  const absent = creatable.filter((p) => !taken(p) && !threadHere(p) && !(p === reshapePath && [...home.files.keys()].some((f) => f.startsWith(`${p}/`))));
  const jsonl = files.filter(isJsonl);
  const cloudFiles = [...view.cloud.files.keys()].filter((p) => !view.copies.has(p));
  const heldFiles = view.held.filter((h) => h.content !== null && !h.path.startsWith('.codexsync/'));
  const heldRecords = view.held.filter((h) => h.content !== null && h.path.startsWith('.codexsync/'));
  const copies = [...view.copies.keys()].filter((p) => view.cloud.files.has(p));
  const seed = Math.floor(rng() * 1e9);

  const candidates: Array<[weight: number, make: () => Step | undefined]> = [
    [ops.create ? 7 : 0, () => withPath(pick(rng, absent), (path) => ({ op: 'create', m, path, v }))],
    [ops.append ? 10 : 0, () => withPath(pick(rng, jsonl.length > 0 && rng() < 0.85 ? jsonl : files), (path) => ({ op: 'append', m, path, v }))],
    [ops.edit ? 5 : 0, () => withPath(pick(rng, files), (path) => ({ op: 'edit', m, path, v }))],
    [ops.truncate ? 1.5 : 0, () => withPath(pick(rng, files), (path) => ({ op: 'truncate', m, path, eighths: Math.floor(rng() * 8) }))],
    [ops.delete ? 3 : 0, () => withPath(pick(rng, files), (path) => ({ op: 'delete', m, path }))],
    [
      ops.rename ? 2 : 0,
      () => {
        const from = pick(
          rng,
          files.filter((p) => skillPaths.includes(p) || p.startsWith('skills/')),
        );
        const to = pick(
          rng,
          skillPaths.filter((p) => !taken(p)),
        );
        return from === undefined || to === undefined ? undefined : { op: 'rename', m, path: from, to };
      },
    ],
    [
      ops.archive ? 1.5 : 0,
      () =>
        withPath(
          pick(
            rng,
            rolloutPaths.filter((p) => home.files.has(p) && !taken(archivedPath(p))),
          ),
          (path) => ({ op: 'archive', m, path }),
        ),
    ],
    [
      ops.symlink ? 1 : 0,
      () => {
        const replaced =
          ops.linkOverFile && rng() < 0.3
            ? pick(
                rng,
                files.filter((p) => p.startsWith('skills/')),
              )
            : undefined;
        if (replaced !== undefined) return { op: 'symlink', m, path: replaced, target: 'file' };
        const path = pick(rng, linkPaths) as string;
        return home.links.has(path) ? { op: 'unlink', m, path } : { op: 'symlink', m, path, target: path.endsWith('.md') ? 'file' : 'dir' };
      },
    ],
    [
      ops.fileFolder ? 2 : 0,
      () => {
        if (home.files.has(reshapePath)) return { op: 'fileToFolder', m, path: reshapePath, v };
        if ([...home.files.keys()].some((p) => p.startsWith(`${reshapePath}/`))) return { op: 'folderToFile', m, path: reshapePath, v };
        return { op: 'create', m, path: reshapePath, v };
      },
    ],
    [
      ops.sameStatEdit ? 2 : 0,
      () =>
        withPath(
          pick(
            rng,
            files.filter((p) => !isJsonl(p)),
          ),
          (path) => ({ op: 'sameStatEdit', m, path, v }),
        ),
    ],
    [ops.run ? 12 : 0, () => run(rng, ops, m, undefined)],
    [ops.kill ? 4 : 0, () => run(rng, ops, m, 1 + Math.floor(rng() * 4))],
    [ops.deliver && view.held.length > 0 ? 5 : 0, () => ({ op: 'deliver', seed })],
    [ops.halfArrivedFile && heldFiles.length > 0 ? 2 : 0, () => ({ op: 'halfArrive', seed, record: false })],
    [ops.halfArrivedRecord && heldRecords.length > 0 ? 2 : 0, () => ({ op: 'halfArrive', seed, record: true })],
    [
      ops.conflictCopy ? 1 : 0,
      () =>
        withPath(
          pick(
            rng,
            cloudFiles.filter((p) => !mergedPaths.includes(p) || rng() < 0.5),
          ),
          (path) => ({ op: 'conflictCopy', path, style: pick(rng, styles) as CopyStyle, v }),
        ),
    ],
    [ops.resolve && copies.length > 0 ? 8 : 0, () => ({ op: 'resolve', how: rng() < 0.6 ? 'delete' : 'adopt' })],
    [
      ops.cloudFolderLink ? 1 : 0,
      () =>
        withPath(
          pick(
            rng,
            cloudLinkFolders.filter((p) => [...view.cloud.files.keys()].some((f) => f.startsWith(`${p}/`))),
          ),
          (path) => ({ op: 'cloudFolderLink', path }),
        ),
    ],
    [ops.quiet ? 1.5 : 0, () => ({ op: 'quiet', seed })],
  ];
  for (;;) {
    const total = candidates.reduce((sum, [w]) => sum + w, 0);
    if (total === 0) throw new Error('no operation that is on can act');
    let at = rng() * total;
    const index = candidates.findIndex(([w]) => (at -= w) < 0);
    const chosen = candidates[index === -1 ? candidates.findLastIndex(([w]) => w > 0) : index] as (typeof candidates)[number];
    const step = chosen[1]();
    if (step !== undefined) return step;
    chosen[0] = 0;
  }
}

const styles: readonly CopyStyle[] = ['google', 'dropbox', 'syncthing'];

function withPath(path: string | undefined, make: (path: string) => Step): Step | undefined {
  return path === undefined ? undefined : make(path);
}

function run(rng: Rng, ops: Operations, m: Machine, kill: number | undefined): Step {
  const late = ops.late && rng() < 0.5 ? Math.floor(rng() * 1e9) : undefined;
  return { op: 'run', m, ...(kill === undefined ? {} : { kill }), ...(late === undefined ? {} : { late }), mergeCopies: ops.mergeCopies && rng() < 0.3, acceptDeletion: rng() < 0.5 };
}
