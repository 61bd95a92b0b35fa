// Names and pins travel as the newest change, by stamp (a Lamport counter; see
// handoff/threadState.ts). A pure function of what this machine's Codex shows now, what the
// base says this machine agreed on last time, and every machine's thread-state file.

/** What a person set on a thread in Codex that its rollout does not hold. */
export interface Marks {
  name: string | null;
  pinned: boolean;
}

type Mark = keyof Marks;
const MARKS: readonly Mark[] = ['name', 'pinned'];
const DEFAULTS: Marks = { name: null, pinned: false };

interface StampedMark<T> {
  value: T;
  stamp: number;
}
type StampedMarks = { [K in Mark]?: StampedMark<Marks[K]> };

export interface MarksFile {
  machineId: string;
  threads: Record<string, StampedMarks>;
}

export interface MarksInput {
  machineId: string;
  /** What this machine's Codex shows now, per thread it lists. */
  current: ReadonlyMap<string, Marks>;
  /** What this machine held after its last sync, per thread. */
  base: ReadonlyMap<string, Partial<Marks>>;
  /** This machine's own file as it is in the cloud folder (undefined: none yet). */
  own: MarksFile | undefined;
  others: readonly MarksFile[];
}

/** One change to make in this machine's Codex, and the machine whose change it is. */
export interface MarkChange {
  thread: string;
  mark: Mark;
  value: string | null | boolean;
  from: string;
}

export interface MarksPlan {
  /** Changes from other machines to make here through Codex. */
  incoming: MarkChange[];
  /** Changes made here since the last sync, that now travel. */
  outgoing: Array<{ thread: string; mark: Mark; value: string | null | boolean }>;
  /** This machine's file once the incoming changes are made. */
  own: MarksFile;
  /** The base's marks once the incoming changes are made. */
  base: Map<string, Partial<Marks>>;
}

export function planMarks(input: MarksInput): MarksPlan {
  const own: MarksFile = { machineId: input.machineId, threads: {} };
  const plan: MarksPlan = { incoming: [], outgoing: [], own, base: new Map() };
  let seen = 0;
  for (const file of [...input.others, ...(input.own === undefined ? [] : [input.own])]) {
    for (const marks of Object.values(file.threads)) for (const mark of MARKS) seen = Math.max(seen, marks[mark]?.stamp ?? 0);
  }
  const threads = new Set<string>([...input.current.keys(), ...Object.keys(input.own?.threads ?? {}), ...input.others.flatMap((f) => Object.keys(f.threads))]);
  for (const thread of [...threads].sort()) {
    const current = input.current.get(thread);
    const base = input.base.get(thread);
    const ownMarks = input.own?.threads[thread];
    const kept: StampedMarks = {};
    const agreed: Partial<Marks> = {};
    for (const mark of MARKS) {
      const now = current?.[mark];
      const ownEntry = ownMarks?.[mark] as StampedMark<Marks[typeof mark]> | undefined;
      const remote = newestRemote(input.others, thread, mark);
      const before = base?.[mark] ?? ownEntry?.value ?? (remote?.value === now ? now : DEFAULTS[mark]);
      let entry: StampedMark<Marks[typeof mark]> | undefined = ownEntry;
      if (now !== undefined && now !== before) {
        // Changed here since the last sync: newer than every change this machine has seen.
        seen += 1;
        entry = { value: now, stamp: seen };
        plan.outgoing.push({ thread, mark, value: now });
        agreed[mark] = now as never;
      } else if (remote !== undefined && remote.stamp > (ownEntry?.stamp ?? 0)) {
        entry = { value: remote.value, stamp: remote.stamp };
        if (now !== undefined && now !== remote.value) plan.incoming.push({ thread, mark, value: remote.value, from: remote.machineId });
        if (now !== undefined) agreed[mark] = remote.value as never;
      } else if (now !== undefined) {
        agreed[mark] = now as never;
      }
      if (entry !== undefined) kept[mark] = entry as never;
    }
    if (Object.keys(kept).length > 0) own.threads[thread] = kept;
    if (Object.keys(agreed).length > 0) plan.base.set(thread, agreed);
  }
  return plan;
}

/** The newest change to a mark among the other machines: highest stamp, then machine id (two machines that never saw each other). */
function newestRemote(others: readonly MarksFile[], thread: string, mark: Mark): (StampedMark<Marks[Mark]> & { machineId: string }) | undefined {
  let best: (StampedMark<Marks[Mark]> & { machineId: string }) | undefined;
  for (const file of others) {
    const entry = file.threads[thread]?.[mark];
    if (entry === undefined) continue;
    if (best === undefined || entry.stamp > best.stamp || (entry.stamp === best.stamp && file.machineId > best.machineId)) best = { ...entry, machineId: file.machineId };
  }
  return best;
}
