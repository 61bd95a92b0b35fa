import { readFile } from 'node:fs/promises';
import type { FileStat, Side } from '../facts.ts';
import { forEachConcurrently, pathBelow } from '../fs/index.ts';
import { machineOfCloudFile, newestFirst } from '../handoff/index.ts';
import type { ThreadChange } from '../plan/index.ts';
import { groupThreadFiles, parseSessionIndex, readRolloutHead, type RolloutFile, type SessionIndex, type ThreadFiles, type ThreadSummary } from '../threads/index.ts';
import type { EngineContext } from './context.ts';
import { planRun, reportOnlyCheck } from './planRun.ts';

// Every thread of both sides and where it stands, for the app's Threads window. What a
// hand-off would do to a thread is the plan's (planRun, which writes nothing); what a thread
// is (title, project, Codex version) comes from its rollout's first lines only.

/**
 * Where a thread stands between this machine and the cloud folder:
 * local-only / cloud-only: on one side only (a hand-off would take it over);
 * in-sync: a hand-off changes nothing of it;
 * newer-cloud / newer-local: one side went on (turns, an archive, a name, a deletion), the other did not;
 * forked: both sides added turns since the last hand-off;
 * arriving: the other machine handed it off, but its files have not all arrived in the cloud folder.
 */
export type ThreadStanding = 'local-only' | 'cloud-only' | 'in-sync' | 'newer-cloud' | 'newer-local' | 'forked' | 'arriving';

export interface ThreadEntry {
  id: string;
  /** Its name (Codex's catalogue, session_index.jsonl), else its first prompt; '' when it has neither. */
  title: string;
  /** The project folder it was started in (the rollout's cwd). */
  project: string | undefined;
  cliVersion: string | undefined;
  /** The newest modification time of its rollout files on either side (ms since 1970). */
  lastActivityMs: number;
  standing: ThreadStanding;
  /** What a hand-off would do to it, when anything. */
  change: ThreadChange['kind'] | undefined;
  /** In archived_sessions/ on the side it is shown from: this machine's, or the cloud's when only there. */
  archived: boolean;
  /** The machine whose hand-off brought the cloud folder's version, when known. */
  machine: string | undefined;
  /** Turns the newer side added, where the plan counted them. */
  turnsAdded: number | undefined;
  fork: ThreadChange['fork'];
  /** Its rollout files on each side (relative paths). */
  files: Record<Side, string[]>;
}

export interface ThreadListing {
  machineId: string;
  roots: Record<Side, string>;
  /** Newest activity first. */
  threads: ThreadEntry[];
}

/** Heads read at once: each is one open and a few KB. */
const HEAD_READS = 8;

