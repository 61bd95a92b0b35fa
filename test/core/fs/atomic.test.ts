import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitStaged, stageReplace, statOrUndefined, syncStaged } from '../../../src/core/fs/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('a replace staged to be synced later', () => {
  it('is not renamed into place before it is synced; once synced, it is', async () => {
    const dir = tempDir();
    const target = join(dir, 'SKILL.md');
    writeFileSync(target, 'old\n');
    const seen = statOrUndefined(target);
    const staged = await stageReplace(target, { bytes: Buffer.from('new\n') }, { target: seen }, undefined, 'later');
    expect(staged.synced).toBe(false);
    await expect(commitStaged(staged, seen)).rejects.toThrow(`not synced before its commit: ${staged.temp}`);
    expect(readFileSync(target, 'utf8')).toBe('old\n');
    // The refused commit leaves no temp file behind either.
    expect(readdirSync(dir)).toEqual(['SKILL.md']);

    const again = await stageReplace(target, { bytes: Buffer.from('new\n') }, { target: seen }, undefined, 'later');
    await syncStaged([again]);
    expect(again.synced).toBe(true);
    await commitStaged(again, seen);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['SKILL.md']);
  });
});
