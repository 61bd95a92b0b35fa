import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TreeWatch } from '../../src/main/treeWatch.ts';
import { tempDir } from '../helpers/tmp.ts';
import { writeFile } from '../helpers/workspace.ts';

let watch: TreeWatch | undefined;
afterEach(() => watch?.close());

/** Waits until `check` holds (the system delivers folder events when it does). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('TreeWatch: one watcher per folder of both trees', () => {
  it('reports a name that changed in a watched folder as a path of its side, and watches exactly the folders asked for', async () => {
    const home = tempDir();
    const cloud = tempDir();
    mkdirSync(join(home, 'skills', 'a'), { recursive: true });
    mkdirSync(join(cloud, 'skills'), { recursive: true });
    const seen: string[] = [];
    let lost = 0;
    watch = new TreeWatch({ changed: (side, paths) => seen.push(...paths.map((p) => `${side} ${p}`)), lost: () => (lost += 1) });
    watch.update({ local: { root: home, folders: ['', 'skills', 'skills/a'] }, cloud: { root: cloud, folders: ['', 'gone'] } });
    // A folder that is not there (a cloud folder not synced yet) is left unwatched until a scan finds it.
    expect(watch.size).toBe(4);
    writeFile(home, 'skills/a/SKILL.md', 'A.\n');
    writeFile(cloud, 'history.jsonl', 'x\n');
    await until(() => seen.includes('local skills/a/SKILL.md') && seen.includes('cloud history.jsonl'));
    watch.update({ local: { root: home, folders: [''] }, cloud: { root: cloud, folders: [''] } });
    expect(watch.size).toBe(2);
    seen.length = 0;
    writeFile(home, 'skills/a/other.md', 'Not watched any more.\n');
    writeFile(home, 'history.jsonl', 'x\n');
    await until(() => seen.includes('local history.jsonl'));
    expect(seen.filter((p) => p.includes('other.md'))).toEqual([]);
    rmSync(join(home, 'skills'), { recursive: true });
    await until(() => seen.includes('local skills'));
    expect(lost).toBe(0);
  });

  it('lists a folder the system will not watch, with its error, until it is no longer asked for; a folder not there is no such folder', () => {
    const home = tempDir();
    mkdirSync(join(home, 'skills'));
    // A link to itself: the system refuses to watch it (ELOOP), as it refuses any folder once its limit of watches is reached (ENOSPC).
    symlinkSync('loop', join(home, 'loop'));
    watch = new TreeWatch({ changed: () => undefined, lost: () => undefined });
    const empty = { root: tempDir(), folders: [] };
    watch.update({ local: { root: home, folders: ['', 'skills', 'loop', 'gone'] }, cloud: empty });
    expect(watch.size).toBe(2);
    expect(watch.unwatched).toEqual([{ side: 'local', folder: 'loop', code: 'ELOOP' }]);
    // Tried again at each update, and forgotten once not asked for.
    watch.update({ local: { root: home, folders: ['', 'loop'] }, cloud: empty });
    expect(watch.unwatched).toEqual([{ side: 'local', folder: 'loop', code: 'ELOOP' }]);
    watch.update({ local: { root: home, folders: [''] }, cloud: empty });
    expect(watch.unwatched).toEqual([]);
    expect(watch.size).toBe(1);
  });
});
