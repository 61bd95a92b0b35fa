import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDayLog } from '../../../src/core/log/dayLog.ts';
import { summariseSnapshots } from '../../../src/core/backup/summaries.ts';
import { SnapshotWriter } from '../../../src/core/backup/snapshot.ts';
import { zipLogFile } from '../../../src/core/log/files.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { writeFile } from '../../helpers/workspace.ts';

describe("reading a day's log", () => {
  it("reads this machine's files of the day in order, zipped ones too, each line parsed in its own format", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'codexsync-laptop-2026-11-25.log'), '2026-11-25T09:00:00.000+01:00 INFO    first | path=a.md\n');
    await zipLogFile(join(dir, 'codexsync-laptop-2026-11-25.log'));
    writeFileSync(
      join(dir, 'codexsync-laptop-2026-11-25.1.log'),
      '{"ts":"2026-11-25T10:00:00.000+01:00","level":"ERROR","msg":"second","path":"b.md"}\nnot a log line\nts=2026-11-25T11:00:00.000+01:00 level=WARNING msg="third one"\n',
    );
    writeFileSync(join(dir, 'codexsync-desktop-2026-11-25.log'), '2026-11-25T09:00:00.000+01:00 INFO    another machine\n');
    writeFileSync(join(dir, 'codexsync-laptop-2026-11-24.log'), '2026-11-24T09:00:00.000+01:00 INFO    yesterday\n');
    const log = await readDayLog(join(dir, 'codexsync.log'), 'laptop', '2026-11-25');
    expect(log.files).toEqual(['codexsync-laptop-2026-11-25.log.zip', 'codexsync-laptop-2026-11-25.1.log']);
    expect(log.lines).toEqual([
      { file: 'codexsync-laptop-2026-11-25.log.zip', n: 1, time: '2026-11-25T09:00:00.000+01:00', level: 'INFO', message: 'first', fields: { path: 'a.md' } },
      { file: 'codexsync-laptop-2026-11-25.1.log', n: 1, time: '2026-11-25T10:00:00.000+01:00', level: 'ERROR', message: 'second', fields: { path: 'b.md' } },
      { file: 'codexsync-laptop-2026-11-25.1.log', n: 2, message: 'not a log line', fields: {} },
      { file: 'codexsync-laptop-2026-11-25.1.log', n: 3, time: '2026-11-25T11:00:00.000+01:00', level: 'WARNING', message: 'third one', fields: {} },
    ]);
    expect((await readDayLog(join(dir, 'nothing', 'codexsync.log'), 'laptop', '2026-11-25')).lines).toEqual([]);
  });
});

describe('snapshot summaries', () => {
  it("lists this machine's snapshots newest first with file count, size and sides, and names a damaged one", async () => {
    const dir = tempDir();
    const local = join(dir, 'home');
    const cloud = join(dir, 'cloud');
    writeFile(local, 'skills/a/SKILL.md', 'aaaa');
    writeFile(cloud, 'history.jsonl', 'hh\n');
    const backups = join(dir, 'backups');
    const older = new SnapshotWriter(backups, { machineId: 'laptop', localRoot: local, cloudRoot: cloud }, new Date('2026-11-24T08:00:00Z'));
    await older.add('local', local, 'skills/a/SKILL.md', { size: 4, mtimeMs: 1 }, 'overwrite');
    await older.add('cloud', cloud, 'history.jsonl', { size: 3, mtimeMs: 1 }, 'merge');
    await older.finish('zip');
    mkdirSync(join(backups, 'laptop-20261125T080000Z'));
    mkdirSync(join(backups, 'desktop-20261125T090000Z'));
    const summaries = await summariseSnapshots(backups, 'laptop');
    expect(summaries).toEqual([
      { name: 'laptop-20261125T080000Z', createdAt: '2026-11-25T08:00:00.000Z', format: 'folder', files: 0, bytes: 0, sides: { local: 0, cloud: 0 }, damaged: 'has no manifest.jsonl' },
      { name: 'laptop-20261124T080000Z.zip', createdAt: '2026-11-24T08:00:00.000Z', format: 'zip', files: 2, bytes: 7, sides: { local: 1, cloud: 1 } },
    ]);
  });
});
