import type { ActivityTimeline, SnapshotThread } from '../../core/engine/index.ts';
import type { ActivityView, SnapshotThreadsView } from '../../shared/contract.ts';
import { formatBytes, plural } from '../../shared/format.ts';

// The Activity window's data and words, and restore by thread's list of versions.

export function activityView(timeline: ActivityTimeline): ActivityView {
  return {
    machineId: timeline.machineId,
    entries: timeline.entries.map((entry) => {
      if (entry.kind === 'backup') {
        return {
          kind: 'backup',
          machine: entry.machine,
          at: entry.at,
          mine: true,
          headline: entry.damaged === undefined ? `Backup: ${plural(entry.files, 'file')} (${formatBytes(entry.bytes)})` : 'Backup that cannot be read',
          detail: entry.damaged === undefined ? 'the versions a run of this machine replaced or deleted' : `it ${entry.damaged}`,
          // The turns read are those of the thread now, not of the version this backup holds.
          threads: entry.threads.map(({ id, title }) => ({ id, title })),
          ...(entry.damaged === undefined ? { snapshot: entry.snapshot } : { damaged: entry.damaged }),
        };
      }
      const who = entry.mine ? 'This machine' : entry.machine;
      return {
        kind: 'handoff',
        machine: entry.machine,
        at: entry.at,
        mine: entry.mine,
        headline: `${who} handed off (${plural(entry.files, 'file')} in the cloud folder)`,
        detail:
          entry.changed === undefined
            ? `${entry.threads.length === 0 ? 'no threads' : plural(entry.threads.length, 'thread')} in the cloud folder; what it changed is not known: this machine has no earlier hand-off to compare with`
            : entry.changed === 0
              ? 'nothing changed since the hand-off before'
              : `${plural(entry.changed, 'file')} changed since the hand-off before${entry.threads.length === 0 ? '' : `, in ${plural(entry.threads.length, 'thread')}`}`,
        threads: entry.threads.map(({ id, title, turns }) => ({ id, title, ...(turns === undefined ? {} : { turns }) })),
        ...(entry.snapshot === undefined ? {} : { snapshot: entry.snapshot }),
      };
    }),
    unreadable: timeline.unreadable.map((machine) => `The hand-off record of ${machine} cannot be read yet: it may still be arriving, or it is damaged.`),
  };
}

export function snapshotThreadsView(threads: readonly SnapshotThread[]): SnapshotThreadsView {
  return {
    threads: threads.map((thread) => ({
      id: thread.id,
      title: thread.title,
      versions: thread.versions.map((v) => ({
        snapshot: v.snapshot,
        createdAt: v.createdAt,
        machine: v.machine,
        side: v.side,
        path: v.path,
        size: v.size,
        ...(v.turnCount === undefined ? {} : { turnCount: v.turnCount }),
        ...(v.lastActivityAt === undefined ? {} : { lastActivity: v.lastActivityAt }),
      })),
    })),
  };
}
