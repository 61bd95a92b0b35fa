import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { inspectCatalogue, mapPath, mapProjectFolders } from '../../../src/core/catalogue/catalogue.ts';
import { threadIdOf } from '../../../src/core/scope/index.ts';
import { tempDir } from '../../helpers/tmp.ts';

describe('[paths.map]', () => {
  const map = [
    { from: 'C:/Users/alice/src', to: '/Users/alice/src' },
    { from: '/home/alice/src', to: 'D:\\work' },
    { from: '/home/alice/src/special', to: '/srv/special' },
  ];
  it.each([
    ['C:\\Users\\alice\\src\\webapp', '/Users/alice/src/webapp'],
    ['c:/users/ALICE/src', '/Users/alice/src'],
    ['/home/alice/src/api/v2', 'D:\\work\\api\\v2'],
    ['/home/alice/src/special/x', '/srv/special/x'],
    ['/home/alice/srcs', undefined],
    ['/opt/other', undefined],
  ])('%s -> %s', (from, to) => {
    expect(mapPath(from, map)).toBe(to);
  });
});

describe('rollout names', () => {
  it('carry the thread id', () => {
    expect(threadIdOf('sessions/2026/11/25/rollout-2026-11-25T09-29-35-01a2120a-007a-7690-8bcc-8aa82c263d97.jsonl')).toBe('01a2120a-007a-7690-8bcc-8aa82c263d97');
    expect(threadIdOf('history.jsonl')).toBeUndefined();
  });
});

describe('an untested catalogue schema', () => {
  it('is never written: [paths.map] is reported as not applied', async () => {
    const home = tempDir();
    const file = join(home, 'state_5.sqlite');
    const db = new DatabaseSync(file);
    db.exec(`CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT, success BOOLEAN);
      INSERT INTO _sqlx_migrations VALUES (99, 'future', 1);
      CREATE TABLE threads (id TEXT PRIMARY KEY, rollout_path TEXT, cwd TEXT);
      CREATE TABLE backfill_state (id INTEGER PRIMARY KEY, status TEXT, last_watermark TEXT, updated_at INTEGER);
      INSERT INTO backfill_state VALUES (1, 'complete', NULL, 0);`);
    db.close();
    const before = readFileSync(file);
    expect(await inspectCatalogue(home)).toEqual({ kind: 'untested', file, migration: 99, knownThreads: new Set() });
    const result = await mapProjectFolders({ home, pathMap: [{ from: '/a', to: '/b' }], backupTo: async () => join(home, 'never.sqlite'), codexStopped: true });
    expect(result).toEqual({ status: 'untested', mapped: 0, backup: undefined, untouched: { why: 'untested', file: 'state_5.sqlite', migration: 99 } });
    expect(readFileSync(file)).toEqual(before);
  });

  it('no catalogue yet: nothing to do (Codex imports every rollout at its first start)', async () => {
    const home = tempDir();
    writeFileSync(join(home, 'history.jsonl'), '');
    expect(await inspectCatalogue(home)).toEqual({ kind: 'absent' });
  });
});
