import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { didNotSee, machineOfCloudFile, otherInstallation, otherMachinesRecords, readHandoffRecords, writeHandoffRecord } from '../../../src/core/handoff/index.ts';
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

describe('which handoffs a record knew of', () => {
  it('a record names the sequence of every other record its writer read; one that read none knew of no other handoff', async () => {
    const cloud = tempDir();
    const writer = (machineId: string) => ({ machineId, installation: '0'.repeat(32), host: `${machineId}-host` });
    const a1 = await writeHandoffRecord(cloud, writer('a'), new Map(), [], new Date('2026-11-25T01:00:00Z'), '0.2.0');
    const b2 = await writeHandoffRecord(cloud, writer('b'), new Map(), [a1], new Date('2026-11-25T02:00:00Z'), '0.2.0');
    // a hands off again before b's record reached it: a2 knew of a1 only.
    const a2 = await writeHandoffRecord(cloud, writer('a'), new Map(), [a1], new Date('2026-11-25T03:00:00Z'), '0.2.0');
    const read = new Map((await readHandoffRecords(cloud)).records.map((r) => [r.machineId, r]));
    expect(read.get('b')?.seen).toEqual({ a: 1 });
    expect(read.get('a')?.seen).toEqual({});
    expect([a2.sequence, b2.sequence]).toEqual([2, 2]);
    expect(didNotSee(a2, b2)).toBe(true);
    expect(didNotSee(b2, a2)).toBe(true);
    expect(didNotSee(b2, a1)).toBe(false);
  });

  it('a record from before "seen" (0.2.0) knew of every record with a lower sequence, as far as can be told; "constructor" is a machine like any', () => {
    const base = { format: 'codexsync-handoff' as const, version: 1 as const, createdAt: '2026-11-25T01:00:00.000Z', codexsync: '0.2.0', files: new Map() };
    const old = { ...base, machineId: 'a', sequence: 3 };
    expect(didNotSee(old, { ...base, machineId: 'b', sequence: 2 })).toBe(false);
    expect(didNotSee(old, { ...base, machineId: 'b', sequence: 3 })).toBe(true);
    expect(didNotSee({ ...old, seen: {} }, { ...base, machineId: 'constructor', sequence: 1 })).toBe(true);
  });
});

describe('reading handoff records: every byte of the cloud folder is untrusted', () => {
  it('names each unreadable record by the machine in its file name and says what is wrong; a sound one reads without a prototype', async () => {
    const cloud = tempDir();
    mkdirSync(join(cloud, '.codexsync'));
    const sha = 'b'.repeat(64);
    writeFileSync(join(cloud, '.codexsync', 'handoff-desk.json'), record('desk', 2, { 'skills/a/SKILL.md': { size: 4, sha256: sha } }));
    writeFileSync(join(cloud, '.codexsync', 'handoff-half.json'), record('half', 3).slice(0, 40));
    writeFileSync(join(cloud, '.codexsync', 'handoff-float.json'), record('float', 2.5));
    writeFileSync(join(cloud, '.codexsync', 'handoff-posing.json'), record('desk', 4));
    writeFileSync(join(cloud, '.codexsync', 'handoff-escape.json'), record('escape', 5, { 'a/../../b': { size: 1, sha256: sha } }));
    writeFileSync(join(cloud, '.codexsync', 'handoff-huge.json'), record('huge', 6, { 'skills/a/SKILL.md': { size: 2 ** 40 + 1, sha256: sha } }));
    writeFileSync(join(cloud, '.codexsync', 'lock.json'), '{}');
    const read = await readHandoffRecords(cloud);
    expect(read.records.map((r) => r.machineId)).toEqual(['desk']);
    expect(read.unreadable).toEqual([
      { machineId: 'escape', name: 'handoff-escape.json', damage: { kind: 'entry', path: 'a/../../b', why: 'unsafe-path' } },
      { machineId: 'float', name: 'handoff-float.json', damage: { kind: 'field', field: 'sequence' } },
      { machineId: 'half', name: 'handoff-half.json', damage: { kind: 'incomplete' } },
      { machineId: 'huge', name: 'handoff-huge.json', damage: { kind: 'entry', path: 'skills/a/SKILL.md', why: 'size' } },
      { machineId: 'posing', name: 'handoff-posing.json', damage: { kind: 'field', field: 'machineId' } },
    ]);
    const desk = read.records[0];
    expect(desk?.files.get('constructor')).toBeUndefined();
    expect(desk?.files.get('skills/a/SKILL.md')).toEqual({ size: 4, sha256: sha });
  });

  it("a record of this machine_id from another installation is found; one without an installation is this machine's own", () => {
    const base = { format: 'codexsync-handoff' as const, version: 1 as const, createdAt: '', sequence: 1, codexsync: '0.2.0', files: new Map() };
    const mine = 'a'.repeat(32);
    expect(otherInstallation([{ ...base, machineId: 'laptop' }], 'laptop', mine)).toBeUndefined();
    expect(otherInstallation([{ ...base, machineId: 'laptop', installation: mine }], 'laptop', mine)).toBeUndefined();
    expect(otherInstallation([{ ...base, machineId: 'desk', installation: 'c'.repeat(32) }], 'laptop', mine)).toBeUndefined();
    const twin = { ...base, machineId: 'laptop', installation: 'c'.repeat(32), host: 'desk-host' };
    expect(otherInstallation([twin], 'laptop', mine)).toBe(twin);
    expect(otherInstallation([twin], 'laptop', undefined)).toBe(twin);
  });
});
