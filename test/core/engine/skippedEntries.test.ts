import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncReport } from '../../../src/cli/print/reports.ts';
import { noticeText as appNoticeText } from '../../../src/main/service/words.ts';
import { loadConfig } from '../../../src/core/config/index.ts';
import { sync, type EngineContext, type SyncResult } from '../../../src/core/engine/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { baseStateFile, loadBase } from '../../../src/core/state/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const synced = (root: string): string[] => [...listTree(root).keys()].filter((path) => !path.startsWith('.codexsync/')).sort();

async function run(ws: Workspace, json = false): Promise<SyncResult & { text: string }> {
  const ctx: EngineContext = engineContext(ws.config, noAnswer);
  try {
    const result = await sync(ctx, { apply: true });
    return { ...result, text: syncReport(result, { json, verbose: false, reportConflicts: true }).join('\n') };
  } finally {
    await ctx.log.close();
  }
}

async function basePaths(ws: Workspace): Promise<string[]> {
  const config = loadConfig(ws.config, currentEnvironment());
  const base = await loadBase(baseStateFile(config.paths), 'a', config.paths.localStateDir, config.paths.cloudRoot);
  return [...base.entries.keys()].sort();
}

/** One machine under delete_policy = "propagate" that synced skills/x (two files) and two other skills. */
async function syncedMachine(): Promise<Workspace> {
  const ws = workspace(tempDir(), { extra: '[sync]\ndelete_policy = "propagate"\n' });
  for (const path of ['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/notes.md']) writeFile(ws.home, path, `${path}\n`, at(1));
  expect((await run(ws)).exitCode).toBe(0);
  return ws;
}

