import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { runCli } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const SKILL = 'skills/review/SKILL.md';
const OTHER = 'skills/review/other.md';

async function syncApply(ws: Workspace) {
  const ctx = engineContext(ws.config, noAnswer);
  try {
    return await sync(ctx, { apply: true });
  } finally {
    await ctx.log.close();
  }
}

/**
 * Machines a and b with backup_before_overwrite = false: both synced SKILL.md and other.md,
 * then b changed both and handed off, and a changed SKILL.md differently (written at
 * `aMtime`). a's next sync settles the conflict on SKILL.md and pulls other.md as an
 * ordinary overwrite.
 */
async function conflictWithoutOverwriteBackups(settings: string, aMtime: Date): Promise<Workspace> {
  const dir = tempDir();
  const extra = `[backup]\nbackup_before_overwrite = false\n${settings}`;
  const a = workspace(dir, { machine: 'a', extra });
  const b = workspace(dir, { machine: 'b', extra });
  writeFile(a.home, SKILL, 'base\n', at(1));
  writeFile(a.home, OTHER, 'other base\n', at(1));
  expect((await syncApply(a)).exitCode).toBe(0);
  expect((await syncApply(b)).exitCode).toBe(0);
  writeFile(b.home, SKILL, 'from b\n', at(2));
  writeFile(b.home, OTHER, 'other from b\n', at(2));
  expect((await syncApply(b)).exitCode).toBe(0);
  writeFile(a.home, SKILL, 'from a\n', aMtime);
  return a;
}

/** The files a snapshot holds (its manifest aside), as text. */
function snapshotFiles(ws: Workspace, name: string | undefined): Record<string, string> {
  expect(name).toBeDefined();
  return Object.fromEntries([...listTree(join(ws.backups, name as string))].filter(([path]) => path !== 'manifest.jsonl').map(([path, bytes]) => [path, bytes.toString('utf8')]));
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

describe('the losing side of a conflict survives with backup_before_overwrite = false', () => {
  it.each([
    ['prefer_local', 'this machine', 'from a\n', { [`cloud/${SKILL}`]: 'from b\n' }],
    ['prefer_cloud', 'the cloud', 'from b\n', { [`local/${SKILL}`]: 'from a\n' }],
  ])('conflict.policy = "%s": the plan says the other version is backed up, and the snapshot holds it (and no ordinary overwrite)', async (policy, winner, kept, snapshot) => {
    const a = await conflictWithoutOverwriteBackups(`[conflict]\npolicy = "${policy}"\n`, at(3));
    const plan = await runCli(['-c', a.config, 'plan'], { cwd: a.dir });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`    settled: ${winner} wins (conflict.policy = "${policy}"); the other version is backed up\n`);

    const result = await syncApply(a);
    expect(result.exitCode).toBe(0);
    expect([read(a.home, SKILL), read(a.cloud, SKILL)]).toEqual([kept, kept]);
    expect(read(a.home, OTHER)).toBe('other from b\n');
    // Only the loser: the ordinary overwrite of other.md in the same run is not backed up.
    expect(snapshotFiles(a, result.snapshot)).toEqual(snapshot);
  });

  it.each([
    ['prefer_local', 'from a\n', { [`cloud/${SKILL}`]: 'from b\n' }],
    ['prefer_cloud', 'from b\n', { [`local/${SKILL}`]: 'from a\n' }],
  ])('sync.equal_mtime_action = "%s": the version it does not take is backed up', async (action, kept, snapshot) => {
    // Same modification time on both sides, different content.
    const a = await conflictWithoutOverwriteBackups(`[sync]\nequal_mtime_action = "${action}"\n`, at(2));
    const result = await syncApply(a);
    expect(result.exitCode).toBe(0);
    expect(result.plan.actions.find((x) => x.path === SKILL)).toMatchObject({ kind: 'copy', reason: 'equal-mtime-resolved' });
    expect([read(a.home, SKILL), read(a.cloud, SKILL)]).toEqual([kept, kept]);
    expect(snapshotFiles(a, result.snapshot)).toEqual(snapshot);
  });
});
