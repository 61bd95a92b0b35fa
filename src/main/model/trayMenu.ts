import { plural } from '../../shared/format.ts';
import type { HandoffState } from './handoffState.ts';

export type TrayIconName = 'idle' | 'waiting' | 'syncing' | 'conflict' | 'error';

export type TrayMenuId = 'status' | 'handoff' | 'threads' | 'review' | 'restore' | 'logs' | 'settings' | 'codexClosed' | 'login' | 'quit';

export type TrayMenuItem =
  | { kind: 'separator' }
  | { kind: 'status'; id: 'status'; label: string }
  | { kind: 'action'; id: Exclude<TrayMenuId, 'status' | 'codexClosed' | 'login'>; label: string; enabled: boolean }
  | { kind: 'checkbox'; id: 'codexClosed' | 'login'; label: string; checked: boolean };

export interface TrayMenuOptions {
  /** config.toml exists and is valid: everything but Settings needs it. */
  configReady: boolean;
  /** Whether the app starts at login; undefined where this system offers no login item. */
  launchAtLogin: boolean | undefined;
  /** The app hands off by itself when Codex closes (the app's own setting, off unless chosen); undefined: not offered. */
  handOffWhenCodexCloses?: boolean;
  /** The clock the status line's "handed off 10:42" is read against. */
  now?: Date;
}

export function trayIcon(state: HandoffState): TrayIconName {
  switch (state.kind) {
    case 'idle':
      return 'idle';
    case 'waiting':
    case 'review':
      return 'waiting';
    case 'busy':
      return 'syncing';
    case 'conflict':
      return 'conflict';
    case 'error':
      return 'error';
  }
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "10:42" today, "28 Nov 10:42" on another day: local time, the way the clock in the bar shows it. */
export function handoffTime(at: Date, now: Date): string {
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const today = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
  return today ? time : `${at.getDate()} ${months[at.getMonth()]} ${time}`;
}

/**
 * One line that says where things stand: the first, disabled, line of the menu and the tooltip.
 * It tells the one thing a person needs before walking to the other machine: may I switch now?
 */
export function statusLabel(state: HandoffState, now: Date = new Date()): string {
  switch (state.kind) {
    case 'idle':
      return idleLabel(state, now);
    case 'waiting': {
      const machine = state.machine ?? 'another machine';
      if (state.direction === 'outgoing') return 'Local changes not handed off yet';
      return state.arriving !== undefined ? `Waiting for ${plural(state.arriving, 'file')} from ${machine}` : `Work from ${machine} is waiting: take it before you start Codex`;
    }
    case 'busy': {
      const verb = state.task === 'restore' ? 'Restoring' : 'Handing off';
      return state.total === 0 ? `${verb}…` : `${verb}… ${state.done} of ${plural(state.total, 'file')}`;
    }
    case 'conflict':
      return `${state.count === 1 ? 'A file' : `${state.count} files`} changed on both machines: review before you switch`;
    case 'review':
      return 'A plan waits for your review before it is handed off';
    case 'error':
      return `Not handed off: ${state.message}`;
  }
}

function idleLabel(state: Extract<HandoffState, { kind: 'idle' }>, now: Date): string {
  switch (state.note) {
    case 'unknown':
      return 'Not checked yet: hand off before you switch machines';
    case 'left-different':
      return 'Nothing to hand off; some files are left different on purpose';
    case 'in-sync':
    case 'handed-off': {
      const at = state.handedOffAt;
      // A record's time is untrusted input: a date that does not parse is left out.
      const when = at === undefined || Number.isNaN(at.getTime()) ? '' : ` (handed off ${handoffTime(at, now)})`;
      return `Safe to switch: your work is in the cloud folder${when}`;
    }
  }
}

export function trayTooltip(state: HandoffState, now: Date = new Date()): string {
  const label = statusLabel(state, now);
  // Windows cuts tooltips at 127 characters.
  return `codexSync: ${label.length > 110 ? `${label.slice(0, 109)}…` : label}`;
}

/** The tray menu for a state: the same items always, enabled only where they can act. */
export function trayMenu(state: HandoffState, options: TrayMenuOptions): TrayMenuItem[] {
  const busy = state.kind === 'busy';
  const ready = options.configReady;
  const items: TrayMenuItem[] = [
    { kind: 'status', id: 'status', label: ready ? statusLabel(state, options.now) : 'Not set up: open Settings…' },
    { kind: 'separator' },
    { kind: 'action', id: 'handoff', label: 'Hand off now', enabled: ready && !busy },
    { kind: 'action', id: 'threads', label: 'Threads…', enabled: ready },
    { kind: 'action', id: 'review', label: state.kind === 'review' || state.kind === 'conflict' ? 'Review plan… (waiting)' : 'Review plan…', enabled: ready },
    { kind: 'action', id: 'restore', label: 'Restore from backup…', enabled: ready && !busy },
    { kind: 'action', id: 'logs', label: 'Open logs', enabled: ready },
    { kind: 'action', id: 'settings', label: 'Settings…', enabled: true },
    { kind: 'separator' },
  ];
  if (options.handOffWhenCodexCloses !== undefined) {
    items.push({ kind: 'checkbox', id: 'codexClosed', label: 'Hand off when Codex closes', checked: options.handOffWhenCodexCloses });
  }
  if (options.launchAtLogin !== undefined) {
    items.push({ kind: 'checkbox', id: 'login', label: 'Launch at login', checked: options.launchAtLogin });
  }
  if (items.at(-1)?.kind !== 'separator') items.push({ kind: 'separator' });
  items.push({ kind: 'action', id: 'quit', label: busy ? 'Quit (after the files in hand)' : 'Quit', enabled: true });
  return items;
}
