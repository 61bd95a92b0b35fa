import { existsSync, readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../helpers/cli.ts';
import { inNamespace, marker } from '../helpers/namespace.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile } from '../helpers/workspace.ts';
import { listTree } from '../scenarios/runner.ts';

const node = process.execPath;
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** One CLI run inside a namespace script, printing NAME=<exit code>. */
const run = (config: string, name: string, args = 'sync --apply'): string => `set +e; ${q(node)} ${q(cliPath)} -c ${q(config)} ${args}; echo "${name}=$?"; set -e`;
const tree = (root: string, name: string): string => `echo "${name}=$(cd ${q(root)} && find . -type f ! -path './.codexsync/*' -printf '%P:%s,' | tr -d '\\n')"`;

describe('a full disk (a 256 KB tmpfs as the cloud folder)', () => {
  it('stops with a clear error (exit 1), leaves no partial or temp file, and the next run recovers', () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    writeFile(ws.home, 'skills/b/big.bin', Buffer.alloc(600 * 1024, 7));
    writeFile(ws.home, 'skills/c/SKILL.md', 'c\n');
    mkdirSync(ws.cloud, { recursive: true });
    const out = inNamespace(`
      mount -t tmpfs -o size=256k tmpfs ${q(ws.cloud)}
      ${run(ws.config, 'FIRST')}
      ${tree(ws.cloud, 'AFTER_FIRST')}
      mount -o remount,size=4m ${q(ws.cloud)}
      ${run(ws.config, 'SECOND')}
      ${tree(ws.cloud, 'AFTER_SECOND')}
    `);
    expect(out.code, out.stderr).toBe(0);
    expect(marker(out.stdout, 'FIRST')).toBe('1');
    // Files are written a few at a time: whichever finds the disk full first is named.
    expect(out.stderr).toMatch(
      /codexsync: the disk is full while writing skills\/(a\/SKILL\.md|b\/big\.bin|c\/SKILL\.md): every file is either its old or its new version; free some space and run again/,
    );
    // Whatever fitted is complete; what did not is absent, never partial (files are written a few at a time).
    const first =
      marker(out.stdout, 'AFTER_FIRST')
        ?.split(',')
        .filter((f) => f !== '') ?? [];
    expect(first.every((f) => ['skills/a/SKILL.md:2', 'skills/c/SKILL.md:2'].includes(f))).toBe(true);
    expect(marker(out.stdout, 'SECOND')).toBe('0');
    expect(marker(out.stdout, 'AFTER_SECOND')?.split(',').sort()).toEqual(['', 'skills/a/SKILL.md:2', `skills/b/big.bin:${600 * 1024}`, 'skills/c/SKILL.md:2']);
    expect(readFileSync(join(ws.home, 'skills/b/big.bin')).length).toBe(600 * 1024);
  });
});

describe('a read-only destination', () => {
  it('a read-only Codex home: nothing is pulled, a clear error (exit 1); the next run after it is writable again recovers', () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    writeFile(a.home, 'skills/a/SKILL.md', 'a\n');
    writeFile(a.home, 'skills/b/SKILL.md', 'b\n');
    writeFile(b.home, 'history.jsonl', '{"ts":1}\n');
    expect(inNamespace(`${run(a.config, 'PUSH')}`).stdout).toContain('PUSH=0');
    const out = inNamespace(`
      mount -t tmpfs tmpfs ${q(b.home)}
      printf '{"ts":1}\\n' > ${q(join(b.home, 'history.jsonl'))}
      mount -o remount,ro ${q(b.home)}
      ${run(b.config, 'FIRST')}
      ${tree(b.home, 'AFTER_FIRST')}
      mount -o remount,rw ${q(b.home)}
      ${run(b.config, 'SECOND')}
      ${tree(b.home, 'AFTER_SECOND')}
    `);
    expect(out.code, out.stderr).toBe(0);
    expect(marker(out.stdout, 'FIRST')).toBe('1');
    expect(out.stderr).toContain(`codexsync: cannot write into the Codex home ${b.home} (read-only file system): nothing was changed`);
    expect(marker(out.stdout, 'AFTER_FIRST')).toBe('history.jsonl:9,');
    expect(marker(out.stdout, 'SECOND')).toBe('0');
    expect(marker(out.stdout, 'AFTER_SECOND')?.split(',').sort()).toEqual(['', 'history.jsonl:9', 'skills/a/SKILL.md:2', 'skills/b/SKILL.md:2']);
  });

  it('a read-only cloud folder: exit 1 before any write, naming the folder', () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    mkdirSync(ws.cloud, { recursive: true });
    const out = inNamespace(`
      mount -t tmpfs -o ro tmpfs ${q(ws.cloud)}
      ${run(ws.config, 'FIRST')}
    `);
    expect(marker(out.stdout, 'FIRST')).toBe('1');
    expect(out.stderr).toContain(`codexsync: cannot write in the cloud folder ${ws.cloud} (read-only file system): nothing was changed`);
  });
});

