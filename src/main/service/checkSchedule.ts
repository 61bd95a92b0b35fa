import type { RescanReason } from './words.ts';

/** How long the folders must stay quiet before a change is planned: a thread being written changes many times a second. */
const QUIET_MS = 500;
/** The safety net: both trees read afresh this often, whatever the watchers said. */
const RESCAN_EVERY_MS = 60 * 60 * 1000;

export interface ScheduleTimers {
  setTimeout(run: () => void, ms: number): { unref?(): unknown };
  clearTimeout(timer: unknown): void;
  setInterval(run: () => void, ms: number): { unref?(): unknown };
  clearInterval(timer: unknown): void;
}

/**
 * When the app plans in the background: a change the watchers saw, once the folders are quiet;
 * a full rescan at start, after the machine wakes, and every hour. One check at a time: what is
 * asked for while one runs follows it, a rescan taking the place of a plain check.
 */
export class CheckSchedule {
  private readonly check: (rescan: RescanReason | undefined) => Promise<void>;
  private readonly timers: ScheduleTimers;
  private quiet: unknown;
  private hourly: unknown;
  private running: Promise<void> | undefined;
  /** What follows the running check: null for none, undefined for a plain check. */
  private next: RescanReason | undefined | null = null;

  constructor(check: (rescan: RescanReason | undefined) => Promise<void>, timers: ScheduleTimers = globalThis) {
    this.check = check;
    this.timers = timers;
  }

  /** Starts the hourly rescan and makes the one at start. */
  start(): void {
    this.hourly = this.timers.setInterval(() => this.rescan('hourly'), RESCAN_EVERY_MS);
    (this.hourly as { unref?(): unknown }).unref?.();
    this.rescan('start');
  }

  /** A watcher saw a change: planned once the folders have been quiet for a moment. */
  changed(): void {
    this.timers.clearTimeout(this.quiet);
    this.quiet = this.timers.setTimeout(() => {
      this.quiet = undefined;
      this.ask(undefined);
    }, QUIET_MS);
    (this.quiet as { unref?(): unknown }).unref?.();
  }

  rescan(reason: RescanReason): void {
    this.timers.clearTimeout(this.quiet);
    this.quiet = undefined;
    this.ask(reason);
  }

  stop(): void {
    this.timers.clearTimeout(this.quiet);
    this.timers.clearInterval(this.hourly);
    this.next = null;
  }

  /** Resolves once no check runs or waits (for tests and quitting). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private ask(reason: RescanReason | undefined): void {
    if (this.running !== undefined) {
      if (this.next === null || this.next === undefined) this.next = reason;
      return;
    }
    this.running = this.check(reason)
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        const next = this.next;
        this.next = null;
        if (next !== null) this.ask(next);
      });
  }
}
