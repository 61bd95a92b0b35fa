import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchHandoffRecords } from '../../src/main/watch.ts';
import { tempDir } from '../helpers/tmp.ts';

const record = (machineId: string, sequence: number, files: Record<string, { size: number; sha256: string }> = {}): string =>
  JSON.stringify({ format: 'codexsync-handoff', version: 1, machineId, createdAt: `2026-11-25T0${sequence}:00:00.000Z`, sequence, codexsync: '0.2.0', files });

describe('watching the cloud folder', () => {
  it("sees another machine's record arrive, even in a cloud folder that did not exist yet, and not this machine's own", async () => {
    const dir = tempDir();
    const cloud = join(dir, 'ws', 'sync');
    const seen: string[] = [];
    let arrived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (arrived = resolve));
    const watching = watchHandoffRecords(cloud, 'laptop', (machine) => {
      seen.push(machine);
      arrived();
    });
    try {
      await watching.ready;
      mkdirSync(join(cloud, '.codexsync'), { recursive: true });
      writeFileSync(join(cloud, '.codexsync', 'handoff-laptop.json'), record('laptop', 1));
      writeFileSync(join(cloud, '.codexsync', 'notes.txt'), 'not a record');
      // Written the way the engine writes it: a temp file renamed over the record.
      writeFileSync(join(cloud, '.codexsync', '.codexsync-handoff-desktop.json.tmp'), record('desktop', 2));
      renameSync(join(cloud, '.codexsync', '.codexsync-handoff-desktop.json.tmp'), join(cloud, '.codexsync', 'handoff-desktop.json'));
      await done;
      expect(seen).toEqual(['desktop']);
    } finally {
      await watching.close();
    }
  });
});