describe('what the scan skips on one side is unknown there, never deleted on the other', () => {
  it('a cloud folder turned into a symlink: no local file below it is deleted, nothing is written through it, base entries kept', async () => {
    const ws = await syncedMachine();
    const outside = tempDir();
    writeFile(outside, 'elsewhere.md', 'not ours\n');
    rmSync(join(ws.cloud, 'skills/x'), { recursive: true });
    symlinkSync(outside, join(ws.cloud, 'skills/x'));
    writeFile(ws.home, 'skills/x/new.md', 'new here\n', at(2));

    const result = await run(ws);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.actions).toEqual([]);
    expect(result.plan.unknown).toEqual(['skills/x/SKILL.md', 'skills/x/new.md', 'skills/x/notes.md']);
    expect(synced(ws.home)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/new.md', 'skills/x/notes.md']);
    expect(synced(outside)).toEqual(['elsewhere.md']);
    expect(result.text).toContain('Note: skills/x (cloud): symlink, not synced; 3 files there are left as they are on both sides');
    expect(result.text).toContain('Done: nothing to copy; 3 files left alone behind a link, special file or unreadable folder.');
    expect(result.text).not.toContain('Already in sync');
    expect(JSON.parse((await run(ws, true)).text)).toMatchObject({ status: 'left-different', inSync: false });
    expect(await basePaths(ws)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/notes.md']);

    // The folder back in place: the files are known again and synced as usual.
    rmSync(join(ws.cloud, 'skills/x'));
    for (const path of ['skills/x/SKILL.md', 'skills/x/notes.md']) writeFile(ws.cloud, path, `${path}\n`, at(1));
    const back = await run(ws);
    expect(back.exitCode, back.text).toBe(0);
    expect(synced(ws.cloud)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/new.md', 'skills/x/notes.md']);
  });

  it('a cloud folder turned into a FIFO (a special file): the local files below it stay', async () => {
    const ws = await syncedMachine();
    rmSync(join(ws.cloud, 'skills/x'), { recursive: true });
    execFileSync('mkfifo', [join(ws.cloud, 'skills/x')]);
    const result = await run(ws);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.actions).toEqual([]);
    expect(result.text).toContain('Note: skills/x (cloud): special file, not synced; 2 files there are left as they are on both sides');
    expect(synced(ws.home)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/notes.md']);
    expect(await basePaths(ws)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/notes.md']);
  });

  it('a local folder turned into a symlink, and a synced file turned into a FIFO: nothing in the cloud is deleted', async () => {
    const ws = await syncedMachine();
    const outside = tempDir();
    rmSync(join(ws.home, 'skills/x'), { recursive: true });
    symlinkSync(outside, join(ws.home, 'skills/x'));
    rmSync(join(ws.home, 'skills/one/SKILL.md'));
    execFileSync('mkfifo', [join(ws.home, 'skills/one/SKILL.md')]);
    const result = await run(ws);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.actions).toEqual([]);
    expect(result.text).toContain('Note: skills/one/SKILL.md (Codex home): special file, not synced; 1 file there is left as it is on both sides');
    expect(synced(ws.cloud)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md', 'skills/x/notes.md']);
    expect(existsSync(join(outside, 'SKILL.md'))).toBe(false);
    expect(readFileSync(join(ws.cloud, 'skills/x/notes.md'), 'utf8')).toBe('skills/x/notes.md\n');
  });

  it("another machine's files below a cloud folder turned into a link are not awaited (no 'not finished syncing'), and left alone", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b', extra: '[sync]\ndelete_policy = "propagate"\n' });
    for (const path of ['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md']) writeFile(a.home, path, `${path}\n`, at(1));
    expect((await run(a)).exitCode).toBe(0);
    writeFile(b.home, 'skills/x/SKILL.md', 'b has its own\n', at(2));
    rmSync(join(b.cloud, 'skills/x'), { recursive: true });
    symlinkSync(tempDir(), join(b.cloud, 'skills/x'));
    const result = await run(b);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.waiting).toBeUndefined();
    expect(result.plan.unknown).toEqual(['skills/x/SKILL.md']);
    expect(synced(b.home)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md']);
    expect(readFileSync(join(b.home, 'skills/x/SKILL.md'), 'utf8')).toBe('b has its own\n');
  });

  it("a link in a synced file's place on one machine: that path is named with what to do, and the rest of every handoff goes on", async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const linked = 'skills/alpha/notes.md';
    const outside = writeFile(tempDir(), 'elsewhere.md', 'not ours\n');
    writeFile(a.home, 'skills/alpha/SKILL.md', 'alpha\n', at(1));
    symlinkSync(outside, join(a.home, linked));
    writeFile(b.home, linked, "b's notes\n", at(2));
    writeFile(b.home, 'skills/beta/SKILL.md', 'beta 1\n', at(2));
    expect((await run(b)).exitCode).toBe(0);
    const first = await run(a);
    expect(first.exitCode, first.text).toBe(0);
    expect([first.status, first.inSync]).toEqual(['applied', false]);
    expect(first.plan.unknown).toEqual([linked]);
    expect(first.text).toContain(
      `Note: ${linked} (Codex home): symlink, not synced; 1 file there is left as it is on both sides; codexSync never follows a link: put the file or folder itself there to sync it`,
    );
    const notice = first.plan.notices.find((n) => n.code === 'skipped');
    expect(notice === undefined ? '' : appNoticeText(notice)).toBe(
      `${linked} (Codex home): symlink, not handed off; 1 file there stays as it is on both sides; a link is never followed: put the file or folder itself there to hand it off`,
    );
    expect(readFileSync(join(a.home, 'skills/beta/SKILL.md'), 'utf8')).toBe('beta 1\n');
    // Later handoffs, both ways, still go through; the link and the file behind it stay as they are.
    writeFile(b.home, 'skills/beta/SKILL.md', 'beta 2, edited on b\n', at(3));
    expect((await run(b)).exitCode).toBe(0);
    expect((await run(a)).exitCode).toBe(0);
    expect(readFileSync(join(a.home, 'skills/beta/SKILL.md'), 'utf8')).toBe('beta 2, edited on b\n');
    writeFile(a.home, 'skills/gamma/SKILL.md', 'gamma from a\n', at(4));
    expect((await run(a)).exitCode).toBe(0);
    expect((await run(b)).exitCode).toBe(0);
    expect(readFileSync(join(b.home, 'skills/gamma/SKILL.md'), 'utf8')).toBe('gamma from a\n');
    expect(readFileSync(join(b.home, linked), 'utf8')).toBe("b's notes\n");
    expect(readFileSync(join(a.cloud, linked), 'utf8')).toBe("b's notes\n");
    expect(lstatSync(join(a.home, linked)).isSymbolicLink()).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe('not ours\n');
  });

  it('a file one machine now has a link in place of stays in its record while the cloud holds it as synced: the other machine takes it, never waits for it', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    const linked = 'skills/alpha/notes.md';
    writeFile(b.home, linked, "b's notes\n", at(1));
    expect((await run(b)).exitCode).toBe(0);
    rmSync(join(b.home, linked));
    symlinkSync(writeFile(tempDir(), 'elsewhere.md', 'not ours\n'), join(b.home, linked));
    writeFile(b.home, 'skills/gamma/SKILL.md', 'gamma\n', at(2));
    expect((await run(b)).exitCode).toBe(0);
    const record = JSON.parse(readFileSync(join(b.cloud, '.codexsync/handoff-b.json'), 'utf8')) as { sequence: number; files: Record<string, unknown> };
    expect([record.sequence, Object.keys(record.files)]).toEqual([2, [linked, 'skills/gamma/SKILL.md']]);
    const first = await run(a);
    expect(first.exitCode, first.text).toBe(0);
    expect(readFileSync(join(a.home, linked), 'utf8')).toBe("b's notes\n");
    expect(readFileSync(join(a.home, 'skills/gamma/SKILL.md'), 'utf8')).toBe('gamma\n');
  });

  it('a file one machine has a link in place of leaves its record once the cloud no longer holds it: the machine that deleted it never waits for it', async () => {
    const dir = tempDir();
    const extra = '[sync]\ndelete_policy = "propagate"\n';
    const [a, b] = [workspace(dir, { machine: 'a', extra }), workspace(dir, { machine: 'b', extra })];
    const linked = 'skills/alpha/notes.md';
    const recordOf = (m: string): Record<string, unknown> => (JSON.parse(readFileSync(join(a.cloud, '.codexsync', `handoff-${m}.json`), 'utf8')) as { files: Record<string, unknown> }).files;
    writeFile(b.home, linked, "b's notes\n", at(1));
    writeFile(b.home, 'skills/gamma/SKILL.md', 'gamma\n', at(1));
    expect((await run(b)).exitCode).toBe(0);
    expect((await run(a)).exitCode).toBe(0);
    rmSync(join(a.home, linked));
    symlinkSync(writeFile(tempDir(), 'elsewhere.md', 'not ours\n'), join(a.home, linked));
    // b deletes the file; the cloud client shows b's record on a before the deletion itself.
    rmSync(join(b.home, linked));
    expect((await run(b)).exitCode).toBe(0);
    expect(existsSync(join(b.cloud, linked))).toBe(false);
    writeFile(b.cloud, linked, "b's notes\n", at(1));
    // a lists the file as the cloud still holds it; then the deletion arrives.
    expect((await run(a)).exitCode).toBe(0);
    expect(Object.keys(recordOf('a'))).toContain(linked);
    rmSync(join(b.cloud, linked));

    // a's next run takes it out of its record, and b, which deleted it, does not wait for it.
    expect((await run(a)).exitCode).toBe(0);
    expect(Object.keys(recordOf('a'))).not.toContain(linked);
    const last = await run(b);
    expect(last.exitCode, last.text).toBe(0);
    expect([existsSync(join(b.home, linked)), existsSync(join(b.cloud, linked)), lstatSync(join(a.home, linked)).isSymbolicLink()]).toEqual([false, false, true]);
  });

  it('a folder holding nothing but a link, where the other machine hands off a file of that name: unknown here, never a failed write', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    writeFile(b.home, 'skills/gamma/SKILL.md', 'gamma\n', at(1));
    mkdirSync(join(b.home, 'skills/gamma/refs'));
    symlinkSync(writeFile(tempDir(), 'elsewhere.md', 'not ours\n'), join(b.home, 'skills/gamma/refs/a.md'));
    writeFile(a.home, 'skills/gamma/refs', 'refs, a file on a\n', at(2));
    expect((await run(a)).exitCode).toBe(0);
    const result = await run(b);
    expect(result.exitCode, result.text).toBe(0);
    expect(result.plan.unknown).toEqual(['skills/gamma/refs']);
    expect(result.apply?.failures ?? []).toEqual([]);
    expect(lstatSync(join(b.home, 'skills/gamma/refs/a.md')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(b.cloud, 'skills/gamma/SKILL.md'), 'utf8')).toBe('gamma\n');
    expect((await run(a)).exitCode).toBe(0);
    expect(readFileSync(join(a.home, 'skills/gamma/SKILL.md'), 'utf8')).toBe('gamma\n');
  });
});
