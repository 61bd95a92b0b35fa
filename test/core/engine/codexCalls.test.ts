import { describe, expect, it } from 'vitest';
import { CodexCalls, type CodexAccess, type ThreadCalls } from '../../../src/core/engine/threadPhase.ts';

// A run's copies go at once (a fork replaced in two places asks Codex twice at the same moment):
// one app-server is started, and the one started is the one ended. A second, never ended, kept
// the run's process alive for good.

describe("a run's calls to Codex", () => {
  it('start one app-server however many come at once, and end it', async () => {
    let opened = 0;
    let closed = 0;
    const calls: ThreadCalls = {
      read: async () => ({ ok: true }),
      archive: async () => ({ ok: true }),
      unarchive: async () => ({ ok: true }),
      setName: async () => ({ ok: true }),
      setPinned: async () => ({ ok: true }),
      remove: async () => ({ ok: true }),
      listed: async () => ({ ok: true, ids: new Set() }),
      close: async () => void (closed += 1),
    };
    const access: CodexAccess = {
      found: true,
      binary: 'codex',
      version: async () => undefined,
      open: async () => {
        opened += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return calls;
      },
    };
    const codex = new CodexCalls(access);
    const results = await Promise.all([1, 2, 3].map((n) => codex.run((c) => c.remove(`thread-${n}`))));
    expect(results).toEqual([1, 2, 3].map(() => ({ ok: true, value: { ok: true } })));
    expect(codex.outcome).toBe('called');
    await codex.close();
    expect({ opened, closed }).toEqual({ opened: 1, closed: 1 });
  });
});
