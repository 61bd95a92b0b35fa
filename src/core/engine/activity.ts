import { openSnapshot, summariseSnapshots } from '../backup/index.ts';
import { statOrUndefined } from '../fs/index.ts';
import { pathBelow } from '../fs/index.ts';
import { readHandoffRecords, type HandoffRecord } from '../handoff/index.ts';
import { baseStateFile, ownRecordsFile, readOwnRecords, type Listing, type OwnRecords } from '../state/index.ts';
import { readRolloutFile, rolloutFileOf } from '../threads/index.ts';
import type { EngineContext } from './context.ts';

// The Activity window's timeline: each machine's newest hand-off, read from its record in the
// cloud folder (through the reader that checks every field and entry), and this machine's
// backup snapshots. What a hand-off changed is told against the listing this machine last knew
// before it (its own records kept in its state folder); without one, only its size is known.

export interface ActivityThread {
  id: string;
  /** Its first prompt, from its rollout in the cloud folder or on this machine; '' when neither says. */
  title: string;
  /** Its turns in that rollout (as the cloud folder holds it now, else this machine); undefined when it cannot be read. */
  turns: number | undefined;
}

export interface HandoffActivity {
  kind: 'handoff';
  machine: string;
  host: string | undefined;
  at: string;
  mine: boolean;
  /** Files the record lists: the whole mirror as the machine left it. */
  files: number;
  /** Files it changed since the listing this machine knew before it; undefined when none is known. */
  changed: number | undefined;
  /** The threads among them; when what changed is not known, every thread the record lists. */
  threads: ActivityThread[];
  /** The snapshot this machine's run made as it handed off, when one was made. */
  snapshot: string | undefined;
}

export interface BackupActivity {
  kind: 'backup';
  machine: string;
  at: string;
  snapshot: string;
  files: number;
  bytes: number;
  threads: ActivityThread[];
  /** Why the snapshot cannot be read, when it cannot. */
  damaged: string | undefined;
}

export type ActivityEntry = HandoffActivity | BackupActivity;

export interface ActivityTimeline {
  machineId: string;
  /** Newest first. */
  entries: ActivityEntry[];
  /** Machines whose record cannot be read (still arriving, or damaged). */
  unreadable: string[];
}

/** Threads named per entry at most: the window lists them, a whole mirror would drown it. */
const THREADS_SHOWN = 50;
/** A run makes its snapshot before its record: the two belong together when this close. */
const SAME_RUN_MS = 60 * 60 * 1000;

/** The timeline of hand-offs on every machine and of this machine's snapshots. Writes nothing. */
export async function activityTimeline(ctx: EngineContext): Promise<ActivityTimeline> {
  const { config } = ctx;
  const machineId = config.settings.identity.machine_id;
  const [{ records, unreadable }, own, snapshots] = await Promise.all([
    readHandoffRecords(config.paths.cloudRoot),
    readOwnRecords(ownRecordsFile(baseStateFile(config.paths))),
    summariseSnapshots(config.paths.backupDir, machineId),
  ]);
  // The cloud folder's copy first: it is what the hand-off carried.
  const titles = new TitleReader([config.paths.cloudRoot, config.paths.localStateDir]);
  const entries: ActivityEntry[] = [];
  for (const record of records) {
    const mine = record.machineId === machineId;
    const before = listingBefore(record, mine, own);
    const changedPaths = before === undefined ? undefined : changedSince(record, before);
    const at = Date.parse(record.createdAt);
    const snapshot = mine ? snapshots.find((s) => s.damaged === undefined && Date.parse(s.createdAt) <= at && at - Date.parse(s.createdAt) <= SAME_RUN_MS)?.name : undefined;
    entries.push({
      kind: 'handoff',
      machine: record.machineId,
      host: record.host,
      at: record.createdAt,
      mine,
      files: record.files.size,
      changed: changedPaths?.length,
      threads: await titles.of(changedPaths ?? [...record.files.keys()]),
      snapshot,
    });
  }
  for (const s of snapshots) {
    entries.push({
      kind: 'backup',
      machine: machineId,
      at: s.createdAt,
      snapshot: s.name,
      files: s.files,
      bytes: s.bytes,
      threads: s.damaged === undefined ? await titles.of(await snapshotPaths(config.paths.backupDir, s.name)) : [],
      damaged: s.damaged,
    });
  }
  entries.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.kind === b.kind ? 0 : a.kind === 'handoff' ? -1 : 1));
  return { machineId, entries, unreadable: unreadable.map((u) => u.machineId) };
}

/**
 * The mirror as this machine knew it before `record`: for its own, its previous record; for
 * another machine's, the record of it that this machine's last hand-off knew, when older, else
 * this machine's own newest record older than it.
 */
function listingBefore(record: HandoffRecord, mine: boolean, own: OwnRecords): Listing | undefined {
  if (!mine) {
    const known = own.others.get(record.machineId);
    if (known !== undefined && known.sequence < record.sequence) return known.files;
  }
  const older = [...own.mine.keys()].filter((sequence) => sequence < record.sequence).sort((a, b) => b - a)[0];
  return older === undefined ? undefined : own.mine.get(older);
}

function changedSince(record: HandoffRecord, before: Listing): string[] {
  const changed = [...record.files].filter(([path, file]) => before.get(path) !== file.sha256).map(([path]) => path);
  for (const path of before.keys()) if (!record.files.has(path)) changed.push(path);
  return changed.sort();
}

/** Thread titles and turns by id, each rollout read once (bounded: the cloud's bytes are untrusted). */
class TitleReader {
  private readonly roots: readonly string[];
  private readonly known = new Map<string, Omit<ActivityThread, 'id'>>();

  constructor(roots: readonly string[]) {
    this.roots = roots;
  }

  async of(paths: readonly string[]): Promise<ActivityThread[]> {
    const byId = new Map<string, string[]>();
    for (const path of paths) {
      const rollout = rolloutFileOf(path);
      if (rollout !== undefined) byId.set(rollout.id, [...(byId.get(rollout.id) ?? []), path]);
    }
    const threads: ActivityThread[] = [];
    for (const [id, files] of [...byId].slice(0, THREADS_SHOWN)) threads.push({ id, ...(await this.read(id, files)) });
    return threads;
  }

  private async read(id: string, files: readonly string[]): Promise<Omit<ActivityThread, 'id'>> {
    const cached = this.known.get(id);
    if (cached !== undefined) return cached;
    let found: Omit<ActivityThread, 'id'> = { title: '', turns: undefined };
    for (const root of this.roots) {
      for (const path of files) {
        const full = pathBelow(root, path);
        if ((await statOrUndefined(full)) === undefined) continue;
        const read = await readRolloutFile(full);
        if (read.kind === 'thread') found = { title: read.summary.title, turns: read.turns.length };
        if (found.turns !== undefined) break;
      }
      if (found.turns !== undefined) break;
    }
    this.known.set(id, found);
    return found;
  }
}

/** The paths a snapshot holds; none when it went or became unreadable since it was listed. */
async function snapshotPaths(backupDir: string, name: string): Promise<string[]> {
  try {
    const snapshot = await openSnapshot(backupDir, name);
    snapshot.close();
    return [...new Set(snapshot.files.map((file) => file.path))];
  } catch {
    return [];
  }
}
