import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restore, sync } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { runCli } from '../../helpers/cli.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const t1 = new Date('2026-11-25T09:00:00Z');
const t2 = new Date('2026-11-25T10:00:00Z');

/** A machine that handed off once, then took a newer SKILL.md from the cloud: its snapshot holds the old one. */
async function machineWithSnapshot(): Promise<ReturnType<typeof workspace>> {
  const ws = workspace(tempDir());
  writeFile(ws.home, 'skills/review/SKILL.md', 'first\n', t1);
  const ctx = engineContext(ws.config, noAnswer);
  expect((await sync(ctx, { apply: true })).exitCode).toBe(0);
  writeFile(ws.cloud, 'skills/review/SKILL.md', 'second, from the other machine\n', t2);
  await handOffAs(ws.cloud, 'desk');
  const pulled = await sync(ctx, { apply: true });
  await ctx.log.close();
  expect(pulled.snapshot).toBeDefined();
  return ws;
}

/**
 * A machine whose newest snapshot holds the first version of two skills on `side`: pulled
 * over (local) or pushed over (cloud) by a second version.
 */
async function machineWithTwoFilesInASnapshot(side: 'local' | 'cloud'): Promise<ReturnType<typeof workspace>> {
  const ws = workspace(tempDir());
  writeFile(ws.home, 'skills/review/SKILL.md', 'review, first\n', t1);
  writeFile(ws.home, 'skills/plan/SKILL.md', 'plan, first\n', t1);
  const ctx = engineContext(ws.config, noAnswer);
  expect((await sync(ctx, { apply: true })).exitCode).toBe(0);
  const changed = side === 'local' ? ws.cloud : ws.home;
  writeFile(changed, 'skills/review/SKILL.md', 'review, second\n', t2);
  writeFile(changed, 'skills/plan/SKILL.md', 'plan, second\n', t2);
  // Changed in the cloud by another machine's handoff.
  if (side === 'local') await handOffAs(ws.cloud, 'desk');
  const second = await sync(ctx, { apply: true });
  await ctx.log.close();
  expect(second.exitCode).toBe(0);
  expect([...listTree(join(ws.backups, second.snapshot as string)).keys()].sort()).toEqual([`${side}/skills/plan/SKILL.md`, `${side}/skills/review/SKILL.md`, 'manifest.jsonl']);
  return ws;
}

describe('restore writes through the one write session', () => {
  it('puts back the stored version and backs up what it replaces', async () => {
    const ws = await machineWithSnapshot();
    const ctx = engineContext(ws.config, noAnswer);
    const result = await restore(ctx, { from: undefined, target: 'local', apply: true });
    await ctx.log.close();
    expect(result.exitCode).toBe(0);
    expect(result.report).toEqual({ restored: 1, failures: [] });
    expect(readFileSync(join(ws.home, 'skills/review/SKILL.md'), 'utf8')).toBe('first\n');
    expect(result.backup).toBeDefined();
    expect(readFileSync(join(ws.backups, result.backup as string, 'local/skills/review/SKILL.md'), 'utf8')).toBe('second, from the other machine\n');
  });

  it.each(['local', 'cloud'] as const)('a symlinked folder on the way to one file stops the whole restore --target %s (exit 5), writing nothing anywhere', async (target) => {
    const ws = await machineWithTwoFilesInASnapshot(target);
    const root = target === 'local' ? ws.home : ws.cloud;
    const outside = tempDir();
    // The folder on the way to one of the two files becomes a link to a folder outside the tree.
    rmSync(join(root, 'skills/review'), { recursive: true });
    symlinkSync(outside, join(root, 'skills/review'));
    const before = [listTree(ws.home), listTree(ws.cloud), listTree(ws.backups)];
    const ctx = engineContext(ws.config, noAnswer);
    await expect(restore(ctx, { from: undefined, target, apply: true })).rejects.toMatchObject({
      exitCode: 5,
      problem: { code: 'unsafe-path', path: join(root, 'skills/review') },
    });
    await ctx.log.close();
    expect([...listTree(outside).keys()]).toEqual([]);
    // The other file, with no link on its way, is not restored either; no snapshot was made.
    expect(readFileSync(join(root, 'skills/plan/SKILL.md'), 'utf8')).toBe('plan, second\n');
    expect([listTree(ws.home), listTree(ws.cloud), listTree(ws.backups)]).toEqual(before);

    const cli = await runCli(['-c', ws.config, 'restore', '--target', target, '--apply'], { cwd: ws.dir });
    expect(cli.code).toBe(5);
    expect(cli.stderr).toContain(`${join(root, 'skills/review')} is a symbolic link; nothing is written through it: nothing was changed`);
    expect([listTree(ws.home), listTree(ws.cloud), listTree(ws.backups)]).toEqual(before);
  });
});
