import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotWriter } from '../../src/core/backup/index.ts';
import { random } from '../../bench/generate.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { workspace, writeFile, type Workspace } from '../helpers/workspace.ts';

const FILES = 24;
const paths = Array.from({ length: FILES }, (_v, i) => (i % 2 === 0 ? `skills/s${i}/SKILL.md` : `sessions/2026/11/${10 + (i % 5)}/rollout-${i}.jsonl`));
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Every regular file below `root` (temp files aside), path -> content. */
function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(root)) return files;
  for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (rel.split('/').pop()?.startsWith('.codexsync-') === true || !statSync(join(root, rel)).isFile()) continue;
    files.set(rel, readFileSync(join(root, rel), 'latin1'));
  }
  return files;
}

function temps(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((rel) => rel.split('/').pop()?.startsWith('.codexsync-') === true);
}

/**
 * A machine whose snapshot (a folder or a zip) holds the first version of FILES files, each
 * of which has a second version in the Codex home now.
 */
async function machineToRestore(format: 'folder' | 'zip', rng: () => number): Promise<{ ws: Workspace; snapshot: string; first: Map<string, string>; second: Map<string, string> }> {
  const ws = workspace(tempDir(`restore-crash-${format}`));
  const text = (label: string): string => `${label}\n${'x'.repeat(Math.floor(rng() * 40_000))}\n`;
  const first = new Map(paths.map((p) => [p, text(`first ${p}`)]));
  const second = new Map(paths.map((p) => [p, text(`second ${p}`)]));
  for (const [p, content] of first) writeFile(ws.home, p, content, new Date('2026-11-01T00:00:00Z'));
  const writer = new SnapshotWriter(ws.backups, { machineId: 'a', localRoot: ws.home, cloudRoot: ws.cloud }, new Date('2026-11-02T00:00:00Z'));
  for (const p of paths) {
    const stat = statSync(join(ws.home, p));
    await writer.add('local', ws.home, p, { size: stat.size, mtimeMs: Math.floor(stat.mtimeMs) }, 'overwrite');
  }
  const snapshot = (await writer.finish(format === 'zip' ? 'zip' : 'none')) as string;
  for (const [p, content] of second) writeFile(ws.home, p, content, new Date('2026-11-03T00:00:00Z'));
  return { ws, snapshot, first, second };
}

/** The run snapshots other than the one restored from: what each lists and holds, by path. */
function backups(ws: Workspace, restoredFrom: string): Map<string, { listed: string | undefined; held: string }> {
  const found = new Map<string, { listed: string | undefined; held: string }>();
  for (const name of readdirSync(ws.backups)) {
    if (name === restoredFrom) continue;
    const manifest = readFileSync(join(ws.backups, name, 'manifest.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { type: string; path?: string; sha256?: string });
    for (const [p, held] of readTree(join(ws.backups, name, 'local'))) found.set(p, { listed: manifest.find((line) => line.type === 'file' && line.path === p)?.sha256, held });
  }
  return found;
}

describe('a restore killed mid-way', () => {
  it.each(['folder', 'zip'] as const)(
    'from a %s snapshot, stopped right after write N: every file its old or its restored bytes, every replaced version in the run snapshot and its manifest; a second restore finishes it',
    async (format) => {
      // A failure names its N: CODEXSYNC_TEST_CRASH_AFTER_WRITE=N on the same machine replays it.
      const rng = random(format === 'zip' ? 20261201 : 20261130);
      const problems: string[] = [];
      const points: number[] = [];
      for (let n = 1; n <= FILES; n += 1 + Math.floor(rng() * 7)) {
        const { ws, snapshot, first, second } = await machineToRestore(format, rng);
        const crashed = await runCli(['-c', ws.config, 'restore', '--from', snapshot, '--apply'], { cwd: ws.dir, env: { CODEXSYNC_TEST_CRASH_AFTER_WRITE: String(n) } });
        expect(crashed.code, `write ${n}: ${crashed.stderr}`).toBeNull();
        points.push(n);
        const now = readTree(ws.home);
        const backedUp = backups(ws, snapshot);
        let restored = 0;
        for (const p of paths) {
          const current = now.get(p);
          if (current === first.get(p)) restored += 1;
          else if (current !== second.get(p)) problems.push(`write ${n}: ${p} is torn`);
          const backup = backedUp.get(p);
          if (current !== second.get(p) && (backup?.held !== second.get(p) || backup?.listed !== sha256(second.get(p) as string)))
            problems.push(`write ${n}: the replaced ${p} is not in the run snapshot`);
        }
        expect(restored, `write ${n}`).toBeGreaterThanOrEqual(n);

        const again = await runCli(['-c', ws.config, 'restore', '--from', snapshot, '--apply'], { cwd: ws.dir });
        expect(again.code, `write ${n}: ${again.stderr}`).toBe(0);
        expect(readTree(ws.home), `write ${n}: restored`).toEqual(first);
        // What the killed run had staged is a leftover temp file, which the next sync removes.
        expect((await runCli(['-c', ws.config, 'sync', '--apply'], { cwd: ws.dir })).code).toBe(0);
        expect(temps(ws.home), `write ${n}: temp files`).toEqual([]);
      }
      expect(problems).toEqual([]);
      expect(points.length).toBeGreaterThanOrEqual(4);
    },
    300_000,
  );
});
