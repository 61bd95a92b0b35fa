import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { classify, type Names, type ProcessSource } from '../core/guard/index.ts';
import type { Platform } from '../core/platform.ts';
import { codexStartedNotice, type Notice } from './model/backgroundNotice.ts';
import type { HandoffState } from './model/handoffState.ts';

/** What the watcher needs from config.toml: how to recognise Codex (as the guard does) and where its files are. */
export interface CodexWatchSetup {
  names: Names;
  platform: Platform;
  codexHome: string;
}

export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface CodexClosedDeps {
  processes: ProcessSource;
  /** Read afresh at each check (Settings may change config.toml); undefined: not set up, nothing is watched. */
  setup(): CodexWatchSetup | undefined;
  /** The tray's state, for the notice when Codex starts while work waits. */
  state(): HandoffState;
  /** The same hand-off as "Hand off now" (it notifies what it did). */
  handOff(): Promise<void>;
  notify(notice: Notice): void;
  clock?: Clock;
  /** How often the process list is read: a low rate, since ps costs a little each time. */
  pollMs?: number;
  /** How long Codex's home must stay unchanged after Codex exits before the hand-off starts. */
  quietMs?: number;
  /** How often Codex's home is looked at while it settles. */
  settleCheckMs?: number;
  /** A cheap fingerprint of Codex's home; changes when a file is written, added or removed. */
  fingerprint?(codexHome: string): Promise<string>;
  selfPid?: number;
}

/**
 * Hands off when Codex closes: a low-rate process check recognises Codex as the guard does;
 * when the last Codex process is gone, it waits until Codex's home has not changed for a few
 * seconds (Codex writes its last lines as it exits), then hands off. When Codex starts while
 * another machine's work waits, it says so. Paused while the machine sleeps: a check after
 * waking compares with what it saw before sleeping, so an exit during sleep is still noticed.
 */
export class CodexClosedWatcher {
  private readonly deps: CodexClosedDeps;
  private readonly clock: Clock;
  private timer: unknown;
  private running = false;
  private suspended = false;
  /** Whether Codex ran at the last check; undefined until the first check. */
  private codexSeen: boolean | undefined;
  /** Codex's home while it settles after an exit: its fingerprint and since when it has not changed. */
  private settling: { fingerprint: string; since: number } | undefined;
  private checking = false;

  constructor(deps: CodexClosedDeps) {
    this.deps = deps;
    this.clock = deps.clock ?? systemClock;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.codexSeen = undefined;
    this.settling = undefined;
    if (!this.suspended) this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.settling = undefined;
    this.cancelTimer();
  }

  /** The machine goes to sleep: no checks until it wakes; a settle in progress starts again after. */
  suspend(): void {
    this.suspended = true;
    this.settling = undefined;
    this.cancelTimer();
  }

  resume(): void {
    if (!this.suspended) return;
    this.suspended = false;
    if (this.running) this.schedule(0);
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private active(): boolean {
    return this.running && !this.suspended;
  }

  private async check(): Promise<void> {
    if (!this.active() || this.checking) return;
    this.checking = true;
    let next = this.deps.pollMs ?? 5000;
    try {
      next = await this.step();
    } catch {
      // An unreadable process list or home decides nothing: the next check tries again.
    } finally {
      this.checking = false;
    }
    if (this.active()) this.schedule(next);
  }

  /** One check; answers how long to wait before the next. */
  private async step(): Promise<number> {
    const pollMs = this.deps.pollMs ?? 5000;
    const settleCheckMs = this.deps.settleCheckMs ?? 1000;
    const setup = this.deps.setup();
    if (setup === undefined) {
      this.codexSeen = undefined;
      this.settling = undefined;
      return pollMs;
    }
    const codex = await this.codexRunning(setup);
    if (!this.active()) return pollMs;
    const before = this.codexSeen;
    this.codexSeen = codex;
    if (codex) {
      this.settling = undefined;
      if (before === false) this.codexStarted();
      return pollMs;
    }
    if (before === true) {
      this.settling = { fingerprint: await this.fingerprint(setup.codexHome), since: this.clock.now() };
      return settleCheckMs;
    }
    if (this.settling === undefined) return pollMs;
    const fingerprint = await this.fingerprint(setup.codexHome);
    if (!this.active() || this.settling === undefined) return pollMs;
    if (fingerprint !== this.settling.fingerprint) {
      this.settling = { fingerprint, since: this.clock.now() };
      return settleCheckMs;
    }
    if (this.clock.now() - this.settling.since < (this.deps.quietMs ?? 3000)) return settleCheckMs;
    this.settling = undefined;
    await this.deps.handOff();
    return pollMs;
  }

  private async codexRunning(setup: CodexWatchSetup): Promise<boolean> {
    const list = await this.deps.processes.list();
    return classify(list, setup.names, setup.platform, this.deps.selfPid ?? process.pid).codex.length > 0;
  }

  private fingerprint(codexHome: string): Promise<string> {
    return (this.deps.fingerprint ?? homeFingerprint)(codexHome);
  }

  private codexStarted(): void {
    const notice = codexStartedNotice(this.deps.state());
    if (notice !== undefined) this.deps.notify(notice);
  }
}

/** Files, bytes and the newest change time under Codex's home (links not followed): enough to see it still being written. */
export async function homeFingerprint(codexHome: string): Promise<string> {
  let files = 0;
  let bytes = 0;
  let newest = 0;
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < 16) {
        await walk(path, depth + 1);
      } else if (entry.isFile()) {
        try {
          const stat = await lstat(path);
          files += 1;
          bytes += stat.size;
          newest = Math.max(newest, stat.mtimeMs, stat.ctimeMs);
        } catch {
          // gone between the listing and the look: the next fingerprint differs anyway
        }
      }
    }
  };
  await walk(codexHome, 0);
  return `${files}/${bytes}/${newest}`;
}
