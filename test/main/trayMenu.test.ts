import { describe, expect, it } from 'vitest';
import type { HandoffState } from '../../src/main/model/handoffState.ts';
import { statusLabel, trayIcon, trayMenu, trayTooltip, type TrayMenuItem } from '../../src/main/model/trayMenu.ts';

const states: Array<[HandoffState, string, string]> = [
  [{ kind: 'idle', note: 'unknown' }, 'idle', 'Not checked yet: hand off before you switch machines'],
  [{ kind: 'idle', note: 'in-sync' }, 'idle', 'Safe to switch: your work is in the cloud folder'],
  [{ kind: 'idle', note: 'in-sync', handedOffAt: new Date(2026, 10, 30, 10, 42, 59) }, 'idle', 'Safe to switch: your work is in the cloud folder (handed off 10:42)'],
  [{ kind: 'idle', note: 'handed-off', handedOffAt: new Date(2026, 10, 30, 9, 5) }, 'idle', 'Safe to switch: your work is in the cloud folder (handed off 09:05)'],
  [{ kind: 'idle', note: 'handed-off', handedOffAt: new Date(2026, 10, 28, 23, 59) }, 'idle', 'Safe to switch: your work is in the cloud folder (handed off 28 Nov 23:59)'],
  [{ kind: 'idle', note: 'handed-off', handedOffAt: new Date('not a time') }, 'idle', 'Safe to switch: your work is in the cloud folder'],
  [{ kind: 'idle', note: 'left-different' }, 'idle', 'Nothing to hand off; some files are left different on purpose'],
  [{ kind: 'waiting', direction: 'incoming', machine: 'laptop', arriving: 3 }, 'waiting', 'Waiting for 3 files from laptop'],
  [{ kind: 'waiting', direction: 'incoming', machine: 'laptop', arriving: 1 }, 'waiting', 'Waiting for 1 file from laptop'],
  [{ kind: 'waiting', direction: 'incoming', machine: 'laptop' }, 'waiting', 'Work from laptop is waiting: take it before you start Codex'],
  [{ kind: 'waiting', direction: 'incoming', machine: undefined }, 'waiting', 'Work from another machine is waiting: take it before you start Codex'],
  [{ kind: 'waiting', direction: 'outgoing', machine: undefined }, 'waiting', 'Local changes not handed off yet'],
  [{ kind: 'busy', task: 'handoff', done: 0, total: 0 }, 'syncing', 'Handing off…'],
  [{ kind: 'busy', task: 'apply', done: 12, total: 40 }, 'syncing', 'Handing off… 12 of 40 files'],
  [{ kind: 'busy', task: 'restore', done: 1, total: 1 }, 'syncing', 'Restoring… 1 of 1 file'],
  [{ kind: 'conflict', count: 1, planId: undefined }, 'conflict', 'A file changed on both machines: review before you switch'],
  [{ kind: 'conflict', count: 3, planId: 'p' }, 'conflict', '3 files changed on both machines: review before you switch'],
  [{ kind: 'review', planId: 'p', reasons: ['deletions'] }, 'waiting', 'A plan waits for your review before it is handed off'],
  [{ kind: 'error', message: 'the cloud folder is not mounted' }, 'error', 'Not handed off: the cloud folder is not mounted'],
];

const summary = (items: TrayMenuItem[]): string[] =>
  items.map((item) => {
    switch (item.kind) {
      case 'separator':
        return '---';
      case 'status':
        return `(${item.label})`;
      case 'checkbox':
        return `[${item.checked ? 'x' : ' '}] ${item.label}`;
      case 'action':
        return `${item.label}${item.enabled ? '' : ' (disabled)'}`;
    }
  });

/** The clock the status line is read against: 30 November 2026, 11:00 local time. */
const now = new Date(2026, 10, 30, 11, 0);

describe('tray menu model', () => {
  it.each(states)('%o shows the %s icon and says "%s"', (state, icon, label) => {
    expect(trayIcon(state)).toBe(icon);
    expect(statusLabel(state, now)).toBe(label);
    expect(trayTooltip(state, now)).toBe(`codexSync: ${label}`);
    expect(trayMenu(state, { configReady: true, launchAtLogin: false, handOffWhenCodexCloses: false, now })[0]).toEqual({ kind: 'status', id: 'status', label });
  });

  it('offers every item when idle and set up', () => {
    expect(summary(trayMenu({ kind: 'idle', note: 'in-sync' }, { configReady: true, launchAtLogin: false, handOffWhenCodexCloses: false }))).toEqual([
      '(Safe to switch: your work is in the cloud folder)',
      '---',
      'Hand off now',
      'Threads…',
      'Review plan…',
      'Restore from backup…',
      'Open logs',
      'Settings…',
      '---',
      '[ ] Hand off when Codex closes',
      '[ ] Launch at login',
      '---',
      'Quit',
    ]);
  });

  it('while a hand-off runs: no second hand-off and no restore; the review window shows its progress; Quit waits for the files in hand', () => {
    expect(summary(trayMenu({ kind: 'busy', task: 'apply', done: 3, total: 9 }, { configReady: true, launchAtLogin: true, handOffWhenCodexCloses: true }))).toEqual([
      '(Handing off… 3 of 9 files)',
      '---',
      'Hand off now (disabled)',
      'Threads…',
      'Review plan…',
      'Restore from backup… (disabled)',
      'Open logs',
      'Settings…',
      '---',
      '[x] Hand off when Codex closes',
      '[x] Launch at login',
      '---',
      'Quit (after the files in hand)',
    ]);
  });

  it('points at the waiting plan when conflicts or a review wait', () => {
    for (const state of [
      { kind: 'conflict', count: 2, planId: 'p' },
      { kind: 'review', planId: 'p', reasons: ['large'] },
    ] as HandoffState[]) {
      expect(summary(trayMenu(state, { configReady: true, launchAtLogin: false, handOffWhenCodexCloses: false }))).toContain('Review plan… (waiting)');
    }
  });

  it('without a valid config only Settings and Quit act, and the status says so', () => {
    const items = summary(trayMenu({ kind: 'idle', note: 'unknown' }, { configReady: false, launchAtLogin: undefined, handOffWhenCodexCloses: false }));
    expect(items).toEqual([
      '(Not set up: open Settings…)',
      '---',
      'Hand off now (disabled)',
      'Threads… (disabled)',
      'Review plan… (disabled)',
      'Restore from backup… (disabled)',
      'Open logs (disabled)',
      'Settings…',
      '---',
      '[ ] Hand off when Codex closes',
      '---',
      'Quit',
    ]);
  });

  it('cuts a long error in the tooltip to what Windows shows', () => {
    const tooltip = trayTooltip({ kind: 'error', message: 'x'.repeat(300) });
    expect(tooltip.length).toBeLessThanOrEqual(127);
    expect(tooltip.endsWith('…')).toBe(true);
  });
});
