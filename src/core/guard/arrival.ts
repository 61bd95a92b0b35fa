import type { UnreadableRecord } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import { forEachConcurrently } from '../fs/index.ts';
import { didNotSee, newestFirst, type HandoffRecord, type RecordsRead } from '../handoff/index.ts';
import type { BaseEntry, Listing, OwnListingsWanted, OwnRecords } from '../state/index.ts';

/** What may account for a cloud file of the right size whose bytes were not read yet. */
export interface Accounting {
  /** The SHA-256 a record or this machine's base gives it. */
  hashes: string[];
  /** Bytes identical to this machine's own file account for it too: a run that stopped before its base and record were saved wrote it. */
  sameAsLocal: boolean;
}

export interface Arrival {
  /** The machine whose handoff this machine waits for: the writer of the newest record when another machine wrote it, else an unreadable record's. */
  from: string | undefined;
  /** The newest record, when another machine wrote it. */
  record: HandoffRecord | undefined;
  /** Cloud files not arrived yet (see checkArrival), sorted. */
  pending: string[];
  /** Record files that cannot be read yet: the handoff they describe has not arrived either. */
  unreadable: UnreadableRecord[];
  /** Cloud files whose size is right but whose bytes were not read yet; one hash once they were. */
  accountedBy: Map<string, Accounting>;
  /** New or changed cloud files taken as they are: no machine has written a record yet. */
  asTheyAre: string[];
  /** Cloud files that are this machine's own unrecorded pushes (state/pushes.ts): no record's hash is theirs. */
  pushedHere: Set<string>;
}

export const nothingAwaited: Arrival = { from: undefined, record: undefined, pending: [], unreadable: [], accountedBy: new Map(), asTheyAre: [], pushedHere: new Set() };

export interface ArrivalFacts {
  read: RecordsRead;
  machineId: string;
  local: ReadonlyMap<string, FileStat>;
  cloud: ReadonlyMap<string, FileStat>;
  base: ReadonlyMap<string, BaseEntry>;
  /** The handoff this machine's last complete sync took in full (its base says so). */
  handoffSeen: { machineId: string; sequence: number } | undefined;
  inScope(path: string): boolean;
  /** Cloud files this run wrote itself before planning again (merged conflict copies): they account for themselves. */
  writtenByRun?: ReadonlyMap<string, { size: number; sha256: string }>;
  /** Cloud writes an earlier run of this machine noted before making them (state/pushes.ts); a killed run leaves them. */
  ownPushes?: ReadonlyMap<string, ReadonlyArray<{ size: number | null; mtimeMs: number; deleted?: true }>>;
  /** What this machine's latest handoffs knew, file by file (state/ownRecords.ts). */
  ownRecords?: OwnRecords;
}

/**
 * What of the cloud folder has not arrived, from stats alone. A file the newest record (of
 * another machine) lists must be there with its size and hash: missing is "not arrived yet",
 * never "deleted". Any other new or changed cloud file must be listed with its size and hash by
 * the newest record that lists it, or be as this machine's base has it; else it is a file no
 * handoff accounts for (one still arriving, or one no codexSync wrote). While no machine has
 * written a record (just after moving from 0.1.2) the cloud's files are taken as they are
 * (but see awaitWholeLines).
 * What this machine's own interrupted run left is its own: bytes identical to its file here, a
 * deletion it made here too (or noted, see state/pushes.ts), and, once its base was saved, a
 * handoff it took in full.
 * Two handoffs made side by side (neither record knew of the other, see didNotSee) each hold
 * news the other lacks: the writer of the newest awaits the other one's record too, and neither
 * waits where the other record lists a path as it knew it from this machine, which this
 * machine's own newer handoff changed (see olderNewsOf).
 */
