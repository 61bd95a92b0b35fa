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
  it("a file one machine changed while the other's newer record names the version it knew before: neither waits, both take the change", async () => {
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

    // b's record is the newest and lists version 1, as b knew it from a: a does not wait for
    // it, and b, whose record did not know of a's, takes a's edit.
    await expectConverged(a, b, { [skill]: 'x 2, edited on a\n', 'skills/notes/SKILL.md': 'notes from b\n' });
  });

  it("the newest record's writer waits for a side-by-side record's change still on the way, and never records the version before over it", async () => {
    const { a, b } = twoMachines();
    const skill = 'skills/x/SKILL.md';
    writeFile(b.home, skill, 'x 1\n', at(1));
    expect((await apply(b)).exitCode).toBe(0);
    expect((await apply(a)).exitCode).toBe(0);
    writeFile(b.home, skill, 'x 2, edited on b\n', at(2));
    const before = take(b.cloud, [skill, '.codexsync/handoff-b.json']);
    expect((await apply(b)).exitCode).toBe(0);
    // The cloud client holds b's edit and record back while a hands off beside b.
    const late = take(b.cloud, [skill, '.codexsync/handoff-b.json']);
    put(b.cloud, before);
    writeFile(a.home, 'skills/y/SKILL.md', 'y 1\n', at(3));
    expect((await apply(a)).exitCode).toBe(0);
    // b's record arrives first, its edit later; a has a change of its own to hand off meanwhile.
    put(b.cloud, new Map([['.codexsync/handoff-b.json', late.get('.codexsync/handoff-b.json')]]));
    writeFile(a.home, 'skills/y/SKILL.md', 'y 2, edited on a\n', at(4));
    await expect(apply(a)).rejects.toMatchObject({ exitCode: 5, problem: { code: 'arrival-pending', from: 'b', count: 1 } });
    put(b.cloud, late);
    await expectConverged(a, b, { [skill]: 'x 2, edited on b\n', 'skills/y/SKILL.md': 'y 2, edited on a\n' });
  });

  it('a machine whose record the newest one did not know of hands off again once that record no longer describes the cloud', async () => {
    const { a, b } = twoMachines();
    const refs = 'skills/gamma/refs.md';
    writeFile(a.home, refs, 'refs from a\n', at(1));
    const before = take(a.cloud, [refs, '.codexsync/handoff-a.json']);
    expect((await apply(a)).exitCode).toBe(0);
    // The cloud client holds a's file and record back; b hands off its own file of that name.
    const late = take(a.cloud, [refs, '.codexsync/handoff-a.json']);
    put(a.cloud, before);
    writeFile(b.home, refs, 'refs from b\n', at(2));
    expect((await apply(b)).exitCode).toBe(0);
    // a's record arrives; a's file met b's and the user threw the cloud client's copy of it away.
    put(a.cloud, new Map([['.codexsync/handoff-a.json', late.get('.codexsync/handoff-a.json')]]));
    // a takes b's file (its own is backed up), and its record, still naming its own, is written again.
    await expectConverged(a, b, { [refs]: 'refs from b\n' });
  });

  it("a file both machines changed side by side, whose other version the user threw away as the cloud client's copy: neither waits for it", async () => {
    const { a, b } = twoMachines();
    const skill = 'skills/x/SKILL.md';
    const recordA = '.codexsync/handoff-a.json';
    writeFile(b.home, skill, 'x 1\n', at(1));
    expect((await apply(b)).exitCode).toBe(0);
    expect((await apply(a)).exitCode).toBe(0);
    writeFile(a.home, skill, 'x 2, edited on a\n', at(2));
    const before = take(a.cloud, [skill, recordA]);
    expect((await apply(a)).exitCode).toBe(0);
    // The cloud client holds a's edit and record back; b hands off its own edit beside a.
    const late = take(a.cloud, [skill, recordA]);
    put(a.cloud, before);
    writeFile(b.home, skill, 'x 2, edited on b\n', at(3));
    expect((await apply(b)).exitCode).toBe(0);
    // a's record arrives; its edit met b's, and the user threw away the cloud client's copy of a's.
    put(a.cloud, new Map([[recordA, late.get(recordA)]]));

    // b's version holds the path: b does not wait for a's, and a takes b's (its own is backed up).
    await expectConverged(b, a, { [skill]: 'x 2, edited on b\n' });
    expect(readFileSync(join(a.home, skill), 'utf8')).toBe('x 2, edited on b\n');
  });

  it("a file this machine deleted after taking it, which the other machine's record passes on beside it, is not waited for", async () => {
    const dir = tempDir();
    const extra = '[sync]\ndelete_policy = "propagate"\n';
    const [a, b] = [workspace(dir, { machine: 'a', extra }), workspace(dir, { machine: 'b', extra })];
    const [beta, r, z] = ['skills/beta/SKILL.md', 'skills/r/SKILL.md', 'skills/z/SKILL.md'];
    const [recordA, recordB] = ['.codexsync/handoff-a.json', '.codexsync/handoff-b.json'];
    writeFile(b.home, beta, 'beta 1\n', at(1));
    expect((await apply(b)).exitCode).toBe(0);
    writeFile(a.home, r, 'r from a\n', at(2));
    expect((await apply(a)).exitCode).toBe(0);
    writeFile(b.home, beta, 'beta 2, edited on b\n', at(3));
    const bBefore = take(b.cloud, [beta, recordB]);
    expect((await apply(b)).exitCode).toBe(0);
    // Not shown on a yet, a hands off z; not shown on b yet, b deletes r, which it took from a.
    const bLate = take(b.cloud, [beta, recordB]);
    put(b.cloud, bBefore);
    writeFile(a.home, z, 'z from a\n', at(4));
    const aBefore = take(a.cloud, [z, recordA]);
    expect((await apply(a)).exitCode).toBe(0);
    const aLate = take(a.cloud, [z, recordA]);
    put(a.cloud, aBefore);
    put(b.cloud, bLate);
    rmSync(join(b.home, r));
    expect((await apply(b)).exitCode).toBe(0);
    put(a.cloud, aLate);

    // b first: a's record, written without knowing of b's latest, still lists r and beta 1 as both knew them.
    await expectConverged(b, a, { [beta]: 'beta 2, edited on b\n', [z]: 'z from a\n' });
  });
});