describe('a file that cannot be replaced (bind-mounted read-only, like a file locked by another program)', () => {
  it('is reported, the others are synced, nothing is lost, and the next run finishes', () => {
    const ws = workspace(tempDir());
    for (const name of ['a', 'b', 'c']) writeFile(ws.home, `skills/${name}/SKILL.md`, `${name} 1\n`);
    const out = inNamespace(`
      ${run(ws.config, 'INITIAL')}
      for n in a b c; do printf '%s 2, edited\\n' $n > ${q(ws.home)}/skills/$n/SKILL.md; done
      mount --bind ${q(join(ws.cloud, 'skills/b/SKILL.md'))} ${q(join(ws.cloud, 'skills/b/SKILL.md'))}
      mount -o remount,ro,bind ${q(join(ws.cloud, 'skills/b/SKILL.md'))}
      ${run(ws.config, 'LOCKED')}
      echo "B_IN_CLOUD=$(cat ${q(join(ws.cloud, 'skills/b/SKILL.md'))})"
      umount ${q(join(ws.cloud, 'skills/b/SKILL.md'))}
      ${run(ws.config, 'AFTER')}
    `);
    expect(out.code, out.stderr).toBe(0);
    expect(marker(out.stdout, 'INITIAL')).toBe('0');
    expect(marker(out.stdout, 'LOCKED')).toBe('1');
    expect(out.stdout).toMatch(/Not done: skills\/b\/SKILL\.md: cannot write skills\/b\/SKILL\.md: (the file is in use|read-only file system)/);
    expect(marker(out.stdout, 'B_IN_CLOUD')).toBe('b 1');
    expect(marker(out.stdout, 'AFTER')).toBe('0');
    for (const name of ['a', 'b', 'c']) expect(readFileSync(join(ws.cloud, `skills/${name}/SKILL.md`), 'utf8')).toBe(`${name} 2, edited\n`);
    expect([...listTree(ws.cloud).keys()].filter((p) => p.includes('.codexsync-'))).toEqual([]);
  });
});