export function checkArrival(facts: ArrivalFacts): Arrival {
  const { read, machineId, local, cloud, base, inScope } = facts;
  const records = newestFirst(read.records);
  const awaited = awaitedOf(records, machineId, facts.handoffSeen);
  const recordsExist = read.records.length + read.unreadable.length > 0;
  const pending = new Set<string>();
  const accountedBy = new Map<string, Accounting>();
  const asTheyAre: string[] = [];
  const pushedHere = new Set<string>();
  const knownBeside = sideBySide(awaited, records, machineId, facts.ownRecords);
  const olderNews = olderNewsOf(knownBeside, awaited);
  const settledForMine = doubleWriteSettledOf(knownBeside, awaited);
  if (awaited !== undefined) {
    for (const path of awaited.files.keys()) {
      if (!inScope(path) || cloud.has(path) || (base.has(path) && !local.has(path))) continue;
      // This machine's own deletion of the very version the record lists (a killed run left it unrecorded): the version
      // its base holds, or, where it never synced the path (a moved thread's copy kept under a fresh id), one of that size.
      const listed = awaited.files.get(path);
      const entry = base.get(path);
      const deletedHere = facts.ownPushes?.get(path)?.some((note) => note.deleted === true && (entry !== undefined || note.size === listed?.size)) === true;
      if (deletedHere && (entry === undefined || entry.sha256 === listed?.sha256)) continue;
      // Gone as this machine's own newer handoff left it.
      if (!base.has(path) && olderNews(path, undefined)) continue;
      pending.add(path);
    }
  }
  for (const [path, stat] of cloud) {
    if (!inScope(path)) continue;
    const own = facts.writtenByRun?.get(path);
    const pushed = facts.ownPushes?.get(path) ?? [];
    // This machine's own push (a copy keeps its source's time): a killed run left it unrecorded.
    // What this run merged itself is known to the byte, and a pull of it checks that hash.
    if (own === undefined && pushed.some((note) => note.deleted !== true && note.mtimeMs === stat.mtimeMs && (note.size === null || note.size === stat.size))) {
      pushedHere.add(path);
      continue;
    }
    const entry = base.get(path);
    // Bytes known without reading: the cloud file is as this machine's last sync left it.
    const known = entry !== undefined && entry.size === stat.size && entry.cloudMtimeMs === stat.mtimeMs ? entry.sha256 : undefined;
    const listed = awaited?.files.get(path);
    // Not for a file the awaited record lists: its version arrives exactly, never "as here".
    const sameAsLocal = listed === undefined && local.get(path)?.size === stat.size;
    let hashes: string[];
    if (own !== undefined) hashes = [own].filter((f) => f.size === stat.size).map((f) => f.sha256);
    else if (listed !== undefined) {
      // The awaited handoff arrives exactly, even where the cloud still holds a version this machine synced.
      if (known !== undefined) {
        if (known !== listed.sha256 && !olderNews(path, known) && !settledForMine(path, known)) pending.add(path);
        continue;
      }
      hashes = listed.size === stat.size ? [listed.sha256] : [];
    } else {
      if (known !== undefined) continue;
      if (!recordsExist) {
        asTheyAre.push(path);
        continue;
      }
      const lastListed = records.find((record) => record.files.has(path))?.files.get(path);
      hashes = [...new Set([lastListed, entry].filter((f) => f !== undefined && f.size === stat.size).map((f) => (f as { sha256: string }).sha256))];
    }
    if (hashes.length === 0 && (own !== undefined || !sameAsLocal)) pending.add(path);
    else accountedBy.set(path, { hashes, sameAsLocal: own === undefined && sameAsLocal });
  }
  return { from: awaited?.machineId ?? read.unreadable[0]?.machineId, record: awaited, pending: [...pending].sort(), unreadable: read.unreadable, accountedBy, asTheyAre, pushedHere };
}

/**
 * The newest other machine's record, unless taken: when it is the newest, or the newest (this
 * machine's own) was written without knowing of it, a handoff made side by side.
 */
function awaitedOf(records: readonly HandoffRecord[], machineId: string, seen: ArrivalFacts['handoffSeen']): HandoffRecord | undefined {
  const newest = records[0];
  const other = records.find((record) => record.machineId !== machineId);
  const taken = other !== undefined && seen !== undefined && other.machineId === seen.machineId && other.sequence <= seen.sequence;
  return other !== undefined && !taken && (other === newest || didNotSee(newest as HandoffRecord, other)) ? other : undefined;
}

/**
 * The listings of this machine's own records checkArrival reads (ArrivalFacts.ownRecords), or
 * undefined when it reads none: only for an awaited record written side by side with this
 * machine's latest, and then this machine's record its writer knew of and its writer's own (see
 * sideBySide). Else a run does not read them: kept between the app's plans they were the
 * largest part of its idle memory (bench/results/profile-notes.md).
 */
export function ownListingsNeeded(read: RecordsRead, machineId: string, handoffSeen: ArrivalFacts['handoffSeen']): OwnListingsWanted | undefined {
  const records = newestFirst(read.records);
  const awaited = awaitedOf(records, machineId, handoffSeen);
  const mine = records.find((record) => record.machineId === machineId);
  if (awaited === undefined || mine === undefined || !didNotSee(awaited, mine)) return undefined;
  const known = sequenceIn(awaited.seen, machineId);
  return { mine: new Set(known === undefined ? [] : [known]), others: new Set([awaited.machineId]) };
}

/** The sequence `seen` names for machine `id`, if it names one. */
function sequenceIn(seen: HandoffRecord['seen'], id: string): number | undefined {
  return seen !== undefined && Object.hasOwn(seen, id) ? seen[id] : undefined;
}

/**
 * What the two handoffs of an awaited record written side by side with this machine's latest
 * one knew of each other's files: this machine's record its writer knew of (`ofMine`), and its
 * writer's record this machine's latest knew of (`theirs`); an empty listing where none was
 * known, undefined where it is no longer kept here. Undefined unless side by side.
 */
