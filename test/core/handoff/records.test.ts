import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { machineOfCloudFile, otherMachinesRecords } from '../../../src/core/handoff/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

const record = (machineId: string, sequence: number, files: Record<string, { size: number; sha256: string }> = {}): string =>
  JSON.stringify({ format: 'codexsync-handoff', version: 1, machineId, createdAt: `2026-11-25T0${sequence}:00:00.000Z`, sequence, codexsync: '0.2.0', files });

describe('handoff records of other machines', () => {
  it('reads them newest first, leaving out this machine and unreadable ones, and finds who handed a file off', async () => {
    const cloud = tempDir();
    mkdirSync(join(cloud, '.codexsync'));
    const sha = 'a'.repeat(64);
    writeFileSync(join(cloud, '.codexsync', 'handoff-laptop.json'), record('laptop', 5));
    writeFileSync(join(cloud, '.codexsync', 'handoff-desktop.json'), record('desktop', 3, { 'skills/a/SKILL.md': { size: 4, sha256: sha } }));
    writeFileSync(join(cloud, '.codexsync', 'handoff-studio.json'), record('studio', 7, { 'skills/a/SKILL.md': { size: 9, sha256: sha } }));
    writeFileSync(join(cloud, '.codexsync', 'handoff-broken.json'), '{"format":');
    const records = await otherMachinesRecords(cloud, 'laptop');
    expect(records.map((r) => r.machineId)).toEqual(['studio', 'desktop']);
    expect(machineOfCloudFile(records, 'skills/a/SKILL.md', 4)).toBe('desktop');
    expect(machineOfCloudFile(records, 'skills/a/SKILL.md', undefined)).toBe('studio');
    expect(machineOfCloudFile(records, 'skills/b/SKILL.md', 4)).toBeUndefined();
    expect(await otherMachinesRecords(join(cloud, 'missing'), 'laptop')).toEqual([]);
  });
});
