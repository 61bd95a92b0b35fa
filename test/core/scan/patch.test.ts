import { mkdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/index.ts';
import { scopeOf } from '../../../src/core/engine/context.ts';
import { tempPrefix } from '../../../src/core/fs/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { restatPaths, scanSide } from '../../../src/core/scan/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { workspace, writeFile } from '../../helpers/workspace.ts';

const at = (hour: number): Date => new Date(Date.UTC(2026, 10, 25, hour));

function tree() {
  const ws = workspace(tempDir());
  const scope = scopeOf(loadConfig(ws.config, currentEnvironment()));
  writeFile(ws.home, 'history.jsonl', 'one\n', at(1));
  writeFile(ws.home, 'skills/a/SKILL.md', 'A.\n', at(1));
  writeFile(ws.home, 'skills/a/notes.md', 'Notes.\n', at(1));
  return { root: ws.home, scope };
}

describe('restatPaths: a scan brought up to date path by path, as a new walk would find it', () => {
  it('a changed, an added, a deleted file, a temp file and an out-of-scope file: the same scan as a walk', async () => {
    const { root, scope } = tree();
    const scan = await scanSide('local', root, scope);
    writeFile(root, 'history.jsonl', 'one\ntwo\n', at(2));
    writeFile(root, 'skills/a/extra.md', 'Extra.\n', at(2));
    unlinkSync(join(root, 'skills/a/notes.md'));
    writeFile(root, `skills/a/${tempPrefix}x`, 'half\n', at(2));
    writeFile(root, 'auth.json', '{}\n', at(2));
    expect(restatPaths(scan, scope, ['history.jsonl', 'skills/a/extra.md', 'skills/a/notes.md', `skills/a/${tempPrefix}x`, 'auth.json'])).toBe(true);
    expect(scan).toEqual(await scanSide('local', root, scope));
    expect([...scan.files.keys()].sort()).toEqual(['history.jsonl', 'skills/a/SKILL.md', 'skills/a/extra.md']);
    expect(scan.leftoverTemps).toEqual([`skills/a/${tempPrefix}x`]);
  });

  it('a link where a file was: a skipped entry, as a walk reports it', async () => {
    const { root, scope } = tree();
    const scan = await scanSide('local', root, scope);
    unlinkSync(join(root, 'skills/a/SKILL.md'));
    symlinkSync('/etc/hostname', join(root, 'skills/a/SKILL.md'));
    expect(restatPaths(scan, scope, ['skills/a/SKILL.md'])).toBe(true);
    expect(scan.skipped).toEqual([{ path: 'skills/a/SKILL.md', why: 'symlink' }]);
    expect(scan).toEqual(await scanSide('local', root, scope));
  });

  it("what only a walk can tell: a new folder, a folder removed or put in a file's place, a name a conflict copy could have", async () => {
    const { root, scope } = tree();
    let scan = await scanSide('local', root, scope);
    mkdirSync(join(root, 'skills/b'));
    expect(restatPaths(scan, scope, ['skills/b'])).toBe(false);
    scan = await scanSide('local', root, scope);
    rmSync(join(root, 'skills/a'), { recursive: true });
    expect(restatPaths(scan, scope, ['skills/a'])).toBe(false);
    scan = await scanSide('local', root, scope);
    rmSync(join(root, 'history.jsonl'));
    mkdirSync(join(root, 'history.jsonl'));
    expect(restatPaths(scan, scope, ['history.jsonl'])).toBe(false);
    const cloud = await scanSide('cloud', root, scope, { conflictCopies: { known: () => false } });
    writeFile(root, 'skills/a/SKILL (1).md', 'Copy.\n', at(3));
    expect(restatPaths(cloud, scope, ['skills/a/SKILL (1).md'], { conflictCopies: { known: () => false } })).toBe(false);
  });
});
