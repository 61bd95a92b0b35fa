import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/index.ts';
import { rulesFrom, scopeOf } from '../../../src/core/engine/context.ts';
import type { FileStat } from '../../../src/core/facts.ts';
import { buildPlan, buildPlanAround, findQuiet, updateQuiet, type ContentProbe, type QuietFacts } from '../../../src/core/plan/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import type { SideScan } from '../../../src/core/scan/index.ts';
import type { BaseEntry, BaseState } from '../../../src/core/state/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { workspace } from '../../helpers/workspace.ts';

const synced = (size: number): { stat: FileStat; entry: BaseEntry } => ({
  stat: { size, mtimeMs: 1_000 + size },
  entry: { size, sha256: 'a'.repeat(64), localMtimeMs: 1_000 + size, cloudMtimeMs: 1_000 + size },
});
/** Never asked: every decision here is made from stats alone. */
const noContent: ContentProbe = {
  hash: () => Promise.reject(new Error('no content is read')),
  isPrefix: () => Promise.reject(new Error('no content is read')),
  rolloutBytes: () => Promise.reject(new Error('no content is read')),
};

function facts(): QuietFacts {
  const config = loadConfig(workspace(tempDir()).config, currentEnvironment());
  const scope = scopeOf(config);
  const scan = (side: 'local' | 'cloud'): SideScan => ({ side, root: `/${side}`, rootExists: true, files: new Map(), skipped: [], leftoverTemps: [], conflictCopies: [] });
  const local = scan('local');
  const cloud = scan('cloud');
  const base: BaseState = { machineId: 'a', localRoot: '/local', cloudRoot: '/cloud', syncedAt: undefined, handoffSeen: undefined, entries: new Map(), marks: new Map() } as BaseState;
  for (const [i, path] of ['history.jsonl', 'skills/a/SKILL.md', 'skills/b/SKILL.md', 'skills/c/notes.md'].entries()) {
    const { stat, entry } = synced(10 + i);
    local.files.set(path, stat);
    cloud.files.set(path, stat);
    base.entries.set(path, entry);
  }
  return { local, cloud, base, rules: rulesFrom(config), inScope: (path) => scope.includesFile(path) };
}

const input = (f: QuietFacts) => ({ machineId: 'a', local: f.local, cloud: f.cloud, base: f.base, rules: f.rules, inScope: f.inScope, sessionFilter: undefined, codexAvailable: false });

describe('quiet paths: counted as unchanged, the plan built around them is the whole plan', () => {
  it('sorts synced paths as quiet, the rest as active, and a path that now differs only by case as colliding', async () => {
    const f = facts();
    f.local.files.set('skills/a/SKILL.md', { size: 99, mtimeMs: 5_000 });
    f.local.files.set('skills/new.md', { size: 1, mtimeMs: 5_000 });
    const found = findQuiet(f);
    expect([...found.quiet].sort()).toEqual(['history.jsonl', 'skills/b/SKILL.md', 'skills/c/notes.md']);
    expect([...found.active].sort()).toEqual(['skills/a/SKILL.md', 'skills/new.md']);
    expect(await buildPlanAround(input(f), noContent, found)).toEqual(await buildPlan(input(f), noContent));

    f.local.files.set('skills/B/SKILL.md', { size: 2, mtimeMs: 5_000 });
    f.local.files.delete('skills/c/notes.md');
    updateQuiet(found, f, ['skills/B/SKILL.md', 'skills/c/notes.md']);
    expect([...found.colliding].sort()).toEqual(['skills/B/SKILL.md', 'skills/b/SKILL.md']);
    expect([...found.quiet].sort()).toEqual(['history.jsonl', 'skills/b/SKILL.md']);
    const around = await buildPlanAround(input(f), noContent, found);
    expect(around).toEqual(await buildPlan(input(f), noContent));
    expect(around.conflicts.map((c) => `${c.kind} ${c.path}`)).toEqual(['case skills/B/SKILL.md', 'case skills/b/SKILL.md']);
    expect(around.unchanged).toBe(1);
  });
});
