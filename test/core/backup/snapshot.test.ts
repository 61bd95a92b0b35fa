import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnapshotWriter } from '../../../src/core/backup/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('a run snapshot', () => {
  it('keeps the version from before the run when the run backs up one file twice (merged, then replaced)', async () => {
    const root = tempDir();
    const backups = tempDir();
    const file = join(root, 'history.jsonl');
    writeFileSync(file, 'before the run\n');
    const snapshot = new SnapshotWriter(backups, { machineId: 'a', localRoot: tempDir(), cloudRoot: root }, new Date('2026-11-30T05:00:00Z'));
    await snapshot.add('cloud', root, 'history.jsonl', { size: 15, mtimeMs: 0 }, 'merge');
    writeFileSync(file, 'written by the run itself\n');
    await snapshot.add('cloud', root, 'history.jsonl', { size: 26, mtimeMs: 0 }, 'overwrite');
    const name = (await snapshot.finish('none')) as string;
    expect(readFileSync(join(backups, name, 'cloud', 'history.jsonl'), 'utf8')).toBe('before the run\n');
    const lines = readFileSync(join(backups, name, 'manifest.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; reason?: string });
    expect(lines.filter((line) => line.type === 'file').map((line) => line.reason)).toEqual(['merge']);
  });
});
