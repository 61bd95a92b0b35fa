import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncReport } from '../../../src/cli/print/reports.ts';
import { sync, type EngineContext, type SyncResult } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { engineContext, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const noAnswer = { confirmTermination: async () => false };
const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));
const read = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');
const synced = (root: string): string[] => [...listTree(root).keys()].filter((path) => !path.startsWith('.codexsync/')).sort();
const snapshotFiles = (ws: Workspace, name: string): Map<string, string> =>
  new Map([...listTree(join(ws.backups, name))].filter(([path]) => path !== 'manifest.jsonl').map(([path, bytes]) => [path, bytes.toString('utf8')]));

async function run(ws: Workspace, apply = true): Promise<SyncResult & { text: string }> {
  const ctx: EngineContext = engineContext(ws.config, noAnswer);
  try {
    const result = await sync(ctx, { apply });
    return { ...result, text: syncReport(result, { json: false, verbose: false, reportConflicts: true }).join('\n') };
  } finally {
    await ctx.log.close();
  }
}

/**
 * Two machines sharing one cloud folder, both holding `skills/x` as `shape` (a file, or a
 * folder with SKILL.md), beside two other skills (so that a type change stays under the
 * large-deletion guard's limit).
 */
async function twoMachines(shape: 'file' | 'folder', extra = ''): Promise<{ a: Workspace; b: Workspace }> {
  const dir = tempDir();
  const a = workspace(dir, { machine: 'a', extra });
  const b = workspace(dir, { machine: 'b', extra });
  writeFile(a.home, 'skills/one/SKILL.md', 'one\n', at(1));
  writeFile(a.home, 'skills/two/SKILL.md', 'two\n', at(1));
  if (shape === 'file') writeFile(a.home, 'skills/x', 'x as a file\n', at(1));
  else {
    writeFile(a.home, 'skills/x/SKILL.md', 'x as a folder\n', at(1));
    writeFile(a.home, 'skills/x/refs/one.md', 'a file in a folder of the folder\n', at(1));
  }
  expect((await run(a)).exitCode).toBe(0);
  expect((await run(b)).exitCode).toBe(0);
  return { a, b };
}

