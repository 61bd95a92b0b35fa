import type { Failure } from '../apply/index.ts';
import { pathBelow, statOrUndefined } from '../fs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Plan, ThreadMove } from '../plan/index.ts';
import { hashFile } from '../scan/index.ts';
import { threadIdOf } from '../scope/index.ts';
import type { BaseState } from '../state/index.ts';
import type { MarksResult } from './marksPhase.ts';

// Codex keeps its own list of threads (its catalogue, with this machine's absolute paths) and
// its own record of where each rollout lives. codexSync never writes either: with Codex and
// its daemon stopped, it starts this machine's Codex (app-server over stdio), asks it to read
// each thread that arrived (Codex adds it to its list with this machine's path), to archive or
// unarchive what the other machine archived or unarchived, and checks Codex's own list after.

/** One outcome of a call to Codex: done, or Codex's own words for why not. */
export type CallOutcome = { ok: true } | { ok: false; why: string };

/** The calls a run makes to this machine's Codex, in one started app-server. */
export interface ThreadCalls {
  /** thread/read: Codex adds a thread whose rollout is in its home to its list. */
  read(thread: string): Promise<CallOutcome>;
  archive(thread: string): Promise<CallOutcome>;
  unarchive(thread: string): Promise<CallOutcome>;
  /** thread/name/set; null clears the name where Codex allows it. */
  setName(thread: string, name: string | null): Promise<CallOutcome>;
  /** Moves the thread into Codex's built-in "Pinned" section, or out of it. */
  setPinned(thread: string, pinned: boolean): Promise<CallOutcome>;
  /** thread/delete: Codex drops the thread (its rollout file, its row, its history), before another version of it takes its place. */
  remove(thread: string): Promise<CallOutcome>;
  /** Every thread Codex lists (every source kind, archived or not), or why the list could not be read. */
  listed(): Promise<{ ok: true; ids: ReadonlySet<string> } | { ok: false; why: string }>;
  /** Ends the app-server by its PID and waits until it is gone. */
  close(): Promise<void>;
}

/** This machine's Codex as a run finds it. */
export type CodexAccess = { found: true; binary: string; open(): Promise<ThreadCalls>; version(): Promise<string | undefined> } | { found: false; tried: string[] };

/** What a run did with Codex so that it lists the handed-off threads, as data. */
export interface ThreadsResult {
  /** 'missing': no Codex binary found, nothing asked: the threads open with `codex resume <id>`. */
  codex: 'called' | 'missing' | 'not-needed' | 'failed';
  /** Threads moved by Codex (archived or unarchived) as the other machine did. */
  moved: Array<{ thread: string; op: ThreadMove['op'] }>;
  /** Threads that arrived and were added to Codex's list. */
  added: string[];
  /** Threads that arrived but Codex does not list (not found, or no Codex to ask). */
  notListed: string[];
  /** Why Codex could not be started or asked, in its own words. */
  why?: string;
  /** Names and pins carried between machines. */
  marks?: MarksResult;
}

/**
 * Moves the threads the other machine archived or unarchived, through Codex, before any file
 * is copied. A move that Codex refused, or that left other than the scanned file at its new
 * place, is a failure of that path; its follow-up copy is dropped from the plan.
 */
export async function moveThreads(plan: Plan, calls: ThreadCalls, base: BaseState, localRoot: string, log: Logger): Promise<{ moved: ThreadsResult['moved']; failures: Failure[] }> {
  const moved: ThreadsResult['moved'] = [];
  const failures: Failure[] = [];
  for (const move of plan.threadMoves) {
    const outcome = move.op === 'archive' ? await calls.archive(move.thread) : await calls.unarchive(move.thread);
    const at = statOrUndefined(pathBelow(localRoot, move.to));
    const left = statOrUndefined(pathBelow(localRoot, move.from));
    // Codex moves the file whole (it may touch its time: unarchiving marks the thread as recent).
    const whole = at !== undefined && left === undefined && at.size === move.local.size;
    if (!outcome.ok || !whole) {
      const detail = !outcome.ok
        ? outcome.why
        : left !== undefined
          ? `Codex left ${move.from} in place`
          : at === undefined
            ? `Codex left no file at ${move.to}`
            : `Codex changed ${move.to} while moving it`;
      failures.push({ path: move.from, why: 'codex-call-failed', detail, safety: true });
      log.error(`not done: ${move.op} thread ${move.thread}: ${detail}`, { path: move.from });
      plan.actions = plan.actions.filter((a) => a.path !== move.to);
      continue;
    }
    base.entries.delete(move.from);
    if (move.baseAfter !== undefined) base.entries.set(move.to, { ...move.baseAfter, localMtimeMs: at.mtimeMs, ...(at.ino === undefined ? {} : { localIno: at.ino }) });
    moved.push({ thread: move.thread, op: move.op });
    log.info(`${move.op === 'archive' ? 'archived' : 'unarchived'} thread ${move.thread} through Codex, as the other machine did`, { path: move.to });
  }
  return { moved, failures };
}

