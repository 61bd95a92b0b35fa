import { describe, expect, it } from 'vitest';
import type { HandoffState } from '../../src/main/model/handoffState.ts';
import { statusLabel, trayIcon, trayMenu, trayTooltip, type TrayMenuItem } from '../../src/main/model/trayMenu.ts';

const states: Array<[HandoffState, string, string]> = [
  [{ kind: 'idle', note: 'unknown' }, 'idle', 'Ready'],
  [{ kind: 'idle', note: 'in-sync' }, 'idle', 'In sync'],
  [{ kind: 'idle', note: 'handed-off' }, 'idle', 'Handed off'],
  [{ kind: 'waiting', direction: 'incoming', machine: 'desktop' }, 'waiting', 'Work from desktop is ready to hand off'],
  [{ kind: 'waiting', direction: 'incoming', machine: undefined }, 'waiting', 'Work from another machine is ready to hand off'],
  [{ kind: 'waiting', direction: 'outgoing', machine: undefined }, 'waiting', 'Local changes not handed off yet'],
  [{ kind: 'busy', task: 'handoff', done: 0, total: 0 }, 'syncing', 'Handing off…'],
  [{ kind: 'busy', task: 'apply', done: 12, total: 40 }, 'syncing', 'Handing off… 12 of 40 files'],
  [{ kind: 'busy', task: 'restore', done: 1, total: 1 }, 'syncing', 'Restoring… 1 of 1 file'],
  [{ kind: 'conflict', count: 1, planId: undefined }, 'conflict', '1 conflict to review'],
  [{ kind: 'conflict', count: 3, planId: 'p' }, 'conflict', '3 conflicts to review'],
  [{ kind: 'review', planId: 'p', reasons: ['deletions'] }, 'waiting', 'A plan waits for your review'],
  [{ kind: 'error', message: 'the cloud folder is not mounted' }, 'error', 'Error: the cloud folder is not mounted'],
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

describe('tray menu model', () => {
  it.each(states)('%o shows the %s icon and says "%s"', (state, icon, label) => {
    expect(trayIcon(state)).toBe(icon);
    expect(statusLabel(state)).toBe(label);
    expect(trayTooltip(state)).toBe(`codexSync: ${label}`);
  });

  it('offers every item when idle and set up', () => {
    expect(summary(trayMenu({ kind: 'idle', note: 'in-sync' }, { configReady: true, launchAtLogin: false }))).toEqual([
      '(In sync)',
      '---',
      'Hand off now',
      'Threads…',
      'Review plan…',
      'Restore from backup…',
      'Open logs',
      'Settings…',
      '---',
      '[ ] Launch at login',
      '---',
      'Quit',
    ]);
  });

  it('while a hand-off runs: no second hand-off and no restore; the review window shows its progress; Quit waits for the files in hand', () => {
    expect(summary(trayMenu({ kind: 'busy', task: 'apply', done: 3, total: 9 }, { configReady: true, launchAtLogin: true }))).toEqual([
      '(Handing off… 3 of 9 files)',
      '---',
      'Hand off now (disabled)',
      'Threads…',
      'Review plan…',
      'Restore from backup… (disabled)',
      'Open logs',
      'Settings…',
      '---',
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
      expect(summary(trayMenu(state, { configReady: true, launchAtLogin: false }))).toContain('Review plan… (waiting)');
    }
  });

  it('without a valid config only Settings and Quit act, and the status says so', () => {
    const items = summary(trayMenu({ kind: 'idle', note: 'unknown' }, { configReady: false, launchAtLogin: undefined }));
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
      'Quit',
    ]);
  });

  it('cuts a long error in the tooltip to what Windows shows', () => {
    const tooltip = trayTooltip({ kind: 'error', message: 'x'.repeat(300) });
    expect(tooltip.length).toBeLessThanOrEqual(127);
    expect(tooltip.endsWith('…')).toBe(true);
  });
});
