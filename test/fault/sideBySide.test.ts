import { existsSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sync } from '../../src/core/engine/index.ts';
import { listTree } from '../scenarios/runner.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const apply = (ws: Workspace) => withEngine(ws, (ctx) => sync(ctx, { apply: true }));
const synced = (root: string): Map<string, string> => new Map([...listTree(root)].filter(([path]) => !path.startsWith('.codexsync/')).map(([path, bytes]) => [path, bytes.toString('utf8')]));

type Held = Map<string, { bytes: Buffer; mtime: Date } | undefined>;

/** What the cloud folder holds at these paths now (bytes and time, or nothing). */
function take(root: string, paths: string[]): Held {
  return new Map(paths.map((path) => [path, existsSync(join(root, path)) ? { bytes: readFileSync(join(root, path)), mtime: statSync(join(root, path)).mtime } : undefined]));
}

/** Puts paths back as `held` has them: a cloud client delivering a run's writes late, or showing them at last. */
function put(root: string, held: Held): void {
  for (const [path, file] of held) {
    if (file === undefined) rmSync(join(root, path), { force: true });
    else utimesSync(writeFile(root, path, file.bytes), file.mtime, file.mtime);
  }
}

function twoMachines(): { a: Workspace; b: Workspace } {
  const dir = tempDir();
  return { a: workspace(dir, { machine: 'a' }), b: workspace(dir, { machine: 'b' }) };
}

/** Runs on `first`, the other, `first` again: each applies (exit 0); then all three trees hold `files` and both are in sync. */
async function expectConverged(first: Workspace, other: Workspace, files: Record<string, string>): Promise<void> {
  for (const ws of [first, other, first]) {
    const result = await apply(ws);
    expect(result.exitCode, JSON.stringify(result.plan.waiting)).toBe(0);
  }
  const expected = new Map(Object.entries(files));
  for (const root of [first.home, other.home, first.cloud]) expect(synced(root)).toEqual(expected);
  for (const ws of [first, other]) expect((await apply(ws)).status).toBe('in-sync');
}

describe('two handoffs made side by side (neither record knew of the other)', () => {
  it("a file one machine changed while the other's newer record names the version before: the newer record's writer takes the change, and neither waits for good", async () => {
    const { a, b } = twoMachines();
    const skill = 'skills/x/SKILL.md';
    const record = '.codexsync/handoff-a.json';
    writeFile(a.home, skill, 'x 1\n', at(1));
    writeFile(b.home, 'skills/notes/SKILL.md', 'notes from b\n', at(1));
    expect((await apply(a)).exitCode).toBe(0);
    writeFile(a.home, skill, 'x 2, edited on a\n', at(2));
    const before = take(a.cloud, [skill, record]);
    expect((await apply(a)).exitCode).toBe(0);
    // The cloud client holds a's edit and record back: b takes version 1 and hands off beside a.
    const late = take(a.cloud, [skill, record]);
    put(a.cloud, before);
    expect((await apply(b)).exitCode).toBe(0);
    expect(readFileSync(join(b.home, skill), 'utf8')).toBe('x 1\n');
    put(a.cloud, late);

    // b's record is the newest and still lists version 1: a waits, until b, which did not know
    // of a's record, takes a's edit and hands off again.
    await expect(apply(a)).rejects.toMatchObject({ exitCode: 5, problem: { code: 'arrival-pending', from: 'b', count: 1 } });
    expect(readFileSync(join(a.home, skill), 'utf8')).toBe('x 2, edited on a\n');
    await expectConverged(b, a, { [skill]: 'x 2, edited on a\n', 'skills/notes/SKILL.md': 'notes from b\n' });
  });
});
