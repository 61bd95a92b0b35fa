import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorReport } from '../../../src/cli/print/reports.ts';
import { sync, type EngineContext } from '../../../src/core/engine/index.ts';
import { CodexSyncError } from '../../../src/core/errors.ts';
import { problemText } from '../../../src/main/service/words.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };

describe("a cloud file that changes during this machine's own run", () => {
  it('is reported as changed during the run (exit 5), not as a handoff still arriving; nothing in the Codex home changes', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    for (const name of ['one', 'two', 'three']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name}\n`);
    const pushing = engineContext(a.config, noAnswer);
    expect((await sync(pushing, { apply: true })).exitCode).toBe(0);
    await pushing.log.close();

    // The process list is read once before the scan and once more just before the first write:
    // that second read is where the cloud client writes to a file this run has already planned to take.
    const ctx: EngineContext = engineContext(b.config, noAnswer);
    let reads = 0;
    ctx.processes = {
      list: async () => {
        reads += 1;
        if (reads === 2) appendFileSync(join(b.cloud, 'skills/two/SKILL.md'), 'edited meanwhile\n');
        return [];
      },
    };
    const error = await sync(ctx, { apply: true }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    await ctx.log.close();
    expect(reads).toBe(2);
    expect(error).toBeInstanceOf(CodexSyncError);
    expect(error).toMatchObject({ exitCode: 5, problem: { code: 'changed-during-run', side: 'cloud', count: 1, paths: ['skills/two/SKILL.md'] } });
    expect(errorReport(error, { json: false, verbose: false }).err).toEqual([
      'codexsync: 1 file in the cloud folder changed during the run (skills/two/SKILL.md): nothing in the Codex home was changed; run again once the cloud client is idle',
    ]);
    expect(problemText((error as CodexSyncError).problem)).toContain('changed during the hand-off');
    expect([...listTree(b.home).keys()]).toEqual([]);
  });
});
