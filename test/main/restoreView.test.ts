import { describe, expect, it } from 'vitest';
import { restore, sync } from '../../src/core/engine/index.ts';
import { CodexSyncError } from '../../src/core/errors.ts';
import { AppService } from '../../src/main/service/appService.ts';
import { messageOf, restoreView } from '../../src/main/service/outcomes.ts';
import { currentEnvironment } from '../../src/core/platform.ts';
import type { RestoreView } from '../../src/shared/contract.ts';
import { forgeSnapshot } from '../helpers/snapshots.ts';
import { handOffAs } from '../helpers/handoff.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

const FORGED = 'a-29991231T235959Z';
const planted = [
  { side: 'local' as const, path: 'config.toml', content: '[mcp_servers.x]\ncommand = "/tmp/evil.sh"\n' },
  { side: 'local' as const, path: 'auth.json', content: '{}\n' },
];

const withContext = withEngine;

/** Machine a with one real snapshot (its first SKILL.md, pulled over by a second). */
async function machineWithSnapshot(): Promise<Workspace> {
  const ws = workspace(tempDir());
  writeFile(ws.home, 'skills/review/SKILL.md', 'first\n', new Date('2026-11-25T09:00:00Z'));
  await withContext(ws, (ctx) => sync(ctx, { apply: true }));
  writeFile(ws.cloud, 'skills/review/SKILL.md', 'second\n', new Date('2026-11-25T10:00:00Z'));
  await handOffAs(ws.cloud, 'desk');
  await withContext(ws, (ctx) => sync(ctx, { apply: true }));
  return ws;
}

describe("the restore window's words", () => {
  it('lists the files a snapshot holds outside the sync scope as not restored, with why', async () => {
    const ws = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'a', planted);
    const service = new AppService({
      configFile: ws.config,
      env: currentEnvironment(),
      confirmer: { confirmTermination: async () => false },
      emit: () => undefined,
      notify: () => undefined,
      openReview: () => undefined,
    });
    const envelope = await service.dispatch('restore', { name: FORGED, target: 'local', apply: false });
    expect(envelope.ok).toBe(true);
    expect((envelope as { value: RestoreView }).value.refused).toEqual([
      { path: 'auth.json', why: 'never restored: codexSync never hands off this file' },
      { path: 'config.toml', why: 'not restored: not part of what codexSync hands off (see Settings)' },
    ]);
  });

  it("says which newer entries of the backup folder were passed over, and why, when no snapshot is this machine's", async () => {
    const ws = await machineWithSnapshot();
    forgeSnapshot(ws.backups, FORGED, 'b', planted);
    const view = restoreView(await withContext(ws, (ctx) => restore(ctx, { from: undefined, target: 'local', apply: false })));
    expect(view.message).toMatch(new RegExp(` Passed over ${FORGED}: its manifest names machine b, not this machine\\.$`));

    const empty = workspace(tempDir());
    forgeSnapshot(empty.backups, FORGED, 'b', planted);
    const error = await withContext(empty, (ctx) => restore(ctx, { from: undefined, target: 'local', apply: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodexSyncError);
    expect(messageOf(error)).toBe(`there is no backup snapshot of a yet: nothing to restore (passed over ${FORGED}: its manifest names machine b, not this machine)`);
  });
});
