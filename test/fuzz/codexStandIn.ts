import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CodexAccess, ThreadCalls } from '../../src/core/engine/index.ts';

// This machine's Codex in the random walk: what Codex's app-server does to the files of its home
// when codexSync asks (thread/archive and thread/unarchive move a rollout between sessions/Y/M/D/
// and archived_sessions/, thread/delete removes it), without its catalogue. The real Codex does
// exactly these moves (docs/codex-app-server.md, shown with Codex 0.169 and 0.171 in
// test/codex-e2e/threads.test.ts); a real app-server per run would make a walk of thousands of
// steps take hours. The walk checks files, not Codex's list, so the stand-in lists what is on disk.

function rolloutsOf(home: string, top: 'sessions' | 'archived_sessions', id?: string): string[] {
  const dir = join(home, top);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => `${top}/${p.split('\\').join('/')}`)
    .filter((p) => /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl(\.zst)?$/.test(p) && (id === undefined || p.includes(`-${id}.jsonl`)));
}

function move(home: string, from: string, to: string): void {
  mkdirSync(dirname(join(home, to)), { recursive: true });
  renameSync(join(home, from), join(home, to));
}

export function codexStandIn(home: string): CodexAccess {
  const calls: ThreadCalls = {
    read: async (thread) =>
      rolloutsOf(home, 'sessions', thread).length + rolloutsOf(home, 'archived_sessions', thread).length > 0 ? { ok: true } : { ok: false, why: `no rollout found for thread id ${thread}` },
    archive: async (thread) => {
      const [from] = rolloutsOf(home, 'sessions', thread);
      if (from === undefined) return { ok: false, why: `no rollout found for thread id ${thread}` };
      move(home, from, `archived_sessions/${from.slice(from.lastIndexOf('/') + 1)}`);
      return { ok: true };
    },
    unarchive: async (thread) => {
      const [from] = rolloutsOf(home, 'archived_sessions', thread);
      const date = from === undefined ? null : /rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(from);
      if (from === undefined || date === null) return { ok: false, why: `no archived rollout found for thread id ${thread}` };
      move(home, from, `sessions/${date[1]}/${date[2]}/${date[3]}/${from.slice(from.lastIndexOf('/') + 1)}`);
      return { ok: true };
    },
    setName: async () => ({ ok: true }),
    setPinned: async () => ({ ok: true }),
    // thread/delete removes the one rollout its catalogue names: here the live one, else the archived one.
    remove: async (thread) => {
      const [path] = [...rolloutsOf(home, 'sessions', thread), ...rolloutsOf(home, 'archived_sessions', thread)];
      if (path === undefined) return { ok: false, why: `thread not found: ${thread}` };
      rmSync(join(home, path));
      return { ok: true };
    },
    listed: async () => ({ ok: true, ids: new Set([...rolloutsOf(home, 'sessions'), ...rolloutsOf(home, 'archived_sessions')].map((p) => /([0-9a-f-]{36})\.jsonl/.exec(p)?.[1] ?? '')) }),
    close: async () => undefined,
  };
  return { found: true, binary: 'codex (stand-in)', open: async () => calls, version: async () => undefined };
}