/** Asks Codex to read each thread that arrived, then checks its list holds every one. */
export async function addThreads(threads: readonly string[], calls: ThreadCalls, log: Logger): Promise<Pick<ThreadsResult, 'added' | 'notListed' | 'why'>> {
  const refused = new Map<string, string>();
  for (const thread of threads) {
    const outcome = await calls.read(thread);
    if (!outcome.ok) refused.set(thread, outcome.why);
  }
  const listed = await calls.listed();
  if (!listed.ok) {
    log.warning(`Codex's thread list could not be read: ${listed.why}`);
    return { added: [], notListed: [...threads], why: listed.why };
  }
  const added = threads.filter((t) => listed.ids.has(t));
  const notListed = threads.filter((t) => !listed.ids.has(t));
  for (const thread of notListed) log.warning(`Codex does not list thread ${thread}${refused.has(thread) ? `: ${refused.get(thread)}` : ''}`);
  if (added.length > 0) log.info(`Codex lists ${added.length} handed-off thread(s)`);
  return { added, notListed };
}

/**
 * One run's use of this machine's Codex: started at the first call that needs it, ended by
 * `close` (always, in a finally). A Codex that cannot be started fails every call with its reason.
 */
export class CodexCalls {
  readonly #access: CodexAccess;
  /** The one app-server of the run, started at the first call (calls may come at once: a plan's copies run concurrently). */
  #opening: Promise<ThreadCalls> | undefined;
  #failed: string | undefined;
  #used = false;

  constructor(access: CodexAccess) {
    this.#access = access;
  }

  /** 'missing' when no Codex was found, 'failed' when it could not be started, 'called' once it answered. */
  get outcome(): ThreadsResult['codex'] {
    if (!this.#used) return 'not-needed';
    if (!this.#access.found) return 'missing';
    return this.#failed === undefined ? 'called' : 'failed';
  }

  async run<T>(work: (calls: ThreadCalls) => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; why: string }> {
    this.#used = true;
    const access = this.#access;
    if (!access.found) return { ok: false, why: 'no Codex found' };
    this.#opening ??= access.open();
    let calls: ThreadCalls;
    try {
      calls = await this.#opening;
    } catch (error) {
      this.#failed = error instanceof Error ? error.message : String(error);
      return { ok: false, why: this.#failed };
    }
    return { ok: true, value: await work(calls) };
  }

  async close(): Promise<void> {
    const opening = this.#opening;
    this.#opening = undefined;
    if (opening === undefined) return;
    try {
      await (await opening).close();
    } catch {
      // It never started: nothing to end.
    }
  }
}

/** Threads a run's forks touched: replaced here by the other version, and the versions kept as threads of their own. */
export interface ForkOutcome {
  /** Threads Codex dropped here before the other machine's version took their place. */
  replaced: string[];
  /** Versions that gave way, kept under a fresh id: the name to give each. */
  kept: Array<{ thread: string; name: string }>;
}

/**
 * After Codex added the threads a fork touched: a replaced thread gets back the name and pin
 * this machine had agreed on (thread/delete took them), and a kept version is named
 * "<title> (from <machine>)" so that both are told apart in Codex's list (the name then
 * travels like any other).
 */
export async function markForks(forks: ForkOutcome, calls: ThreadCalls, base: BaseState, log: Logger): Promise<void> {
  for (const thread of forks.replaced) {
    const agreed = base.marks.get(thread);
    if (typeof agreed?.name === 'string') await logged(calls.setName(thread, agreed.name), `name thread ${thread} again`, log);
    if (agreed?.pinned === true) await logged(calls.setPinned(thread, true), `pin thread ${thread} again`, log);
  }
  for (const { thread, name } of forks.kept) await logged(calls.setName(thread, name), `name thread ${thread} "${name}"`, log);
}

/**
 * Naming an archived thread moves it out of the archive and back (codexAccess.ts nameThread):
 * the same bytes with a new time. The base takes the new time where the bytes are unchanged, so
 * the next run does not hand the file over again.
 */
export async function keepBaseOfNamed(threads: ReadonlySet<string>, base: BaseState, localRoot: string): Promise<void> {
  if (threads.size === 0) return;
  for (const [path, entry] of base.entries) {
    const id = path.startsWith('archived_sessions/') ? threadIdOf(path) : undefined;
    if (id === undefined || !threads.has(id)) continue;
    const now = statOrUndefined(pathBelow(localRoot, path));
    if (now === undefined || now.size !== entry.size || now.mtimeMs === entry.localMtimeMs) continue;
    if ((await hashFile(pathBelow(localRoot, path))) === entry.sha256) base.entries.set(path, { ...entry, localMtimeMs: now.mtimeMs, ...(now.ino === undefined ? {} : { localIno: now.ino }) });
  }
}

async function logged(outcome: Promise<CallOutcome>, what: string, log: Logger): Promise<void> {
  const done = await outcome;
  if (!done.ok) log.warning(`Codex did not ${what}: ${done.why}`);
}
