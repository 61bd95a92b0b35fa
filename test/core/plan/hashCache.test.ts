import { readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncReport } from '../../../src/cli/print/reports.ts';
import { loadConfig } from '../../../src/core/config/index.ts';
import { sync, type EngineContext, type SyncResult } from '../../../src/core/engine/index.ts';
import { rulesFrom, scopeOf } from '../../../src/core/engine/context.ts';
import type { Side } from '../../../src/core/facts.ts';
import { buildPlan, fileProbe, type ContentProbe } from '../../../src/core/plan/build.ts';
import type { Plan } from '../../../src/core/plan/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { scanSide } from '../../../src/core/scan/index.ts';
import { baseStateFile, loadBase } from '../../../src/core/state/index.ts';
import { baseAsVersion1 } from '../../helpers/baseV1.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = new Date(Date.UTC(2026, 10, 25, 9));
const paths = ['skills/a/SKILL.md', 'skills/b/SKILL.md', 'skills/c/SKILL.md'];

async function run(ws: Workspace): Promise<SyncResult & { text: string }> {
  const ctx: EngineContext = engineContext(ws.config, noAnswer);
  try {
    const result = await sync(ctx, { apply: true });
    return { ...result, text: syncReport(result, { json: false, verbose: false, reportConflicts: true }).join('\n') };
  } finally {
    await ctx.log.close();
  }
}

/** The plan a sync would make, with every content read counted through the ContentProbe it reads with. */
async function countedPlan(ws: Workspace): Promise<{ plan: Plan; hashed: Array<[Side, string]> }> {
  const config = loadConfig(ws.config, currentEnvironment());
  const scope = scopeOf(config);
  const base = await loadBase(baseStateFile(config.paths), config.settings.identity.machine_id, config.paths.localStateDir, config.paths.cloudRoot);
  const [local, cloud] = await Promise.all([scanSide('local', config.paths.localStateDir, scope), scanSide('cloud', config.paths.cloudRoot, scope)]);
  const files = fileProbe({ local: config.paths.localStateDir, cloud: config.paths.cloudRoot });
  const hashed: Array<[Side, string]> = [];
  const counting: ContentProbe = {
    hash: (side, path) => (hashed.push([side, path]), files.hash(side, path)),
    isPrefix: (path, shorter, length) => files.isPrefix(path, shorter, length),
    rolloutBytes: (side, path) => files.rolloutBytes(side, path),
  };
  const plan = await buildPlan(
    { machineId: 'a', local, cloud, base, rules: rulesFrom(config), inScope: (path) => scope.includesFile(path), sessionFilter: undefined, codexAvailable: false },
    counting,
  );
  return { plan, hashed: hashed.sort() };
}

/** A machine under mtime_hash_fallback that synced three skills, whose files now have equal size and time on both sides. */
async function syncedMachine(action: string): Promise<Workspace> {
  const ws = workspace(tempDir(), { extra: `[sync]\ncompare = "mtime_hash_fallback"\nequal_mtime_action = "${action}"\n` });
  for (const path of paths) writeFile(ws.home, path, `${path} v1\n`, at);
  expect((await run(ws)).exitCode).toBe(0);
  return ws;
}

/** The cloud's copy replaced by other bytes of the same size and the same modification time, as a cloud client delivers a file. */
function replaceInCloudKeepingStats(ws: Workspace, path: string, content: string): void {
  const file = join(ws.cloud, path);
  expect(Buffer.byteLength(content)).toBe(readFileSync(file).length);
  writeFileSync(`${file}.incoming`, content);
  utimesSync(`${file}.incoming`, at, at);
  renameSync(`${file}.incoming`, file);
}

describe('sync.compare = "mtime_hash_fallback": equal size and time are compared by content, with a hash cache in the base', () => {
  it('a second plan of unchanged files reads no content: size, time and inode of both sides are in the base', async () => {
    const ws = await syncedMachine('skip');
    const { plan, hashed } = await countedPlan(ws);
    expect(hashed).toEqual([]);
    expect(plan.actions).toEqual([]);
    expect(plan.unchanged).toBe(3);
  });

  it('identical stats, different bytes are found (only the replaced copy is read) and reported as left different, never "in sync"', async () => {
    const ws = await syncedMachine('skip');
    replaceInCloudKeepingStats(ws, 'skills/b/SKILL.md', 'skills/b/SKILL.md v2\n');
    const { plan, hashed } = await countedPlan(ws);
    // This machine's copy is as the base recorded it: its hash comes from the cache.
    expect(hashed).toEqual([['cloud', 'skills/b/SKILL.md']]);
    expect(plan.skips.map((skip) => skip.path)).toEqual(['skills/b/SKILL.md']);
    const result = await run(ws);
    expect(result.exitCode).toBe(0);
    expect(result.status).toBe('left-different');
    expect(result.inSync).toBe(false);
    expect(result.text).toContain('Done: nothing to copy; 1 file left different on purpose (sync.equal_mtime_action = "skip").');
    expect(result.text).not.toContain('Already in sync');
    expect(readFileSync(join(ws.home, 'skills/b/SKILL.md'), 'utf8')).toBe('skills/b/SKILL.md v1\n');
  });

  it.each([
    ['prefer_local', 'skills/b/SKILL.md v1\n'],
    ['prefer_cloud', 'skills/b/SKILL.md v2\n'],
  ])('equal_mtime_action = %s takes that side', async (action, expected) => {
    const ws = await syncedMachine(action);
    replaceInCloudKeepingStats(ws, 'skills/b/SKILL.md', 'skills/b/SKILL.md v2\n');
    const result = await run(ws);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.actions.map((a) => [a.kind, a.path, a.reason])).toEqual([['copy', 'skills/b/SKILL.md', 'equal-mtime-resolved']]);
    for (const root of [ws.home, ws.cloud]) expect(readFileSync(join(root, 'skills/b/SKILL.md'), 'utf8')).toBe(expected);
    // The copy's inodes are in the base: the next plan reads nothing.
    expect((await countedPlan(ws)).hashed).toEqual([]);
  });

  it('equal_mtime_action = "manual_abort" stops with an equal-mtime conflict (exit 2)', async () => {
    const ws = await syncedMachine('manual_abort');
    replaceInCloudKeepingStats(ws, 'skills/b/SKILL.md', 'skills/b/SKILL.md v2\n');
    const result = await run(ws);
    expect(result.exitCode).toBe(2);
    expect(result.plan.conflicts.map((c) => [c.path, c.kind])).toEqual([['skills/b/SKILL.md', 'equal-mtime']]);
  });

  it('a base written before inodes were kept still loads; one apply records them, then nothing is read', async () => {
    const ws = await syncedMachine('skip');
    const config = loadConfig(ws.config, currentEnvironment());
    const file = baseStateFile(config.paths);
    const saved = await loadBase(file, config.settings.identity.machine_id, config.paths.localStateDir, config.paths.cloudRoot);
    writeFileSync(file, baseAsVersion1(saved, saved.syncedAt as string, { inodes: false }));
    expect(readFileSync(file, 'utf8')).not.toContain('Ino');
    expect((await countedPlan(ws)).hashed).toHaveLength(6);
    expect((await run(ws)).exitCode).toBe(0);
    expect((await countedPlan(ws)).hashed).toEqual([]);
  });
});
