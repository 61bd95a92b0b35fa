import { readThreadMarks } from '../catalogue/index.ts';
import { readThreadStates, type ThreadStateFile } from '../handoff/index.ts';
import type { Logger } from '../log/index.ts';
import { planMarks, type MarkChange, type Marks, type MarksPlan } from '../plan/index.ts';
import type { BaseState } from '../state/index.ts';
import type { CodexCalls } from './threadPhase.ts';

/** What a run knows of names and pins before it writes: the plan, and the files it came from. */
export interface MarksRead {
  plan: MarksPlan;
  /** What this machine's Codex shows now. */
  current: ReadonlyMap<string, Marks>;
  /** This machine's own file as it is in the cloud folder. */
  own: ThreadStateFile | undefined;
  /** Machines whose file cannot be read yet: their changes wait for a later run. */
  unreadable: string[];
}

/** Reads what Codex shows and every machine's thread-state file, and plans; undefined when Codex's catalogue cannot be read. */
export async function readMarks(home: string, cloudRoot: string, machineId: string, base: BaseState): Promise<MarksRead | undefined> {
  const current = await readThreadMarks(home);
  if (current === undefined) return undefined;
  const states = await readThreadStates(cloudRoot);
  const own = states.files.find((f) => f.machineId === machineId);
  const others = states.files.filter((f) => f.machineId !== machineId);
  return { plan: planMarks({ machineId, current, base: base.marks, own, others }), current, own, unreadable: states.unreadable };
}

/** Whether a marks plan changes anything: a change to make here, or this machine's file to write. */
export function marksWork(read: MarksRead | undefined): boolean {
  if (read === undefined) return false;
  return read.plan.incoming.length > 0 || ownFileChanged(read);
}

/** Whether this machine's thread-state file must be written: what it holds differs from what is in the cloud. */
function ownFileChanged(read: MarksRead): boolean {
  return JSON.stringify(read.plan.own.threads) !== JSON.stringify(read.own?.threads ?? {});
}

export interface MarksResult {
  /** Names and pins set here as other machines set them. */
  applied: MarkChange[];
  /** Those Codex did not make, with its words. */
  failed: Array<MarkChange & { why: string }>;
  /** Changes made here that now travel. */
  sent: number;
}

/**
 * Makes the other machines' newer names and pins here through Codex, then records what this
 * machine now holds: in its base, and in its thread-state file (returned for the session to
 * write). A change Codex did not make is left out of both, so the next run tries it again.
 */
export async function carryMarks(read: MarksRead, codex: CodexCalls, base: BaseState, log: Logger): Promise<{ result: MarksResult; file: ThreadStateFile | undefined }> {
  const { plan } = read;
  const result: MarksResult = { applied: [], failed: [], sent: plan.outgoing.length };
  for (const change of plan.incoming) {
    const outcome = await codex.run((calls) => (change.mark === 'name' ? calls.setName(change.thread, change.value as string | null) : calls.setPinned(change.thread, change.value as boolean)));
    const why = !outcome.ok ? outcome.why : outcome.value.ok ? undefined : outcome.value.why;
    if (why === undefined) {
      result.applied.push(change);
      log.info(
        `${change.mark === 'name' ? `named thread ${change.thread} "${String(change.value)}"` : `${change.value === true ? 'pinned' : 'unpinned'} thread ${change.thread}`} as on ${change.from}`,
      );
      continue;
    }
    result.failed.push({ ...change, why });
    log.warning(`Codex did not set the ${change.mark} of thread ${change.thread} as on ${change.from}: ${why}`);
    // Not made here: this machine's file and base keep what they had, and the next run asks again.
    const ownBefore = read.own?.threads[change.thread]?.[change.mark];
    const kept = plan.own.threads[change.thread];
    if (kept !== undefined) {
      if (ownBefore === undefined) delete kept[change.mark];
      else kept[change.mark] = ownBefore as never;
    }
    const agreed = plan.base.get(change.thread);
    const before = base.marks.get(change.thread)?.[change.mark];
    if (agreed !== undefined) {
      if (before === undefined) delete agreed[change.mark];
      else agreed[change.mark] = before as never;
    }
  }
  base.marks = plan.base;
  const changed = ownFileChanged(read);
  return { result, file: changed ? { machineId: plan.own.machineId, threads: plan.own.threads } : undefined };
}