/** Every thread on this machine and in the cloud folder, with its standing. Writes nothing. */
export async function threadList(ctx: EngineContext): Promise<ThreadListing> {
  const run = await planRun(ctx, reportOnlyCheck(ctx), { ignoreHandoffRecord: false });
  const { plan } = run.result;
  const roots: Record<Side, string> = { local: plan.localRoot, cloud: plan.cloudRoot };
  const sides: Record<Side, Map<string, ThreadFiles>> = { local: groupThreadFiles(run.local.files.keys()), cloud: groupThreadFiles(run.cloud.files.keys()) };
  const stats: Record<Side, ReadonlyMap<string, FileStat>> = { local: run.local.files, cloud: run.cloud.files };
  const changes = new Map(plan.threads.map((change) => [change.id, change]));
  const waiting = new Set(plan.waiting?.paths ?? []);
  const others = newestFirst(run.records.filter((record) => record.machineId !== plan.machineId));
  const ids = new Set([...sides.local.keys(), ...sides.cloud.keys()]);
  const [localIndex, cloudIndex] = await Promise.all([sessionIndex(roots.local), sessionIndex(roots.cloud)]);

  const entries: ThreadEntry[] = [];
  for (const id of ids) {
    const files = { local: sides.local.get(id)?.files ?? [], cloud: sides.cloud.get(id)?.files ?? [] };
    const shown: Side = files.local.length > 0 ? 'local' : 'cloud';
    const change = changes.get(id);
    const arriving = [...files.cloud, ...(change?.paths ?? []).map((path) => ({ path }))].some((file) => waiting.has(file.path));
    let lastActivityMs = 0;
    for (const side of ['local', 'cloud'] as const) for (const file of files[side]) lastActivityMs = Math.max(lastActivityMs, stats[side].get(file.path)?.mtimeMs ?? 0);
    const cloudFile = files.cloud[0];
    const title = change !== undefined && change.title !== id ? change.title : (localIndex?.names.get(id)?.name ?? cloudIndex?.names.get(id)?.name ?? '');
    entries.push({
      id,
      title,
      project: change?.project,
      cliVersion: change?.cliVersion,
      lastActivityMs,
      standing: arriving ? 'arriving' : standingOf(files, change),
      change: change?.kind,
      archived: files[shown].length > 0 && files[shown].every((file) => file.location === 'archived_sessions'),
      machine:
        change?.from === 'cloud' && change.machine !== undefined
          ? change.machine
          : ((cloudFile === undefined ? undefined : machineOfCloudFile(others, cloudFile.path, stats.cloud.get(cloudFile.path)?.size)) ?? plan.waiting?.from ?? others[0]?.machineId),
      turnsAdded: change?.turnsAdded,
      fork: change?.fork,
      files: { local: files.local.map((file) => file.path), cloud: files.cloud.map((file) => file.path) },
    });
  }

  // What a thread is: its first lines, on this machine where it is there (a plan's change was read already).
  const unread = entries.filter((entry) => entry.project === undefined || entry.title === '');
  await forEachConcurrently(unread, HEAD_READS, async (entry) => {
    for (const side of ['local', 'cloud'] as const) {
      const path = newestFile(entry.files[side], stats[side]);
      if (path === undefined) continue;
      const head = await readRolloutHead(pathBelow(roots[side], path));
      if (head.kind !== 'thread') continue;
      fill(entry, head.summary);
      return;
    }
  });
  entries.sort((a, b) => b.lastActivityMs - a.lastActivityMs || (a.id < b.id ? -1 : 1));
  return { machineId: plan.machineId, roots, threads: entries };
}

function standingOf(files: Record<Side, RolloutFile[]>, change: ThreadChange | undefined): ThreadStanding {
  if (change !== undefined && change.kind !== 'new' && change.kind !== 'compressed' && change.kind !== 'decompressed' && change.kind !== 'changed') {
    if (change.kind === 'forked') return 'forked';
    return change.from === 'cloud' ? 'newer-cloud' : 'newer-local';
  }
  if (files.cloud.length === 0) return 'local-only';
  if (files.local.length === 0) return 'cloud-only';
  return change?.kind === 'changed' ? (change.from === 'cloud' ? 'newer-cloud' : 'newer-local') : 'in-sync';
}

function fill(entry: ThreadEntry, summary: ThreadSummary): void {
  if (entry.title === '') entry.title = summary.title;
  entry.project ??= summary.cwd;
  entry.cliVersion ??= summary.cliVersion;
}

/** The file Codex writes to last: the newest of a thread's files on one side. */
export function newestFile(paths: readonly string[], stats: ReadonlyMap<string, FileStat>): string | undefined {
  let newest: string | undefined;
  for (const path of paths) if (newest === undefined || (stats.get(path)?.mtimeMs ?? 0) > (stats.get(newest)?.mtimeMs ?? 0)) newest = path;
  return newest;
}

async function sessionIndex(root: string): Promise<SessionIndex | undefined> {
  try {
    return parseSessionIndex(await readFile(pathBelow(root, 'session_index.jsonl')));
  } catch {
    return undefined;
  }
}
