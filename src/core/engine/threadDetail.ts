import { CodexSyncError, ExitCode } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import { pathBelow } from '../fs/index.ts';
import { machineOfCloudFile, otherMachinesRecords } from '../handoff/index.ts';
import { scanSide } from '../scan/index.ts';
import type { Scope } from '../scope/index.ts';
import { compareRollouts, isThreadId, readRolloutBytes, readRolloutFile, rolloutName, type RolloutComparison, type RolloutRead, type ThreadSummary, type TurnSummary } from '../threads/index.ts';
import { scopeOf, type EngineContext } from './context.ts';
import { newestFile } from './threadList.ts';

// One thread's turns on both sides, for the Threads window's detail: only this thread's files
// are looked for and read whole (bounded), and its two versions compared on bytes.

/** A turn, and where it is: in both versions, or only in this machine's or the cloud's. */
export interface DetailTurn extends TurnSummary {
  on: 'both' | Side;
}

export interface ThreadSideDetail {
  root: string;
  /** Its rollout files on this side, relative paths with their size and time. */
  files: Array<{ path: string; stat: FileStat }>;
  /** The version read (the newest file), when it is a thread. */
  summary: ThreadSummary | undefined;
  /** Why the newest file could not be read as a thread, when it could not. */
  unreadable: Exclude<RolloutRead, { kind: 'thread' }> | undefined;
}

export interface ThreadDetail {
  id: string;
  sides: Record<Side, ThreadSideDetail>;
  /** Every turn of both versions once: the common ones, then each side's own. */
  turns: DetailTurn[];
  /** How the two versions relate, when both sides have one. */
  comparison: RolloutComparison['kind'] | undefined;
  /** The machine whose hand-off brought the cloud folder's version, when known. */
  machine: string | undefined;
}

/** One thread's files, summary and turns on both sides. Writes nothing. */
export async function threadDetail(ctx: EngineContext, id: string): Promise<ThreadDetail> {
  if (!isThreadId(id)) throw new CodexSyncError(ExitCode.invalidInput, { code: 'thread-unknown', id });
  const { paths } = ctx.config;
  const scope = onlyThread(scopeOf(ctx.config), id);
  const [local, cloud] = await Promise.all([scanSide('local', paths.localStateDir, scope), scanSide('cloud', paths.cloudRoot, scope)]);
  if (local.files.size + cloud.files.size === 0) throw new CodexSyncError(ExitCode.invalidInput, { code: 'thread-unknown', id });
  const read = async (root: string, files: ReadonlyMap<string, FileStat>) => {
    const newest = newestFile([...files.keys()], files);
    const side: ThreadSideDetail = { root, files: [...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([path, stat]) => ({ path, stat })), summary: undefined, unreadable: undefined };
    if (newest === undefined) return { side, turns: [] as TurnSummary[], bytes: undefined };
    const file = pathBelow(root, newest);
    const [rollout, bytes] = await Promise.all([readRolloutFile(file), readRolloutBytes(file)]);
    if (rollout.kind === 'thread') side.summary = rollout.summary;
    else side.unreadable = rollout;
    return { side, turns: rollout.kind === 'thread' ? rollout.turns : [], bytes: bytes.kind === 'bytes' && rollout.kind === 'thread' ? bytes.bytes : undefined };
  };
  const [here, there] = await Promise.all([read(paths.localStateDir, local.files), read(paths.cloudRoot, cloud.files)]);
  const records = await otherMachinesRecords(paths.cloudRoot, ctx.config.settings.identity.machine_id);
  const cloudNewest = newestFile([...cloud.files.keys()], cloud.files);
  const machine = cloudNewest === undefined ? undefined : (machineOfCloudFile(records, cloudNewest, cloud.files.get(cloudNewest)?.size) ?? records[0]?.machineId);

  let turns: DetailTurn[];
  let comparison: RolloutComparison['kind'] | undefined;
  if (here.bytes !== undefined && there.bytes !== undefined) {
    const compared = compareRollouts(here.bytes, there.bytes);
    comparison = compared.kind;
    turns = mergedTurns(compared, here.turns, there.turns);
  } else {
    turns = here.bytes !== undefined ? here.turns.map((t) => ({ ...t, on: 'local' })) : there.turns.map((t) => ({ ...t, on: 'cloud' }));
  }
  return { id, sides: { local: here.side, cloud: there.side }, turns, comparison, machine };
}

function mergedTurns(compared: RolloutComparison, local: TurnSummary[], cloud: TurnSummary[]): DetailTurn[] {
  const tag = (list: TurnSummary[], on: DetailTurn['on']): DetailTurn[] => list.map((turn) => ({ ...turn, on }));
  switch (compared.kind) {
    case 'same':
      return tag(local, 'both');
    case 'extension': {
      const longer = compared.longer === 'left' ? local : cloud;
      return [...tag(longer.slice(0, compared.sharedTurns), 'both'), ...tag(longer.slice(compared.sharedTurns), compared.longer === 'left' ? 'local' : 'cloud')];
    }
    case 'fork':
      return [...tag(local.slice(0, compared.sharedTurns), 'both'), ...tag(local.slice(compared.sharedTurns), 'local'), ...tag(cloud.slice(compared.sharedTurns), 'cloud')];
    case 'unrelated':
      return [...tag(local, 'local'), ...tag(cloud, 'cloud')];
  }
}

/** The scope narrowed to one thread's rollout files: the walk enters only where rollouts live. */
function onlyThread(scope: Scope, id: string): Scope {
  const rolloutFolder = (path: string): boolean => path === 'sessions' || path === 'archived_sessions' || path.startsWith('sessions/') || path.startsWith('archived_sessions/');
  return {
    roots: scope.roots,
    entersDir: (path) => rolloutFolder(path) && scope.entersDir(path),
    includesFile: (path) => rolloutFolder(path) && rolloutName(path.slice(path.lastIndexOf('/') + 1))?.id === id && scope.includesFile(path),
    includesWalkedFile: (path, name) => rolloutName(name)?.id === id && scope.includesWalkedFile(path, name),
    explainTopLevel: (name) => scope.explainTopLevel(name),
  };
}
