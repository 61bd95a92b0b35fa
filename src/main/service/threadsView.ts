import type { ThreadDetail, ThreadListing } from '../../core/engine/index.ts';
import { pathBelow } from '../../core/fs/index.ts';
import type { ResponseOf, ThreadDetailView } from '../../shared/contract.ts';
import { relationText, rolloutProblemText, standingText } from './words.ts';

// The Threads window's data: the engine's listing and one thread's detail, with their words.

export function threadsView(listing: ThreadListing): ResponseOf<'threads'> {
  return {
    machineId: listing.machineId,
    localRoot: listing.roots.local,
    cloudRoot: listing.roots.cloud,
    threads: listing.threads.map((entry) => ({
      id: entry.id,
      title: entry.title,
      ...(entry.project === undefined ? {} : { project: entry.project }),
      lastActivity: new Date(entry.lastActivityMs).toISOString(),
      standing: entry.standing,
      standingText: standingText(entry),
      archived: entry.archived,
      ...(entry.machine === undefined ? {} : { machine: entry.machine }),
    })),
  };
}

export function threadDetailView(detail: ThreadDetail): ThreadDetailView {
  const relation = relationText(detail);
  return {
    id: detail.id,
    resumeCommand: `codex resume ${detail.id}`,
    ...(relation === undefined ? {} : { relation }),
    turns: detail.turns.map((turn) => ({ index: turn.index, prompt: turn.prompt, ...(turn.startedAt === undefined ? {} : { startedAt: turn.startedAt }), on: turn.on })),
    sides: (['local', 'cloud'] as const)
      .filter((side) => detail.sides[side].files.length > 0)
      .map((side) => {
        const { root, files, summary, unreadable } = detail.sides[side];
        return {
          side,
          label: side === 'local' ? 'This machine' : `Cloud folder${detail.machine === undefined ? '' : ` (from ${detail.machine})`}`,
          root,
          files: files.map(({ path, stat }) => ({ path, fullPath: pathBelow(root, path), size: stat.size, modified: new Date(stat.mtimeMs).toISOString() })),
          ...(summary === undefined ? {} : { turnCount: summary.turnCount }),
          ...(summary?.lastActivityAt === undefined ? {} : { lastActivity: summary.lastActivityAt }),
          ...(unreadable === undefined ? {} : { problem: rolloutProblemText(unreadable) }),
        };
      }),
  };
}
