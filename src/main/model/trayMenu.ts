import { plural } from '../../shared/format.ts';
import type { HandoffState } from './handoffState.ts';

export type TrayIconName = 'idle' | 'waiting' | 'syncing' | 'conflict' | 'error';

export type TrayMenuId = 'status' | 'handoff' | 'threads' | 'review' | 'restore' | 'logs' | 'settings' | 'login' | 'quit';

export type TrayMenuItem =
  | { kind: 'separator' }
  | { kind: 'status'; id: 'status'; label: string }
  | { kind: 'action'; id: Exclude<TrayMenuId, 'status' | 'login'>; label: string; enabled: boolean }
  | { kind: 'checkbox'; id: 'login'; label: string; checked: boolean };

export interface TrayMenuOptions {
  /** config.toml exists and is valid: everything but Settings needs it. */
  configReady: boolean;
  /** Whether the app starts at login; undefined where this system offers no login item. */
  launchAtLogin: boolean | undefined;
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

/** One line that says where things stand: the first, disabled, line of the menu and the tooltip. */
export function statusLabel(state: HandoffState): string {
  switch (state.kind) {
    case 'idle':
      return state.note === 'in-sync'
        ? 'In sync'
        : state.note === 'left-different'
          ? 'Nothing to hand off; some files are left different on purpose'
          : state.note === 'handed-off'
            ? 'Handed off'
            : 'Ready';
    case 'waiting':
      return state.direction === 'incoming' ? `Work from ${state.machine ?? 'another machine'} is ready to hand off` : 'Local changes not handed off yet';
    case 'busy': {
      const verb = state.task === 'restore' ? 'Restoring' : 'Handing off';
      return state.total === 0 ? `${verb}…` : `${verb}… ${state.done} of ${plural(state.total, 'file')}`;
    }
    case 'conflict':
      return `${plural(state.count, 'conflict')} to review`;
    case 'review':
      return 'A plan waits for your review';
    case 'error':
      return `Error: ${state.message}`;
  }
}

export function trayTooltip(state: HandoffState): string {
  const label = statusLabel(state);
  // Windows cuts tooltips at 127 characters.
  return `codexSync: ${label.length > 110 ? `${label.slice(0, 109)}…` : label}`;
}

/** The tray menu for a state: the same items always, enabled only where they can act. */
export function trayMenu(state: HandoffState, options: TrayMenuOptions): TrayMenuItem[] {
  const busy = state.kind === 'busy';
  const ready = options.configReady;
  const items: TrayMenuItem[] = [
    { kind: 'status', id: 'status', label: ready ? statusLabel(state) : 'Not set up: open Settings…' },
    { kind: 'separator' },
    { kind: 'action', id: 'handoff', label: 'Hand off now', enabled: ready && !busy },
    { kind: 'action', id: 'threads', label: 'Threads…', enabled: ready },
    { kind: 'action', id: 'review', label: state.kind === 'review' || state.kind === 'conflict' ? 'Review plan… (waiting)' : 'Review plan…', enabled: ready },
    { kind: 'action', id: 'restore', label: 'Restore from backup…', enabled: ready && !busy },
    { kind: 'action', id: 'logs', label: 'Open logs', enabled: ready },
    { kind: 'action', id: 'settings', label: 'Settings…', enabled: true },
    { kind: 'separator' },
  ];
  if (options.launchAtLogin !== undefined) {
    items.push({ kind: 'checkbox', id: 'login', label: 'Launch at login', checked: options.launchAtLogin }, { kind: 'separator' });
  }
  items.push({ kind: 'action', id: 'quit', label: busy ? 'Quit (after the files in hand)' : 'Quit', enabled: true });
  return items;
}