describe('a file that stays locked for many runs', () => {
  it('does not hold back the rest of the handoff: the record answers for what was handed off, never for the locked file', () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    for (const name of ['a', 'b', 'c']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name} 1\n`);
    const locked = q(join(a.cloud, 'skills/b/SKILL.md'));
    const bFile = (name: string): string => `echo "B_${name.toUpperCase()}=$(cat ${q(join(b.home, `skills/${name}/SKILL.md`))})"`;
    const out = inNamespace(`
      ${run(a.config, 'A_INITIAL')}
      ${run(b.config, 'B_INITIAL')}
      for n in a b c; do printf '%s 2, edited\\n' $n > ${q(a.home)}/skills/$n/SKILL.md; done
      mount --bind ${locked} ${locked}
      mount -o remount,ro,bind ${locked}
      ${run(a.config, 'A_LOCKED')}
      ${run(b.config, 'B_WHILE_LOCKED')}
      ${bFile('a')}; ${bFile('b')}; ${bFile('c')}
      umount ${locked}
      ${run(a.config, 'A_AFTER')}
      ${run(b.config, 'B_AFTER')}
      echo "B_B_AFTER=$(cat ${q(join(b.home, 'skills/b/SKILL.md'))})"
    `);
    expect(out.code, out.stderr).toBe(0);
    expect([marker(out.stdout, 'A_INITIAL'), marker(out.stdout, 'B_INITIAL')]).toEqual(['0', '0']);
    expect(marker(out.stdout, 'A_LOCKED')).toBe('1');
    expect(out.stdout).toMatch(/Not done: skills\/b\/SKILL\.md: cannot write skills\/b\/SKILL\.md: (the file is in use|read-only file system)/);
    // b takes what a did hand off; the locked file stays as both had it.
    expect(marker(out.stdout, 'B_WHILE_LOCKED')).toBe('0');
    expect([marker(out.stdout, 'B_A'), marker(out.stdout, 'B_B'), marker(out.stdout, 'B_C')]).toEqual(['a 2, edited', 'b 1', 'c 2, edited']);
    expect([marker(out.stdout, 'A_AFTER'), marker(out.stdout, 'B_AFTER')]).toEqual(['0', '0']);
    expect(marker(out.stdout, 'B_B_AFTER')).toBe('b 2, edited');
  });
  it('a pull that keeps failing is not in the record: the other machine never waits for a version the record would wrongly name', () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    for (const name of ['a', 'b']) writeFile(a.home, `skills/${name}/SKILL.md`, `${name} 1\n`);
    const locked = q(join(b.home, 'skills/b/SKILL.md'));
    const out = inNamespace(`
      ${run(a.config, 'A_INITIAL')}
      ${run(b.config, 'B_INITIAL')}
      for n in a b; do printf '%s 2, edited\\n' $n > ${q(a.home)}/skills/$n/SKILL.md; done
      ${run(a.config, 'A_PUSH')}
      mount --bind ${locked} ${locked}
      mount -o remount,ro,bind ${locked}
      ${run(b.config, 'B_LOCKED')}
      echo "B_A=$(cat ${q(join(b.home, 'skills/a/SKILL.md'))})"
      printf 'a 3, edited again\\n' > ${q(a.home)}/skills/a/SKILL.md
      ${run(a.config, 'A_NEXT')}
      umount ${locked}
      ${run(b.config, 'B_AFTER')}
      echo "B_B=$(cat ${q(join(b.home, 'skills/b/SKILL.md'))})"
    `);
    expect(out.code, out.stderr).toBe(0);
    expect([marker(out.stdout, 'A_INITIAL'), marker(out.stdout, 'B_INITIAL'), marker(out.stdout, 'A_PUSH')]).toEqual(['0', '0', '0']);
    expect(marker(out.stdout, 'B_LOCKED')).toBe('1');
    expect(marker(out.stdout, 'B_A')).toBe('a 2, edited');
    // No record of b names "b 1" for skills/b, which the cloud no longer holds: a does not wait for it.
    expect(marker(out.stdout, 'A_NEXT')).toBe('0');
    expect(marker(out.stdout, 'B_AFTER')).toBe('0');
    expect(marker(out.stdout, 'B_B')).toBe('b 2, edited');
  });
});

describe('a file that vanishes mid-run', () => {
  it('is reported (exit 1), the rest is synced, and the next run is clean', async () => {
    const ws = workspace(tempDir());
    const names = Array.from({ length: 24 }, (_v, i) => `skills/s${String(i).padStart(2, '0')}/SKILL.md`);
    for (const name of names) writeFile(ws.home, name, `${name}\n`);
    const running = runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: { CODEXSYNC_TEST_PAUSE_MS: '300' } });
    const lock = join(ws.cloud, '.codexsync', 'lock.json');
    for (let i = 0; i < 200 && !existsSync(lock); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    rmSync(join(ws.home, 'skills/s23/SKILL.md')); // the last one: files are copied a few at a time, in order
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Not done: skills/s23/SKILL.md: cannot write skills/s23/SKILL.md: it disappeared');
    expect([...listTree(ws.cloud).keys()].filter((p) => !p.startsWith('.codexsync/')).sort()).toEqual(names.slice(0, -1));
    // The failed run's record left out only the vanished file: the next run is clean, then all is quiet.
    expect((await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir })).code).toBe(0);
    const again = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Already in sync.');
  });
});

describe('Ctrl-C during an apply', () => {
  it('stops between files (exit 5): every file whole, and the next run does the rest', async () => {
    const ws = workspace(tempDir());
    const names = Array.from({ length: 40 }, (_v, i) => `skills/s${String(i).padStart(2, '0')}/SKILL.md`);
    for (const name of names) writeFile(ws.home, name, `${name}\n`);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cliPath, '-c', ws.config, 'sync', '--apply'], { cwd: ws.dir, env: { ...process.env, CODEXSYNC_TEST_PAUSE_MS: '300' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const lock = join(ws.cloud, '.codexsync', 'lock.json');
    for (let i = 0; i < 200 && !existsSync(lock); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(5);
    expect(stdout).toMatch(/Stopped on request after \d+ changes: every file is either its old or its new version; the next sync does the rest\./);
    const copied = [...listTree(ws.cloud).keys()].filter((p) => !p.startsWith('.codexsync/'));
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.length).toBeLessThan(names.length);
    for (const path of copied) expect(readFileSync(join(ws.cloud, path), 'utf8')).toBe(`${path}\n`);
    expect(existsSync(lock)).toBe(false);
    const again = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(again.code).toBe(0);
    expect([...listTree(ws.cloud).keys()].filter((p) => !p.startsWith('.codexsync/')).sort()).toEqual(names);
  });
});

describe('bad names', () => {
  it('a name that is not valid UTF-8 is reported and left alone; the rest syncs', async () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(Buffer.concat([Buffer.from(join(ws.home, 'skills/a/')), Buffer.from([0x6e, 0xff, 0xfe, 0x2e, 0x6d, 0x64])]), 'bytes\n');
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Note: skills/a/n\\xff\\xfe.md (Codex home): name is not valid UTF-8, not synced');
    expect([...listTree(ws.cloud).keys()].filter((p) => !p.startsWith('.codexsync/'))).toEqual(['skills/a/SKILL.md']);
  });

  it('very long paths and names sync (temp names stay short)', async () => {
    const ws = workspace(tempDir());
    const deep = Array.from({ length: 12 }, (_v, i) => `${String(i).padStart(2, '0')}-${'d'.repeat(200)}`).join('/');
    const longName = `${'n'.repeat(240)}.md`;
    writeFile(ws.home, `skills/${deep}/${longName}`, 'deep\n');
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(ws.cloud, 'skills', ...deep.split('/'), longName), 'utf8')).toBe('deep\n');
  });

  it('names that differ only in case are a conflict (exit 2): a case-insensitive folder could hold only one', async () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/Review/SKILL.md', 'upper\n');
    writeFile(ws.home, 'skills/review/SKILL.md', 'lower\n');
    writeFile(ws.home, 'skills/other/SKILL.md', 'other\n');
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('  skills/Review/SKILL.md: another file has the same name but for upper/lower case; macOS and Windows folders can hold only one of them');
    expect(result.stdout).toContain('  skills/review/SKILL.md: another file has the same name');
    expect(existsSync(ws.cloud)).toBe(false);
  });

  it('symlinks are never followed: not synced out of the tree, never written through', async () => {
    const ws = workspace(tempDir());
    const outside = tempDir();
    writeFile(outside, 'secret.txt', 'outside the tree\n');
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    symlinkSync(outside, join(ws.home, 'skills/linked-dir'));
    symlinkSync(join(outside, 'secret.txt'), join(ws.home, 'skills/a/linked-file.md'));
    const result = await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Note: skills/linked-dir (Codex home): symlink, not synced');
    expect(result.stdout).toContain('Note: skills/a/linked-file.md (Codex home): symlink, not synced');
    expect([...listTree(ws.cloud).keys()].filter((p) => !p.startsWith('.codexsync/'))).toEqual(['skills/a/SKILL.md']);

    // A folder of the cloud mirror replaced by a link to elsewhere: what is below it is unknown
    // there, so nothing is written through it (nor deleted here).
    rmSync(join(ws.cloud, 'skills'), { recursive: true });
    symlinkSync(outside, join(ws.cloud, 'skills'));
    writeFile(ws.home, 'skills/b/SKILL.md', 'b\n');
    const through = await runCli(['-c', ws.config, 'sync', '--apply', '--force'], { cwd: ws.dir });
    expect(through.code).toBe(0);
    expect(through.stdout).toContain('Note: skills (cloud): symlink, not synced; 2 files there are left as they are on both sides');
    expect(existsSync(join(outside, 'b'))).toBe(false);
    expect(existsSync(join(outside, 'a'))).toBe(false);
    expect(existsSync(join(ws.home, 'skills/a/SKILL.md'))).toBe(true);
  });
});
