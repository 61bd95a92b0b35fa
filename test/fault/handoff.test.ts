import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { listTree } from '../scenarios/runner.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

/** Two machines on one cloud folder, as in a real handoff. */
function twoMachines(extra = ''): { a: Workspace; b: Workspace } {
  const dir = tempDir();
  return { a: workspace(dir, { machine: 'a', extra }), b: workspace(dir, { machine: 'b', extra }) };
}

const sync = (ws: Workspace, ...args: string[]) => runCli(['-c', ws.config, 'sync', '--apply', ...args], { cwd: ws.dir });
const noTemps = (root: string): string[] => [...listTree(root).keys()].filter((p) => p.split('/').pop()?.startsWith('.codexsync-') === true);

describe('the handoff record', () => {
  it('is written last by the pushing machine, with size and SHA-256 of every file it handed off', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    writeFile(a.home, 'history.jsonl', '{"ts":1,"text":"hi"}\n');
    expect((await sync(a)).code).toBe(0);
    const record = JSON.parse(readFileSync(join(a.cloud, '.codexsync', 'handoff-a.json'), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({
      format: 'codexsync-handoff',
      version: 1,
      machineId: 'a',
      sequence: 1,
      files: {
        'history.jsonl': { size: 21, sha256: createHash('sha256').update('{"ts":1,"text":"hi"}\n').digest('hex') },
        'skills/x/SKILL.md': { size: 2, sha256: createHash('sha256').update('x\n').digest('hex') },
      },
    });
    expect(typeof record.codexsync).toBe('string');
  });

  it('a half-propagated cloud folder (files missing or truncated): nothing is pulled, exit 5, plan and doctor say what is pending', async () => {
    const { a, b } = twoMachines();
    for (const name of ['one', 'two', 'three']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name} ${'x'.repeat(100)}\n`);
    expect((await sync(a)).code).toBe(0);
    writeFile(b.home, 'skills/mine/SKILL.md', 'b\n');
    const bBefore = listTree(b.home);
    // The cloud client has delivered only part of a's handoff to this machine.
    const { rmSync } = await import('node:fs');
    rmSync(join(b.cloud, 'skills/two/SKILL.md'));
    truncateSync(join(b.cloud, 'skills/three/SKILL.md'), 10);

    const plan = await runCli(['-c', b.config, 'plan'], { cwd: b.dir });
    expect(plan.stdout).toContain('Waiting for 2 files from a (the cloud folder has not finished syncing):');
    const result = await sync(b);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('codexsync: the cloud folder has not finished syncing from a (2 files pending): nothing was changed');
    expect(listTree(b.home)).toEqual(bBefore);
    expect(noTemps(b.home)).toEqual([]);
    const doctor = await runCli(['-c', b.config, 'doctor'], { cwd: b.dir });
    expect(doctor.stdout).toContain('[WARN] handoff: waiting for 2 files from a: the cloud folder has not finished syncing');
  });

  it('same size, other bytes: caught by the hash while copying; no file of the handoff is taken', async () => {
    const { a, b } = twoMachines();
    for (const name of ['one', 'two', 'three']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name} version 1\n`);
    expect((await sync(a)).code).toBe(0);
    writeFileSync(join(b.cloud, 'skills/two/SKILL.md'), Buffer.alloc(readFileSync(join(b.cloud, 'skills/two/SKILL.md')).length));
    const result = await sync(b);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('the cloud folder has not finished syncing from a (1 file pending: skills/two/SKILL.md): nothing in the Codex home was changed');
    expect([...listTree(b.home).keys()]).toEqual([]);
    expect(noTemps(b.home)).toEqual([]);
  });

  it("a listed file arrives exactly: bytes equal to this machine's own copy (the part that arrived so far) are not it", async () => {
    const { a, b } = twoMachines();
    const first = '{"id":"019a0001-0000-7000-8000-000000000001","thread_name":"one"}\n';
    const both = `${first}{"id":"019a0002-0000-7000-8000-000000000002","thread_name":"two"}\n`;
    writeFile(a.home, 'session_index.jsonl', first);
    expect((await sync(a)).code).toBe(0);
    expect((await sync(b)).code).toBe(0);
    writeFile(b.home, 'session_index.jsonl', both, new Date('2026-03-01T00:00:00Z'));
    expect((await sync(b)).code).toBe(0);
    // The cloud client on a is writing the new version in place: so far its first line, a's own bytes.
    writeFile(a.cloud, 'session_index.jsonl', first, new Date('2026-03-01T00:00:00Z'));
    const waits = await sync(a);
    expect(waits.code).toBe(5);
    expect(waits.stderr).toContain('codexsync: the cloud folder has not finished syncing from b (1 file pending): nothing was changed');
    expect(JSON.parse(readFileSync(join(a.cloud, '.codexsync', 'handoff-b.json'), 'utf8'))).toMatchObject({ sequence: 2 });
    expect(existsSync(join(a.cloud, '.codexsync', 'handoff-a.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(a.cloud, '.codexsync', 'handoff-a.json'), 'utf8'))).toMatchObject({ sequence: 1 });
    writeFile(a.cloud, 'session_index.jsonl', both, new Date('2026-03-01T00:00:00Z'));
    expect((await sync(a)).code).toBe(0);
    expect(readFileSync(join(a.home, 'session_index.jsonl'), 'utf8')).toBe(both);
    expect((await sync(b)).code).toBe(0);
    expect((await sync(b)).stdout).toContain('Already in sync.');
  });

  it('a file the record lists but the cloud lacks is "not arrived yet", never "deleted"', async () => {
    const { a, b } = twoMachines('[sync]\ndelete_policy = "propagate"\n');
    for (const name of ['one', 'two', 'three', 'four']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name}\n`);
    expect((await sync(a)).code).toBe(0);
    expect((await sync(b)).code).toBe(0);
    writeFile(a.home, 'skills/one/SKILL.md', 'one, edited\n', new Date('2026-03-01T00:00:00Z'));
    expect((await sync(a)).code).toBe(0);
    const { rmSync } = await import('node:fs');
    rmSync(join(b.cloud, 'skills/four/SKILL.md')); // still on its way to this machine
    const result = await sync(b);
    expect(result.code).toBe(5);
    expect(readFileSync(join(b.home, 'skills/four/SKILL.md'), 'utf8')).toBe('four\n');
    const forced = await sync(b, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(join(b.home, 'skills/one/SKILL.md'), 'utf8')).toBe('one, edited\n');
  });
});

describe('the lock', () => {
  it('two runs at once: one proceeds, the other exits 5 naming the holder; no file is written twice', async () => {
    const { a } = twoMachines();
    for (let i = 0; i < 40; i += 1) writeFile(a.home, `skills/s${i}/SKILL.md`, `skill ${i}\n`);
    const slow = runCli(['-c', a.config, 'sync', '--apply'], { cwd: a.dir, env: { CODEXSYNC_TEST_PAUSE_MS: '400' } });
    const lock = join(a.cloud, '.codexsync', 'lock.json');
    // The lock appears, then its content: wait until it reads whole.
    let holder: { pid: number } | undefined;
    for (let i = 0; i < 400 && holder === undefined; i += 1) {
      try {
        holder = JSON.parse(readFileSync(lock, 'utf8')) as { pid: number };
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    if (holder === undefined) throw new Error('the first run never took the lock');
    const second = await sync(a);
    expect(second.code).toBe(5);
    expect(second.stderr).toContain(`codexsync: another codexsync run holds the lock: machine a (`);
    expect(second.stderr).toContain(`PID ${holder.pid}, since `);
    const first = await slow;
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Done: 40 changes');
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(a.backups)).toBe(false); // nothing was overwritten, by either run
  });

  it('a stale lock (expired, or its process gone on this machine) is taken over with a warning', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    const lock = join(a.cloud, '.codexsync', 'lock.json');
    const { hostname } = await import('node:os');
    writeFile(a.cloud, '.codexsync/lock.json', JSON.stringify({ machineId: 'b', host: 'other', pid: 1, token: 't', startedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:02:00.000Z' }));
    const expired = await sync(a);
    expect(expired.code).toBe(0);
    expect(expired.stderr).toContain('took over a stale lock of b (PID 1, since 2026-01-01T00:00:00.000Z): it expired at 2026-01-01T00:02:00.000Z');
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    writeFile(a.cloud, '.codexsync/lock.json', JSON.stringify({ machineId: 'a', host: hostname(), pid: 2 ** 22 + 17, token: 't', startedAt, expiresAt: future }));
    writeFile(a.home, 'skills/y/SKILL.md', 'y\n');
    const gone = await sync(a);
    expect(gone.code).toBe(0);
    expect(gone.stderr).toContain(`took over a stale lock of a (PID ${2 ** 22 + 17}, since ${startedAt}): its process is gone`);
    expect(existsSync(lock)).toBe(false);
  });

  it('a live lock of another machine is exit 5', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    // Started an hour ago and renewed a moment ago, as a long run on the other machine would be.
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    const future = new Date(Date.now() + 100_000).toISOString();
    writeFile(a.cloud, '.codexsync/lock.json', JSON.stringify({ machineId: 'desk', host: 'desk.local', pid: 4242, token: 't', startedAt, expiresAt: future }));
    const result = await sync(a);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`another codexsync run holds the lock: machine desk (desk.local), PID 4242, since ${startedAt}`);
    expect(existsSync(join(a.cloud, 'skills'))).toBe(false);
  });

  it('a lock of another machine that would never expire is taken over with a warning', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    writeFile(a.cloud, '.codexsync/lock.json', JSON.stringify({ machineId: 'desk', host: 'desk.local', pid: 4242, token: 't', startedAt, expiresAt: '2999-01-01T00:00:00.000Z' }));
    const result = await sync(a);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`took over a stale lock of desk (PID 4242, since ${startedAt}): it claims to hold until 2999-01-01T00:00:00.000Z, further ahead than any run renews it`);
    expect(readFileSync(join(a.cloud, 'skills/x/SKILL.md'), 'utf8')).toBe('x\n');
    expect(existsSync(join(a.cloud, '.codexsync', 'lock.json'))).toBe(false);
  });

  it('a folder, or a file that is no lock, at the lock path is exit 5 in one line saying to remove it; nothing is written', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    const lock = join(a.cloud, '.codexsync', 'lock.json');
    mkdirSync(lock, { recursive: true });
    const folder = await sync(a);
    expect([folder.code, folder.stderr]).toEqual([5, `codexsync: the lock ${lock} is a folder, not a lock file: nothing was changed; remove that folder and run again\n`]);
    rmdirSync(lock);
    writeFileSync(lock, 'not a lock\n');
    const garbage = await sync(a);
    expect([garbage.code, garbage.stderr]).toEqual([5, `codexsync: the lock ${lock} is not a codexsync lock: nothing was changed; remove that file and run again\n`]);
    expect(readFileSync(lock, 'utf8')).toBe('not a lock\n');
    expect(existsSync(join(a.cloud, 'skills'))).toBe(false);
  });

  it("a run with nothing to do removes this machine's stale lock (its process gone), with a log line", async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x\n');
    expect((await sync(a)).code).toBe(0);
    const { hostname } = await import('node:os');
    const { spawn } = await import('node:child_process');
    const ended = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => ended.on('exit', resolve));
    const startedAt = new Date(Date.now() - 60_000).toISOString();
    const lock = writeFile(
      a.cloud,
      '.codexsync/lock.json',
      JSON.stringify({ machineId: 'a', host: hostname(), pid: ended.pid, token: 't', startedAt, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const result = await sync(a);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Already in sync.');
    const line = `removed a stale lock this machine left (PID ${ended.pid}, since ${startedAt}): its process is gone`;
    expect(result.stderr).toContain(line);
    expect(existsSync(lock)).toBe(false);
    const logs = readdirSync(join(a.dir, 'logs')).map((name) => readFileSync(join(a.dir, 'logs', name), 'utf8'));
    expect(logs.some((text) => text.includes(line))).toBe(true);
  });
});

describe("cloud clients' conflict copies", () => {
  it('are listed with their client and stop the run (exit 2) instead of being synced as ordinary files', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'history.jsonl', '{"ts":1,"text":"one"}\n');
    writeFile(a.home, 'skills/review/SKILL.md', 'review\n');
    writeFile(a.home, 'skills/review/notes.md', 'notes\n');
    expect((await sync(a)).code).toBe(0);
    const copies = [
      ["history (Bob's conflicted copy 2026-11-25).jsonl", 'Dropbox', 'history.jsonl'],
      ['history.sync-conflict-20261125-101010-ABCDEFG.jsonl', 'Syncthing', 'history.jsonl'],
      ['skills/review/SKILL-DESKTOP-7Q2P.md', 'OneDrive', 'skills/review/SKILL.md'],
      ['skills/review/SKILL (1).md', 'Google Drive', 'skills/review/SKILL.md'],
      ['skills/review/notes 2.md', 'iCloud', 'skills/review/notes.md'],
    ];
    for (const [path] of copies) writeFile(a.cloud, path as string, 'copy\n');
    const result = await sync(a);
    expect(result.code).toBe(2);
    for (const [path, client, original] of copies) expect(result.stdout).toContain(`  ${path} (${client}, a copy of ${original})`);
    expect(result.stdout).toContain('Stopped: 5 conflict copies to settle. Nothing was written.');
    expect(existsSync(join(a.home, 'skills/review/SKILL (1).md'))).toBe(false);
  });

  it('--merge-conflict-copies folds JSONL copies into their originals, backed up, and both sides end identical', async () => {
    const { a } = twoMachines();
    writeFile(a.home, 'history.jsonl', '{"ts":1,"text":"one"}\n');
    expect((await sync(a)).code).toBe(0);
    writeFile(a.cloud, "history (Bob's conflicted copy 2026-11-25).jsonl", '{"ts":1,"text":"one"}\n{"ts":2,"text":"two from bob"}\n');
    expect((await sync(a)).code).toBe(2);
    const merged = await sync(a, '--merge-conflict-copies');
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    const expected = '{"ts":1,"text":"one"}\n{"ts":2,"text":"two from bob"}\n';
    expect(readFileSync(join(a.home, 'history.jsonl'), 'utf8')).toBe(expected);
    expect(readFileSync(join(a.cloud, 'history.jsonl'), 'utf8')).toBe(expected);
    expect(existsSync(join(a.cloud, "history (Bob's conflicted copy 2026-11-25).jsonl"))).toBe(false);
    const snapshot = readdirSync(a.backups)[0] as string;
    expect(readFileSync(join(a.backups, snapshot, 'cloud', "history (Bob's conflicted copy 2026-11-25).jsonl"), 'utf8')).toBe(expected);
  });
});

describe("the user's own files named like conflict copies", () => {
  it('a file of a handoff record is not a conflict copy: the second machine\'s first sync takes "notes (1).txt" beside "notes.txt"', async () => {
    const { a, b } = twoMachines();
    const names = ['notes.txt', 'notes (1).txt', 'notes - Copy.txt', 'notes - Copy (2).txt', 'notes 2.txt'];
    for (const name of names) writeFile(a.home, `skills/review/${name}`, `${name}\n`);
    expect((await sync(a)).code).toBe(0);
    // Before, b took them for Google Drive's and iCloud's conflict copies and stopped every run with exit 2.
    const result = await sync(b);
    expect(result.code, result.stdout).toBe(0);
    for (const name of names) expect(readFileSync(join(b.home, 'skills/review', name), 'utf8')).toBe(`${name}\n`);
    expect((await sync(b)).stdout).toContain('Already in sync.');
  });

  it('a file this machine has under the same name is not a conflict copy either (no record yet, as after 0.1.2)', async () => {
    const { b } = twoMachines();
    for (const root of [b.home, b.cloud]) {
      writeFile(root, 'skills/review/notes.txt', 'notes\n');
      writeFile(root, 'skills/review/notes (1).txt', 'my own second notes\n');
    }
    const result = await sync(b);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('Conflict copies');
    expect(readFileSync(join(b.cloud, 'skills/review/notes (1).txt'), 'utf8')).toBe('my own second notes\n');
  });

  it("a copy only the cloud has, that no record lists and this machine never synced, is still the cloud client's", async () => {
    const { a, b } = twoMachines();
    writeFile(a.home, 'skills/review/notes.txt', 'notes\n');
    expect((await sync(a)).code).toBe(0);
    writeFile(a.cloud, 'skills/review/notes (1).txt', 'the other version\n');
    const result = await sync(b);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('  skills/review/notes (1).txt (Google Drive, a copy of skills/review/notes.txt)');
    expect(existsSync(join(b.home, 'skills/review'))).toBe(false);
  });
});

describe('clock skew', () => {
  it("doctor warns when another machine recorded a handoff in this machine's future", async () => {
    const { a } = twoMachines();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    writeFile(a.cloud, '.codexsync/handoff-desk.json', JSON.stringify({ format: 'codexsync-handoff', version: 1, machineId: 'desk', createdAt: future, sequence: 1, codexsync: '0.2.0', files: {} }));
    const result = await runCli(['-c', a.config, 'doctor'], { cwd: a.dir });
    expect(result.stdout).toMatch(/\[WARN\] clock: desk recorded a handoff 3\d{3} s in this machine's future: one of the two clocks is off/);
  });
});

describe('a run interrupted between its last file and its handoff record', () => {
  it('the next run writes the record (and removes the temp file), so the other machine does not wait forever', async () => {
    const { a, b } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x version 1\n');
    expect((await sync(a)).code).toBe(0);
    expect((await sync(b)).code).toBe(0);
    // a pushes a same-size edit, then "crashes" before its record: the old record and a temp file remain.
    const recordPath = join(a.cloud, '.codexsync', 'handoff-a.json');
    const oldRecord = readFileSync(recordPath, 'utf8');
    writeFile(a.home, 'skills/x/SKILL.md', 'x version 2\n', new Date('2026-03-01T00:00:00Z'));
    expect((await sync(a)).code).toBe(0);
    writeFileSync(recordPath, oldRecord);
    writeFile(a.cloud, '.codexsync/.codexsync-handoff-a.json.dead.tmp', '{"half');
    // b would find version 2 not matching the (old) record by hash: it waits.
    expect((await sync(b)).code).toBe(5);
    const again = await sync(a);
    expect(again.code).toBe(0);
    expect(existsSync(join(a.cloud, '.codexsync', '.codexsync-handoff-a.json.dead.tmp'))).toBe(false);
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { files: Record<string, { sha256: string }> };
    expect(record.files['skills/x/SKILL.md']?.sha256).toBe(createHash('sha256').update('x version 2\n').digest('hex'));
    expect((await sync(b)).code).toBe(0);
    expect(readFileSync(join(b.home, 'skills/x/SKILL.md'), 'utf8')).toBe('x version 2\n');
    expect((await sync(a)).stdout).toContain('Already in sync.');
  });

  it("after taking another machine's handoff in full and pushing over one of its files, the next run does not wait for that handoff again", async () => {
    const { a, b } = twoMachines();
    writeFile(a.home, 'skills/x/SKILL.md', 'x from a\n');
    expect((await sync(a)).code).toBe(0);
    expect((await sync(b)).code).toBe(0);
    writeFile(a.home, 'skills/z/SKILL.md', 'z from a\n');
    expect((await sync(a)).code).toBe(0);
    // b takes z and pushes its edit of x, then stops after saving its base, before its record.
    writeFile(b.home, 'skills/x/SKILL.md', 'x, edited on b\n', new Date('2026-03-01T00:00:00Z'));
    expect((await sync(b)).code).toBe(0);
    rmSync(join(b.cloud, '.codexsync', 'handoff-b.json'));
    const again = await sync(b);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(b.cloud, '.codexsync', 'handoff-b.json'), 'utf8'))).toMatchObject({ sequence: 3 });
    expect((await sync(a)).code).toBe(0);
    expect(readFileSync(join(a.home, 'skills/x/SKILL.md'), 'utf8')).toBe('x, edited on b\n');
  });
});
