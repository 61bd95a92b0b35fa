// A cloud file that no handoff record accounts for (one still arriving from a machine whose record
// has not arrived, or one codexSync never wrote) is pending exactly like a listed file that has
// not arrived: an apply stops before any write.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlan, sync } from '../../src/core/engine/index.ts';
import { runCli } from '../helpers/cli.ts';
import { recordListing } from '../helpers/handoff.ts';
import { tempDir } from '../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../helpers/workspace.ts';
import { listTree } from '../scenarios/runner.ts';

const cli = (ws: Workspace, ...args: string[]) => runCli(['-c', ws.config, ...args], { cwd: ws.dir });
const t = (day: number): Date => new Date(Date.UTC(2026, 2, day));

const engine = withEngine;

/** a handed off skills/one and history.jsonl; b took them, then handed off skills/b: b's record is the newest. */
async function inSync(extra = ''): Promise<{ a: Workspace; b: Workspace }> {
  const dir = tempDir();
  const a = workspace(dir, { machine: 'a', extra });
  const b = workspace(dir, { machine: 'b', extra });
  writeFile(a.home, 'skills/one/SKILL.md', 'one, version 1\n', t(1));
  writeFile(a.home, 'history.jsonl', '{"ts":1,"text":"first"}\n', t(1));
  expect((await cli(a, 'sync', '--apply')).code).toBe(0);
  writeFile(b.home, 'skills/b/SKILL.md', 'b\n', t(2));
  expect((await cli(b, 'sync', '--apply')).code).toBe(0);
  expect(JSON.parse(readFileSync(join(b.cloud, '.codexsync', 'handoff-b.json'), 'utf8'))).toMatchObject({ sequence: 2 });
  return { a, b };
}