describe.each(['never', 'propagate'] as const)('a file or folder whose type changed on one machine (delete_policy = %s)', (policy) => {
  const extra = `[sync]\ndelete_policy = "${policy}"\n`;

  it('a file that became a folder: the other machine gets the folder, and its old file is in its snapshot', async () => {
    const { a, b } = await twoMachines('file', extra);
    rmSync(join(a.home, 'skills/x'));
    writeFile(a.home, 'skills/x/SKILL.md', 'x is a folder now\n', at(2));
    const pushed = await run(a);
    expect(pushed.exitCode, pushed.text).toBe(0);
    expect(pushed.text).toContain('  delete  cloud  skills/x  (12 B');
    expect(pushed.text).toContain('a folder of this name on this machine replaces it');
    expect(read(a.cloud, 'skills/x/SKILL.md')).toBe('x is a folder now\n');
    expect(snapshotFiles(a, pushed.snapshot as string).get('cloud/skills/x')).toBe('x as a file\n');

    const pulled = await run(b);
    expect(pulled.exitCode, pulled.text).toBe(0);
    expect(synced(b.home)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x/SKILL.md']);
    expect(read(b.home, 'skills/x/SKILL.md')).toBe('x is a folder now\n');
    expect(snapshotFiles(b, pulled.snapshot as string).get('local/skills/x')).toBe('x as a file\n');
    expect(
      synced(b.home)
        .concat(synced(b.cloud))
        .filter((path) => path.includes('.codexsync-')),
    ).toEqual([]);
    // Both machines are in sync afterwards; no later run fails.
    expect((await run(b)).status).toBe('in-sync');
    expect((await run(a)).status).toBe('in-sync');
  });

  it('a folder that became a file: its files are deleted with backups, the empty folder goes, the file takes its place', async () => {
    const { a, b } = await twoMachines('folder', extra);
    rmSync(join(a.home, 'skills/x'), { recursive: true });
    writeFile(a.home, 'skills/x', 'x is a file now\n', at(2));
    const pushed = await run(a);
    expect(pushed.exitCode, pushed.text).toBe(0);
    expect(pushed.text).toContain('  delete  cloud  skills/x/SKILL.md  (14 B');
    expect(pushed.text).toContain('a file on this machine replaces the folder it is in');
    expect(read(a.cloud, 'skills/x')).toBe('x is a file now\n');
    expect(snapshotFiles(a, pushed.snapshot as string).get('cloud/skills/x/SKILL.md')).toBe('x as a folder\n');
    expect(snapshotFiles(a, pushed.snapshot as string).get('cloud/skills/x/refs/one.md')).toBe('a file in a folder of the folder\n');

    const pulled = await run(b);
    expect(pulled.exitCode, pulled.text).toBe(0);
    expect(statSync(join(b.home, 'skills/x')).isFile()).toBe(true);
    expect(read(b.home, 'skills/x')).toBe('x is a file now\n');
    expect(snapshotFiles(b, pulled.snapshot as string).get('local/skills/x/SKILL.md')).toBe('x as a folder\n');
    expect(synced(b.home)).toEqual(['skills/one/SKILL.md', 'skills/two/SKILL.md', 'skills/x']);
    expect((await run(b)).status).toBe('in-sync');
    expect((await run(a)).status).toBe('in-sync');
  });
});

describe('a path that is a file on one side and a folder on the other, both changed', () => {
  it('is a type conflict (exit 2) naming the path; nothing is written, and no later run fails', async () => {
    const { a, b } = await twoMachines('file');
    rmSync(join(a.home, 'skills/x'));
    writeFile(a.home, 'skills/x/SKILL.md', 'a made it a folder\n', at(2));
    expect((await run(a)).exitCode).toBe(0);
    writeFile(b.home, 'skills/x', 'b edited the file\n', at(3));
    const before = [listTree(b.home), listTree(b.cloud)];
    const result = await run(b);
    expect(result.exitCode).toBe(2);
    expect(result.plan.conflicts).toMatchObject([{ path: 'skills/x', kind: 'type', cloud: undefined, below: ['skills/x/SKILL.md'] }]);
    expect(result.text).toContain('  skills/x: a file on this machine, a folder in the cloud (1 file below it)');
    expect(result.text).toContain('Stopped: 1 conflict to settle. Nothing was written.');
    expect([listTree(b.home), listTree(b.cloud)]).toEqual(before);
    // Settled by hand (b's file moved aside), the next run takes a's folder.
    rmSync(join(b.home, 'skills/x'));
    const after = await run(b);
    expect(after.exitCode, after.text).toBe(0);
    expect(read(b.home, 'skills/x/SKILL.md')).toBe('a made it a folder\n');
  });

  it('on a first sync (no base), a file here and a folder in the cloud is a type conflict too', async () => {
    const dir = tempDir();
    const a = workspace(dir, { machine: 'a' });
    const b = workspace(dir, { machine: 'b' });
    writeFile(a.home, 'skills/x/SKILL.md', 'folder on a\n', at(1));
    expect((await run(a)).exitCode).toBe(0);
    writeFile(b.home, 'skills/x', 'file on b\n', at(1));
    mkdirSync(join(b.home, 'skills/y'), { recursive: true });
    const result = await run(b);
    expect(result.exitCode).toBe(2);
    expect(result.text).toContain('  skills/x: a file on this machine, a folder in the cloud (1 file below it)');
    expect(existsSync(join(b.cloud, 'skills/x/SKILL.md'))).toBe(true);
    expect(read(b.home, 'skills/x')).toBe('file on b\n');
  });
});
