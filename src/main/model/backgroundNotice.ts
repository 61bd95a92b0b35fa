import type { HandoffState } from './handoffState.ts';
import type { PlanFacts } from './planFacts.ts';

export interface Notice {
  title: string;
  body: string;
  /** What a click on the notification opens. */
  opens: 'review' | 'settings' | 'logs' | undefined;
}

/**
 * What a background check tells: work another machine handed off that this one has not taken,
 * else this machine's changes that were not handed off; nothing when both sides agree.
 */
export function backgroundNotice(facts: PlanFacts, machine: string | undefined): Notice | undefined {
  const from = facts.arriving?.from ?? machine ?? 'another machine';
  if (facts.unresolved > 0) {
    return { title: 'codexSync', body: `${facts.unresolved === 1 ? 'A file' : `${facts.unresolved} files`} changed on this machine and on ${from}: review the plan`, opens: 'review' };
  }
  if (facts.arriving !== undefined || facts.toLocal + facts.merges + facts.deletesLocal > 0) {
    return { title: 'codexSync', body: `Work from ${from} is ready to hand off`, opens: 'review' };
  }
  if (facts.toCloud + facts.deletesCloud > 0) return { title: 'codexSync', body: 'Local changes not handed off yet', opens: 'review' };
  return undefined;
}

/** Codex started on this machine while another machine's work waits: continuing now would fork its threads. */
export function codexStartedNotice(state: HandoffState): Notice | undefined {
  if (state.kind !== 'waiting' || state.direction !== 'incoming') return undefined;
  const from = state.machine ?? 'another machine';
  return state.arriving !== undefined
    ? { title: 'codexSync', body: `Codex started while work from ${from} is still arriving: close Codex, wait for it, then hand off`, opens: undefined }
    : { title: 'codexSync', body: `Codex started while work from ${from} is waiting: close Codex and hand off first, or your threads fork`, opens: 'review' };
}

/**
 * Shows a notice once: the same news is not repeated by every check (each new handoff record
 * of another machine starts a check), only news that differs from the last shown.
 */
export class NoticeGate {
  private last: string | undefined;

  admit(notice: Notice | undefined, facts: PlanFacts): boolean {
    const key = notice === undefined ? undefined : `${notice.body}|${facts.toLocal}|${facts.toCloud}|${facts.merges}|${facts.deletesLocal}|${facts.deletesCloud}|${facts.unresolved}`;
    const show = key !== undefined && key !== this.last;
    this.last = key;
    return show;
  }
}
