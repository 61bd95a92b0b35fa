import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotWriter } from '../../../src/core/backup/index.ts';
import { restore } from '../../../src/core/engine/index.ts';
import { listTree } from '../../scenarios/runner.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, writeFile, type Workspace } from '../../helpers/workspace.ts';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A machine whose snapshot holds the first version of `count` skills; the Codex home has their second version now. */
async function machineToRestore(count: number): Promise<{ ws: Workspace; snapshot: string; paths: string[] }> {
  const ws = workspace(tempDir());
  const paths = Array.from({ length: count }, (_v, i) => `skills/s${Math.floor(i / 40)}/r${i % 40}/SKILL.md`);
  for (const p of paths) writeFile(ws.home, p, `first ${p}\n`, new Date('2026-11-01T00:00:00Z'));
  const writer = new SnapshotWriter(ws.backups, { machineId: 'a', localRoot: ws.home, cloudRoot: ws.cloud }, new Date('2026-11-02T00:00:00Z'));
  for (const p of paths) await writer.add('local', ws.home, p, { size: statSync(join(ws.home, p)).size, mtimeMs: Date.parse('2026-11-01T00:00:00Z') }, 'overwrite');
  const snapshot = (await writer.finish('none')) as string;
  for (const p of paths) writeFile(ws.home, p, `second ${p}, longer\n`, new Date('2026-11-03T00:00:00Z'));
  return { ws, snapshot, paths };
}

/** The file lines of a snapshot's manifest: path -> sha256. */
function manifest(ws: Workspace, snapshot: string): Map<string, string> {
  const lines = readFileSync(join(ws.backups, snapshot, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string; path: string; sha256: string });
  return new Map(lines.filter((line) => line.type === 'file').map((line) => [line.path, line.sha256]));
}

describe('a restore writes its files in one pass', () => {
  it('more files than one batch: every file restored, every replaced version in the run snapshot and its manifest', async () => {
    const { ws, snapshot, paths } = await machineToRestore(1_001);
    const result = await withEngine(ws, (ctx) => restore(ctx, { from: snapshot, target: 'local', apply: true }));
    expect(result.exitCode).toBe(0);
    expect(result.report).toEqual({ restored: 1_001, failures: [] });
    const home = listTree(ws.home);
    expect([...home.keys()].sort()).toEqual([...paths].sort());
    for (const p of paths) expect(home.get(p)?.toString()).toBe(`first ${p}\n`);
    const backup = result.backup as string;
    const listed = manifest(ws, backup);
    expect(listed.size).toBe(1_001);
    for (const p of paths) {
      expect(readFileSync(join(ws.backups, backup, 'local', p), 'utf8')).toBe(`second ${p}, longer\n`);
      expect(listed.get(p)).toBe(sha256(`second ${p}, longer\n`));
    }
  });

  it('a stored copy whose bytes are not the ones its manifest names is not restored; the other files are, and no temp file is left', async () => {
    const { ws, snapshot, paths } = await machineToRestore(12);
    const damaged = paths[5] as string;
    writeFileSync(join(ws.backups, snapshot, 'local', damaged), `FIRST ${damaged}\n`);
    const result = await withEngine(ws, (ctx) => restore(ctx, { from: snapshot, target: 'local', apply: true }));
    expect(result.exitCode).toBe(5);
    expect(result.report).toEqual({ restored: 11, failures: [{ path: damaged, why: 'hash-mismatch', file: join(ws.backups, snapshot, 'local', damaged) }] });
    const home = listTree(ws.home);
    expect([...home.keys()].sort()).toEqual([...paths].sort());
    for (const p of paths) expect(home.get(p)?.toString()).toBe(p === damaged ? `second ${p}, longer\n` : `first ${p}\n`);
    // Only what was replaced is backed up.
    expect([...manifest(ws, result.backup as string).keys()].sort()).toEqual(paths.filter((p) => p !== damaged).sort());
  });
});