function sideBySide(
  awaited: HandoffRecord | undefined,
  records: readonly HandoffRecord[],
  machineId: string,
  ownRecords: OwnRecords | undefined,
): { mine: HandoffRecord; ofMine: Listing | undefined; theirs: Listing | undefined } | undefined {
  const mine = records.find((record) => record.machineId === machineId);
  if (awaited === undefined || mine === undefined || ownRecords === undefined || !didNotSee(awaited, mine)) return undefined;
  const mineKnown = sequenceIn(awaited.seen, machineId);
  const theirsKnown = sequenceIn(mine.seen, awaited.machineId);
  const ofTheirs = ownRecords.others.get(awaited.machineId);
  return {
    mine,
    ofMine: mineKnown === undefined ? (awaited.seen === undefined ? undefined : new Map()) : ownRecords.mine.get(mineKnown),
    theirs: theirsKnown === undefined ? (mine.seen === undefined ? undefined : new Map()) : ofTheirs?.sequence === theirsKnown ? ofTheirs.files : undefined,
  };
}

/**
 * For an awaited record written side by side: whether its listing of a path is older news than
 * this machine's latest handoff. It is when the awaited record lists the path exactly as a
 * record its writer and this machine both knew listed it (this machine's record it knew of, or
 * its own earlier record that this machine's latest knew of: it passed the path on unchanged),
 * while this machine's latest record lists `cloud` (the cloud's SHA-256 as this machine's base
 * has it; undefined: gone). Where the awaited record changed the path itself, its version is
 * still on the way and is waited for (but see doubleWriteSettledOf).
 */
function olderNewsOf(known: ReturnType<typeof sideBySide>, awaited: HandoffRecord | undefined): (path: string, cloud: string | undefined) => boolean {
  if (known === undefined || awaited === undefined) return () => false;
  const { mine, ofMine, theirs } = known;
  return (path, cloud) => {
    const listed = awaited.files.get(path)?.sha256;
    return listed !== undefined && (ofMine?.get(path) === listed || theirs?.get(path) === listed) && mine.files.get(path)?.sha256 === cloud && cloud !== listed;
  };
}

/**
 * For an awaited record written side by side: whether both handoffs wrote their own version of
 * a path and the cloud client settled the double write for this machine's. It did when this
 * machine's latest record lists `cloud` (the cloud's SHA-256 as this machine's base has it), a
 * version neither the awaited record's writer knew from this machine nor this machine from it,
 * while the awaited record lists another. A cloud client keeps one of two such writes at the
 * path and the other, if at all, as a conflict copy, which stops every run until merged: the
 * other version does not arrive at the path, and once the user deleted its copy, waiting for it
 * would never end. Should it still replace this one there, that is a cloud change like any other.
 */
function doubleWriteSettledOf(known: ReturnType<typeof sideBySide>, awaited: HandoffRecord | undefined): (path: string, cloud: string) => boolean {
  if (known === undefined || awaited === undefined || known.ofMine === undefined || known.theirs === undefined) return () => false;
  const { mine, ofMine, theirs } = known;
  return (path, cloud) => mine.files.get(path)?.sha256 === cloud && ofMine.get(path) !== cloud && theirs.get(path) !== cloud && awaited.files.get(path)?.sha256 !== cloud;
}

/** Whole-file reads at once while checking arrival. */
const HASH_CONCURRENCY = 4;

/**
 * Reads the bytes of the cloud files `checkArrival` accounted for by size alone, except those
 * `later` says are checked anyway (a copy to this machine checks the hash while it copies).
 * A file whose SHA-256 no record, no base entry and not this machine's own file has is pending.
 */
export async function verifyArrival(arrival: Arrival, later: (path: string, accounting: Accounting) => boolean, hash: (side: Side, path: string) => Promise<string>): Promise<Arrival> {
  const accountedBy = new Map(arrival.accountedBy);
  const unaccounted: string[] = [];
  const toRead = [...accountedBy].filter(([path, accounting]) => !later(path, accounting));
  await forEachConcurrently(toRead, HASH_CONCURRENCY, async ([path, { hashes, sameAsLocal }]) => {
    const actual = await hash('cloud', path);
    if (hashes.includes(actual) || (sameAsLocal && actual === (await hash('local', path)))) accountedBy.set(path, { hashes: [actual], sameAsLocal: false });
    else {
      accountedBy.delete(path);
      unaccounted.push(path);
    }
  });
  if (unaccounted.length === 0) return { ...arrival, accountedBy };
  return { ...arrival, accountedBy, pending: [...new Set([...arrival.pending, ...unaccounted])].sort() };
}

/**
 * Before any record exists nothing vouches for a cloud file's bytes. A file Codex writes whole
 * lines to (`isLineFile`) that does not end with a newline is one the cloud client is still
 * writing in place: it has not arrived. (Any other file taken as it is may still be cut short:
 * only a record's hash can tell, from the first handoff on.)
 */
export async function awaitWholeLines(arrival: Arrival, isLineFile: (path: string) => boolean, endsWhole: (path: string) => Promise<boolean>): Promise<Arrival> {
  const cut: string[] = [];
  await forEachConcurrently(arrival.asTheyAre.filter(isLineFile), HASH_CONCURRENCY, async (path) => {
    if (!(await endsWhole(path))) cut.push(path);
  });
  if (cut.length === 0) return arrival;
  return { ...arrival, asTheyAre: arrival.asTheyAre.filter((path) => !cut.includes(path)), pending: [...new Set([...arrival.pending, ...cut])].sort() };
}
