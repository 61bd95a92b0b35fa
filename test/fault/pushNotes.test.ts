import { existsSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile } from '../helpers/workspace.ts';

describe("a killed run's pushes are this machine's own", () => {
  it('after a run killed right after pushing a file, and that file renamed here, the next run does not wait for it forever', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    writeFile(a.home, 'skills/one/SKILL.md', 'one\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // a pushes a new file and is killed right after that write: no base saved, no handoff record.
    writeFile(a.home, 'skills/alpha/SKILL.md', 'alpha\n', new Date('2026-11-30T02:00:00Z'));
    const killed = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '1' } });
    expect(killed.code).toBeNull();
    expect(readFileSync(join(a.cloud, 'skills/alpha/SKILL.md'), 'utf8')).toBe('alpha\n');
    // Before a runs again, its copy changes: the cloud file is no longer the same as a's own.
    renameSync(join(a.home, 'skills/alpha'), join(a.home, 'skills/gamma'));
    const next = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(join(a.home, 'skills/gamma/SKILL.md'))).toBe(true);
    // Its record now accounts for everything: the other machine takes the handoff.
    const other = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    expect(readFileSync(join(b.home, 'skills/gamma/SKILL.md'), 'utf8')).toBe('alpha\n');
  });

  it("a second killed run keeps the first one's note: pushes of both stay this machine's own", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const crash = { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '1' } };
    writeFile(a.home, 'skills/one/SKILL.md', 'one\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // Two runs in a row, each killed right after pushing one new file: no base, no record.
    writeFile(a.home, 'skills/alpha/SKILL.md', 'alpha\n', new Date('2026-11-30T02:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], crash)).code).toBeNull();
    writeFile(a.home, 'skills/beta/SKILL.md', 'beta\n', new Date('2026-11-30T03:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], crash)).code).toBeNull();
    expect(readFileSync(join(a.cloud, 'skills/alpha/SKILL.md'), 'utf8')).toBe('alpha\n');
    expect(readFileSync(join(a.cloud, 'skills/beta/SKILL.md'), 'utf8')).toBe('beta\n');
    // The first push's file changes here before the next run.
    renameSync(join(a.home, 'skills/alpha'), join(a.home, 'skills/gamma'));
    const next = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    const other = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    for (const [path, content] of [
      ['skills/alpha/SKILL.md', 'alpha\n'],
      ['skills/beta/SKILL.md', 'beta\n'],
      ['skills/gamma/SKILL.md', 'alpha\n'],
    ]) {
      expect(readFileSync(join(b.home, path as string), 'utf8')).toBe(content);
    }
  });

  it("a killed run's push taken back here is not checked against the other machine's record, which lists the version before", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    writeFile(b.home, 'skills/notes/SKILL.md', 'notes 1\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // a takes the notes and hands off a file of its own: a's record, not yet taken by b, lists "notes 1".
    writeFile(a.home, 'skills/y/SKILL.md', 'y from a\n', new Date('2026-11-30T02:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // b pushes its edit of the notes (and takes y), and is killed before its base and record.
    writeFile(b.home, 'skills/notes/SKILL.md', 'notes 2, edited on b\n', new Date('2026-11-30T03:00:00Z'));
    const killed = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '2' } });
    expect(killed.code).toBeNull();
    expect(readFileSync(join(b.cloud, 'skills/notes/SKILL.md'), 'utf8')).toBe('notes 2, edited on b\n');
    // Then b deletes the notes here: the edit in the cloud beats the deletion and comes back.
    rmSync(join(b.home, 'skills/notes/SKILL.md'));
    const next = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(readFileSync(join(b.home, 'skills/notes/SKILL.md'), 'utf8')).toBe('notes 2, edited on b\n');
    const other = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    expect(readFileSync(join(a.home, 'skills/notes/SKILL.md'), 'utf8')).toBe('notes 2, edited on b\n');
  });

  it("a killed run's push of a file that a link then replaced here stays listed: the other machine takes it, never waits for it", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const notes = 'skills/notes/SKILL.md';
    writeFile(b.home, notes, 'notes 1\n', new Date('2026-11-30T01:00:00Z'));
    writeFile(b.home, 'skills/other/SKILL.md', 'other\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    writeFile(b.home, notes, 'notes 2, edited on b\n', new Date('2026-11-30T02:00:00Z'));
    const killed = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '1' } });
    expect(killed.code).toBeNull();
    // The file here becomes a link: b leaves that path alone from now on, its push stays in the cloud.
    rmSync(join(b.home, notes));
    symlinkSync(writeFile(tempDir(), 'elsewhere.md', 'not ours\n'), join(b.home, notes));
    const next = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    // And in every later record while the link stays, though no base or note of b describes it.
    writeFile(b.home, 'skills/other/SKILL.md', 'other, edited\n', new Date('2026-11-30T03:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    const record = JSON.parse(readFileSync(join(b.cloud, '.codexsync/handoff-b.json'), 'utf8')) as { sequence: number; files: Record<string, { size: number }> };
    expect([record.sequence, record.files[notes]?.size]).toEqual([3, Buffer.byteLength('notes 2, edited on b\n')]);
    const other = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    expect(readFileSync(join(a.home, notes), 'utf8')).toBe('notes 2, edited on b\n');
  });

  it("a killed run's deletion in the cloud is this machine's own: a file of that name made here again is handed off, not waited for", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a', extra: '[sync]\ndelete_policy = "propagate"\n' });
    const b = workspace(dir, { machine: 'b', extra: '[sync]\ndelete_policy = "propagate"\n' });
    const x = 'skills/x/SKILL.md';
    writeFile(a.home, x, 'x 1\n', new Date('2026-11-30T01:00:00Z'));
    writeFile(a.home, 'skills/keep/SKILL.md', 'keep\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // b takes x and hands off a file of its own: b's record, not yet taken by a, lists "x 1".
    writeFile(b.home, 'skills/y/SKILL.md', 'y from b\n', new Date('2026-11-30T02:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // a deletes x; its run takes y, deletes x in the cloud and is killed: no base, no record.
    rmSync(join(a.home, x));
    const killed = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '2' } });
    expect(killed.code).toBeNull();
    expect(existsSync(join(a.cloud, x))).toBe(false);
    // Then a writes a new x.
    writeFile(a.home, x, 'x 2, written again on a\n', new Date('2026-11-30T03:00:00Z'));
    const next = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(next.code, next.stderr).toBe(0);
    expect(readFileSync(join(a.cloud, x), 'utf8')).toBe('x 2, written again on a\n');
    const other = await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir });
    expect(other.code, other.stderr).toBe(0);
    expect(readFileSync(join(b.home, x), 'utf8')).toBe('x 2, written again on a\n');
  });

  it('both machines killed after a push the other has not seen: the one that waits records its own push, and both go on', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const crash = { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '1' } };
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // b pushes skills/b and is killed; the cloud client has not shown it on a yet when a does the same with skills/a.
    writeFile(b.home, 'skills/b/SKILL.md', 'from b\n', new Date('2026-11-30T02:00:00Z'));
    const killedB = await runCli(['-c', b.config, 'sync', '--apply'], crash);
    expect(killedB.code, killedB.stderr).toBeNull();
    rmSync(join(b.cloud, '.codexsync/lock.json')); // the killed run's lock, once it expired
    renameSync(join(b.cloud, 'skills/b'), join(dir, 'b-on-the-way'));
    writeFile(a.home, 'skills/a/SKILL.md', 'from a\n', new Date('2026-11-30T03:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], crash)).code).toBeNull();
    rmSync(join(a.cloud, '.codexsync/lock.json'));
    renameSync(join(dir, 'b-on-the-way'), join(b.cloud, 'skills/b'));
    // Each waits for the other's unrecorded push; a, waiting, records its own, so b takes it and hands off.
    const waits = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
    expect(waits.code).toBe(5);
    const record = JSON.parse(readFileSync(join(a.cloud, '.codexsync/handoff-a.json'), 'utf8')) as { sequence: number; files: Record<string, unknown> };
    expect([record.sequence, Object.keys(record.files)]).toEqual([2, ['skills/a/SKILL.md', 'skills/x/SKILL.md']]);
    for (const ws of [b, a, b]) {
      const run = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
    }
    for (const root of [a.home, b.home]) {
      expect(readFileSync(join(root, 'skills/a/SKILL.md'), 'utf8')).toBe('from a\n');
      expect(readFileSync(join(root, 'skills/b/SKILL.md'), 'utf8')).toBe('from b\n');
    }
  });

  it('a record written while waiting does not name the handoff it waits for: the next run still waits for it', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const r = 'skills/r/SKILL.md';
    writeFile(b.home, r, 'r 1\n', new Date('2026-11-30T01:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    // b hands off its edit of r, not shown on a yet; a pushes z and is killed.
    const before = { r: readFileSync(join(b.cloud, r)), record: readFileSync(join(b.cloud, '.codexsync/handoff-b.json')) };
    writeFile(b.home, r, 'r 2, edited on b\n', new Date('2026-11-30T03:00:00Z'));
    expect((await runCli(['-c', b.config, 'sync', '--apply'], { cwd: dir })).code).toBe(0);
    const record = readFileSync(join(b.cloud, '.codexsync/handoff-b.json'));
    writeFile(b.cloud, r, before.r, new Date('2026-11-30T01:00:00Z'));
    writeFile(b.cloud, '.codexsync/handoff-b.json', before.record);
    writeFile(a.home, 'skills/z/SKILL.md', 'z from a\n', new Date('2026-11-30T02:00:00Z'));
    expect((await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: '1' } })).code).toBeNull();
    rmSync(join(a.cloud, '.codexsync/lock.json')); // the killed run's lock, once it expired
    // b's record arrives, its edit of r not yet: a waits for it, and records its own push meanwhile.
    writeFile(b.cloud, '.codexsync/handoff-b.json', record);
    for (let i = 0; i < 2; i += 1) {
      const waits = await runCli(['-c', a.config, 'sync', '--apply'], { cwd: dir });
      expect(waits.code, waits.stdout).toBe(5);
      expect(waits.stderr).toContain('the cloud folder has not finished syncing from b (1 file pending)');
    }
    expect(readFileSync(join(a.home, r), 'utf8')).toBe('r 1\n');
    writeFile(b.cloud, r, 'r 2, edited on b\n', new Date('2026-11-30T03:00:00Z'));
    for (const ws of [a, b, a]) {
      const run = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
    }
    expect(readFileSync(join(a.home, r), 'utf8')).toBe('r 2, edited on b\n');
    expect(readFileSync(join(b.home, 'skills/z/SKILL.md'), 'utf8')).toBe('z from a\n');
  });
});