describe('a cloud file no handoff record accounts for', () => {
  it('a new file is pending: plan and dry run wait for it, the apply stops with exit 5 before any write, --force takes it', async () => {
    const { b } = await inSync();
    writeFile(b.cloud, 'skills/new/SKILL.md', 'half of a new skill', t(3));
    writeFile(b.home, 'skills/b/SKILL.md', 'b, edited here\n', t(3)); // a push that must not happen either
    const home = listTree(b.home);
    const cloud = listTree(b.cloud);
    const waiting = 'Waiting for 1 file no handoff record accounts for (still arriving, or not written by codexSync):\n  skills/new/SKILL.md';
    expect((await cli(b, 'plan')).stdout).toContain(waiting);
    expect((await cli(b, 'sync', '--dry-run')).stdout).toContain(waiting);
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain('codexsync: the cloud folder has not finished syncing from the other machine (1 file pending): nothing was changed');
    expect(listTree(b.home)).toEqual(home);
    expect(listTree(b.cloud)).toEqual(cloud);
    expect((await cli(b, 'doctor')).stdout).toContain('[WARN] handoff: waiting for 1 file no handoff record accounts for: still arriving, or not written by codexSync');

    const forced = await cli(b, 'sync', '--apply', '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(b.home, 'skills/new/SKILL.md'), 'utf8')).toBe('half of a new skill');
    expect(readFileSync(join(b.cloud, 'skills/b/SKILL.md'), 'utf8')).toBe('b, edited here\n');
  });

  it('a changed file of another size than its newest record lists is pending', async () => {
    const { b } = await inSync();
    writeFile(b.cloud, 'skills/one/SKILL.md', 'one, ver', t(3));
    const planned = await engine(b, (ctx) => makePlan(ctx));
    expect(planned.plan.waiting).toEqual({ from: undefined, paths: ['skills/one/SKILL.md'], records: [] });
    await expect(engine(b, (ctx) => sync(ctx, { apply: true }))).rejects.toMatchObject({ exitCode: 5, problem: { code: 'arrival-pending', from: undefined, count: 1, paths: undefined } });
    expect(readFileSync(join(b.home, 'skills/one/SKILL.md'), 'utf8')).toBe('one, version 1\n');
  });

  it('same size, other bytes, in a file this machine changed too (a merge): read while planning, pending, nothing merged', async () => {
    const { b } = await inSync();
    writeFile(b.home, 'history.jsonl', '{"ts":1,"text":"first"}\n{"ts":2,"text":"second"}\n', t(3));
    // A cloud client that allocates a file before it fills it: the right size, all zeros.
    writeFileSync(join(b.cloud, 'history.jsonl'), Buffer.alloc(Buffer.byteLength('{"ts":1,"text":"first"}\n')));
    const planned = await engine(b, (ctx) => makePlan(ctx));
    expect(planned.plan.waiting?.paths).toEqual(['history.jsonl']);
    expect(planned.plan.actions).toEqual([]);
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code).toBe(5);
    expect(readFileSync(join(b.home, 'history.jsonl'), 'utf8')).toBe('{"ts":1,"text":"first"}\n{"ts":2,"text":"second"}\n');
  });

  it('same size, other bytes, in a file only the cloud changed: read for the decision anyway, pending, nothing taken', async () => {
    const { b } = await inSync();
    writeFile(b.cloud, 'skills/one/SKILL.md', 'one, VERSION 1\n', t(3));
    expect((await engine(b, (ctx) => makePlan(ctx))).plan.waiting?.paths).toEqual(['skills/one/SKILL.md']);
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code).toBe(5);
    expect(apply.stderr).toContain('codexsync: the cloud folder has not finished syncing from the other machine (1 file pending): nothing was changed');
    expect(readFileSync(join(b.home, 'skills/one/SKILL.md'), 'utf8')).toBe('one, version 1\n');
  });

  it('the newest record that lists a path accounts for it, not an older one', async () => {
    const dir = tempDir();
    const b = workspace(dir, { machine: 'b' });
    writeFile(b.cloud, 'skills/p/SKILL.md', 'p as a wrote it\n');
    writeFile(b.cloud, 'skills/q/SKILL.md', 'q\n');
    await recordListing(b.cloud, 'a', { 'skills/p/SKILL.md': 'p as a wrote it\n', 'skills/q/SKILL.md': 'q\n' });
    await recordListing(b.cloud, 'c', { 'skills/p/SKILL.md': 'p, as c wrote it later\n' });
    // d handed off last and does not list p (not in its scope): c's record speaks for p.
    await recordListing(b.cloud, 'd', { 'skills/q/SKILL.md': 'q\n' });
    const planned = await engine(b, (ctx) => makePlan(ctx));
    expect(planned.plan.waiting).toEqual({ from: 'd', paths: ['skills/p/SKILL.md'], records: [] });
    expect((await cli(b, 'sync', '--apply')).code).toBe(5);
    expect(existsSync(join(b.home, 'skills'))).toBe(false);

    // c's version arrives, first as bytes of the right size: a plan does not read a file it would copy, the copy checks it.
    writeFile(b.cloud, 'skills/p/SKILL.md', 'p, AS C WROTE IT LATER\n');
    expect((await engine(b, (ctx) => makePlan(ctx))).plan.waiting).toBeUndefined();
    const early = await cli(b, 'sync', '--apply');
    expect(early.code).toBe(5);
    expect(early.stderr).toContain('codexsync: the cloud folder has not finished syncing from d (1 file pending: skills/p/SKILL.md): nothing in the Codex home was changed');
    expect([...listTree(b.home).keys()]).toEqual([]);
    writeFile(b.cloud, 'skills/p/SKILL.md', 'p, as c wrote it later\n');
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(join(b.home, 'skills/p/SKILL.md'), 'utf8')).toBe('p, as c wrote it later\n');
    expect(readFileSync(join(b.home, 'skills/q/SKILL.md'), 'utf8')).toBe('q\n');
  });

  it('while no machine has written a record (just moved from 0.1.2), the cloud files are taken as they are', async () => {
    const dir = tempDir();
    const b = workspace(dir, { machine: 'b' });
    writeFile(b.cloud, 'skills/old/SKILL.md', 'synced by 0.1.2\n');
    writeFile(b.cloud, 'history.jsonl', '{"ts":1,"text":"from 0.1.2"}\n');
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(join(b.home, 'skills/old/SKILL.md'), 'utf8')).toBe('synced by 0.1.2\n');
    expect(existsSync(join(b.cloud, '.codexsync', 'handoff-b.json'))).toBe(true);
  });

  it('while no record exists, a line file cut short (its last line unfinished) is still arriving: nothing is pulled until it is whole', async () => {
    const dir = tempDir();
    const b = workspace(dir, { machine: 'b' });
    const whole = '{"id":"019a0002-0000-7000-8000-000000000002","thread_name":"one"}\n{"id":"019a0003-0000-7000-8000-000000000003","thread_name":"two"}\n';
    writeFile(b.cloud, 'skills/old/SKILL.md', 'synced by 0.1.2\n');
    // The cloud client writes session_index.jsonl in place and is half way through.
    writeFile(b.cloud, 'session_index.jsonl', whole.slice(0, 90));
    const cut = await cli(b, 'sync', '--apply');
    expect(cut.code).toBe(5);
    expect(cut.stderr).toContain('the cloud folder has not finished syncing');
    expect([...listTree(b.home).keys()]).toEqual([]);
    expect(existsSync(join(b.cloud, '.codexsync', 'handoff-b.json'))).toBe(false);
    const plan = await cli(b, 'plan');
    expect(plan.stdout).toContain('  session_index.jsonl');
    writeFile(b.cloud, 'session_index.jsonl', whole);
    const apply = await cli(b, 'sync', '--apply');
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(join(b.home, 'session_index.jsonl'), 'utf8')).toBe(whole);
    expect(readFileSync(join(b.home, 'skills/old/SKILL.md'), 'utf8')).toBe('synced by 0.1.2\n');
  });

  it("this machine's own files are its own: as its base describes them, or as its interrupted run left them", async () => {
    const { b } = await inSync('[sync]\ndelete_policy = "propagate"\n');
    // b pushes an edit and a deletion, then stops before its base and its record are saved.
    const baseDir = join(b.dir, 'state', 'b');
    const recordFile = join(b.cloud, '.codexsync', 'handoff-b.json');
    const saved = { base: listTree(baseDir), record: readFileSync(recordFile) };
    writeFile(b.home, 'skills/b/SKILL.md', 'b, edited and pushed\n', t(4));
    rmSync(join(b.home, 'skills/one/SKILL.md'));
    const run = await cli(b, 'sync', '--apply');
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(b.cloud, 'skills/one/SKILL.md'))).toBe(false);
    for (const [path, bytes] of saved.base) writeFileSync(join(baseDir, path), bytes);
    writeFileSync(recordFile, saved.record);
    const again = await cli(b, 'sync', '--apply');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(b.cloud, 'skills/b/SKILL.md'), 'utf8')).toBe('b, edited and pushed\n');
    expect(JSON.parse(readFileSync(recordFile, 'utf8'))).toMatchObject({ sequence: 3, files: { 'skills/b/SKILL.md': { size: 21 } } });
    expect(Object.keys((JSON.parse(readFileSync(recordFile, 'utf8')) as { files: object }).files)).toEqual(['history.jsonl', 'skills/b/SKILL.md']);
  });
});
