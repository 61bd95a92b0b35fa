import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { restore, sync } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
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

  it('refuses to write through a symlinked folder on the way to a restored file (exit 5), writing nothing anywhere', async () => {
    const ws = await machineWithSnapshot();
    const outside = tempDir();
    // The folder on the way to the file becomes a link to a folder outside the Codex home.
    rmSync(join(ws.home, 'skills/review'), { recursive: true });
    symlinkSync(outside, join(ws.home, 'skills/review'));
    const before = listTree(ws.home);
    const ctx = engineContext(ws.config, noAnswer);
    const result = await restore(ctx, { from: undefined, target: 'local', apply: true });
    await ctx.log.close();
    expect(result.exitCode).toBe(5);
    expect(result.report?.restored).toBe(0);
    expect(result.report?.failures).toEqual([{ path: 'skills/review/SKILL.md', why: 'unsafe-path', file: join(ws.home, 'skills/review') }]);
    expect(existsSync(join(outside, 'SKILL.md'))).toBe(false);
    expect([...listTree(outside).keys()]).toEqual([]);
    expect(listTree(ws.home)).toEqual(before);
  });
});
