import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlan, sync, type EngineContext } from '../../../src/core/engine/index.ts';
import type { ConflictChoice } from '../../../src/core/plan/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));

interface Pair {
  a: Workspace;
  b: Workspace;
  run<T>(ws: Workspace, work: (ctx: EngineContext) => Promise<T>): Promise<T>;
}

/**
 * Two machines, a and b, sharing one cloud folder; both synced SKILL.md and notes.jsonl,
 * then each changed both differently: a conflict on each file, under manual_abort.
 */
async function conflictOnBothFiles(): Promise<Pair> {
  const dir = tempDir();
  const a = workspace(dir, { machine: 'a' });
  const b = workspace(dir, { machine: 'b' });
  const run = async <T>(ws: Workspace, work: (ctx: EngineContext) => Promise<T>): Promise<T> => {
    const ctx = engineContext(ws.config, noAnswer);
    try {
      return await work(ctx);
    } finally {
      await ctx.log.close();
    }
  };
  writeFile(a.home, 'skills/review/SKILL.md', 'base\n', at(1));
  writeFile(a.home, 'skills/review/notes.jsonl', '{"ts":1,"text":"one"}\n', at(1));
  expect((await run(a, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  expect((await run(b, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  writeFile(b.home, 'skills/review/SKILL.md', 'from b\n', at(2));
  writeFile(b.home, 'skills/review/notes.jsonl', '{"ts":1,"text":"one"}\n{"ts":3,"text":"on b"}\n', at(2));
  expect((await run(b, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
  writeFile(a.home, 'skills/review/SKILL.md', 'from a\n', at(3));
  writeFile(a.home, 'skills/review/notes.jsonl', '{"ts":1,"text":"one"}\n{"ts":2,"text":"on a"}\n', at(3));
  return { a, b, run };
}

const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
const snapshotFiles = (ws: Workspace, name: string): Map<string, Buffer> => new Map([...listTree(join(ws.backups, name))].filter(([path]) => path !== 'manifest.jsonl'));

describe('sync with the choices a person made for each conflict', () => {
  it('without choices, manual_abort stops before any write (exit 2)', async () => {
    const { a, run } = await conflictOnBothFiles();
    const before = listTree(a.cloud);
    const result = await run(a, (ctx) => sync(ctx, { apply: true }));
    expect(result.status).toBe('conflicts');
    expect(result.exitCode).toBe(2);
    expect(result.plan.conflicts.map((c) => c.path)).toEqual(['skills/review/SKILL.md', 'skills/review/notes.jsonl']);
    expect(listTree(a.cloud)).toEqual(before);
  });

  it('keep this machine / take the cloud: one sync, the losing version backed up, then in sync', async () => {
    const { a, run } = await conflictOnBothFiles();
    const choices = new Map<string, ConflictChoice>([
      ['skills/review/SKILL.md', 'keep-local'],
      ['skills/review/notes.jsonl', 'take-cloud'],
    ]);
    const result = await run(a, (ctx) => sync(ctx, { apply: true, choices }));
    expect(result.status).toBe('applied');
    expect(read(a.cloud, 'skills/review/SKILL.md')).toBe('from a\n');
    expect(read(a.home, 'skills/review/notes.jsonl')).toBe('{"ts":1,"text":"one"}\n{"ts":3,"text":"on b"}\n');
    const kept = snapshotFiles(a, result.snapshot as string);
    expect(kept.get('cloud/skills/review/SKILL.md')?.toString()).toBe('from b\n');
    expect(kept.get('local/skills/review/notes.jsonl')?.toString()).toBe('{"ts":1,"text":"one"}\n{"ts":2,"text":"on a"}\n');
    const again = await run(a, (ctx) => sync(ctx, { apply: true }));
    expect(again.status).toBe('in-sync');
  });

  it("keep both: the cloud's version beside the file on both sides, named for the machine it came from", async () => {
    const { a, b, run } = await conflictOnBothFiles();
    const result = await run(a, (ctx) => sync(ctx, { apply: true, choices: new Map([['skills/review/SKILL.md', 'keep-both']]), acceptLargeDeletion: false }));
    // notes.jsonl is still a conflict nobody chose for: nothing is written.
    expect(result.status).toBe('conflicts');
    const both = await run(a, (ctx) =>
      sync(ctx, {
        apply: true,
        choices: new Map<string, ConflictChoice>([
          ['skills/review/SKILL.md', 'keep-both'],
          ['skills/review/notes.jsonl', 'merge-lines'],
        ]),
      }),
    );
    expect(both.status).toBe('applied');
    for (const root of [a.home, a.cloud]) {
      expect(read(root, 'skills/review/SKILL.md')).toBe('from a\n');
      expect(read(root, 'skills/review/SKILL (cloud from b).md')).toBe('from b\n');
      expect(read(root, 'skills/review/notes.jsonl')).toBe('{"ts":1,"text":"one"}\n{"ts":2,"text":"on a"}\n{"ts":3,"text":"on b"}\n');
    }
    // The other machine takes it all as ordinary changes.
    const pulled = await run(b, (ctx) => sync(ctx, { apply: true }));
    expect(pulled.status).toBe('applied');
    expect(read(b.home, 'skills/review/SKILL (cloud from b).md')).toBe('from b\n');
    expect((await run(a, (ctx) => sync(ctx, { apply: true }))).status).toBe('in-sync');
  });

  it('a plan that changed since it was reviewed is not applied: status plan-changed, exit 5, nothing written', async () => {
    const { a, run } = await conflictOnBothFiles();
    const reviewed = await run(a, (ctx) => makePlan(ctx));
    writeFile(a.cloud, 'skills/new/SKILL.md', 'arrived meanwhile\n', at(4));
    const before = [listTree(a.home), listTree(a.cloud)];
    const choices = new Map<string, ConflictChoice>([
      ['skills/review/SKILL.md', 'keep-local'],
      ['skills/review/notes.jsonl', 'keep-local'],
    ]);
    const result = await run(a, (ctx) => sync(ctx, { apply: true, choices, expectPlanFingerprint: reviewed.fingerprint }));
    expect(result.status).toBe('plan-changed');
    expect(result.exitCode).toBe(5);
    expect([listTree(a.home), listTree(a.cloud)]).toEqual(before);
    expect(readdirSync(a.backups).filter((name) => name.startsWith('a-'))).toEqual([]);
  });

  it('a choice for a path that is not a conflict, or one the file does not allow, is exit 4 before any write', async () => {
    const { a, run } = await conflictOnBothFiles();
    await expect(run(a, (ctx) => sync(ctx, { apply: true, choices: new Map([['skills/other.md', 'keep-local']]) }))).rejects.toMatchObject({
      exitCode: 4,
      problem: { code: 'choice-invalid', path: 'skills/other.md', why: 'not-a-conflict' },
    });
    await expect(run(a, (ctx) => sync(ctx, { apply: true, choices: new Map([['skills/review/SKILL.md', 'merge-lines']]) }))).rejects.toMatchObject({
      exitCode: 4,
      problem: { code: 'choice-invalid', why: 'not-offered' },
    });
  });
});
