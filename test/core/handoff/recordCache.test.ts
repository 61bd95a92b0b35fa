import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config/index.ts';
import { sync } from '../../../src/core/engine/index.ts';
import { readHandoffRecords, readRecordCache, recordCacheFile, type HandoffRecord, type RecordCache } from '../../../src/core/handoff/index.ts';
import { currentEnvironment } from '../../../src/core/platform.ts';
import { baseStateFile } from '../../../src/core/state/index.ts';
import { handOffAs } from '../../helpers/handoff.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { withEngine, workspace, writeFile } from '../../helpers/workspace.ts';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('records this machine read before', () => {
  it('a sync keeps the records it read and wrote, by the SHA-256 of their bytes, in its own state folder', async () => {
    const ws = workspace(tempDir());
    writeFile(ws.home, 'skills/a/SKILL.md', 'a\n');
    writeFile(ws.cloud, 'skills/b/SKILL.md', 'b\n');
    await handOffAs(ws.cloud, 'b');
    expect((await withEngine(ws, (ctx) => sync(ctx, { apply: true }))).exitCode).toBe(0);
    const cacheFile = recordCacheFile(baseStateFile(loadConfig(ws.config, currentEnvironment()).paths));
    expect(cacheFile.startsWith(join(ws.dir, 'state'))).toBe(true);
    const cache = await readRecordCache(cacheFile);
    const parsed = (await readHandoffRecords(ws.cloud)).records;
    expect(parsed.map((r) => r.machineId)).toEqual(['a', 'b']);
    for (const record of parsed) {
      const name = `handoff-${record.machineId}.json`;
      const kept = cache.find(name, sha256(readFileSync(join(ws.cloud, '.codexsync', name))));
      expect({ ...kept, files: [...(kept?.files ?? [])] }).toEqual({ ...record, files: [...record.files] });
      expect(cache.find(name, 'f'.repeat(64))).toBeUndefined();
    }
  });

  it('takes a kept record only for bytes of the same SHA-256: changed bytes are parsed, damaged ones are damaged', async () => {
    const cloud = tempDir();
    writeFile(cloud, 'skills/b/SKILL.md', 'b\n');
    await handOffAs(cloud, 'b');
    const file = join(cloud, '.codexsync', 'handoff-b.json');
    const kept = { machineId: 'b', sequence: 99, files: new Map() } as unknown as HandoffRecord;
    const once = sha256(readFileSync(file));
    const asked: string[] = [];
    const cache: RecordCache = { find: (name, digest) => (asked.push(name), digest === once ? kept : undefined) };
    expect((await readHandoffRecords(cloud, cache)).records).toEqual([kept]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"sequence": 1', '"sequence": 2'));
    expect((await readHandoffRecords(cloud, cache)).records.map((r) => r.sequence)).toEqual([2]);
    const changed = readFileSync(file, 'utf8');
    writeFileSync(file, changed.slice(0, changed.length / 2));
    expect(await readHandoffRecords(cloud, cache)).toEqual({ records: [], unreadable: [{ machineId: 'b', name: 'handoff-b.json', damage: { kind: 'incomplete' } }] });
    expect(asked).toEqual(['handoff-b.json', 'handoff-b.json', 'handoff-b.json']);
  });
});
