import { describe, expect, it } from 'vitest';
import { groupThreadFiles, rolloutFileOf, rolloutName } from '../../../src/core/threads/index.ts';
import { recorded, recordedVersions } from './recorded.ts';

const ID = '01a22b1e-0000-7000-8000-000000000001';
const OTHER = '01a22b1e-0000-7000-8000-000000000002';
const active = `sessions/2026/01/02/rollout-2026-01-02T03-04-05-${ID}.jsonl`;

describe('rolloutFileOf', () => {
  it.each(recordedVersions)('knows the files Codex %s wrote: id, form, location', (version) => {
    const plain = recorded(version, 'uncompressed');
    const compressed = recorded(version, 'compressed');
    expect(rolloutFileOf(plain.path)).toEqual({ path: plain.path, id: plain.id, form: 'jsonl', location: 'sessions' });
    expect(rolloutFileOf(compressed.path)).toEqual({ path: compressed.path, id: plain.id, form: 'jsonl.zst', location: 'sessions' });
  });

  it('takes archived_sessions/ as well, and nothing else', () => {
    expect(rolloutFileOf(`archived_sessions/rollout-2026-01-02T03-04-05-${ID}.jsonl`)).toEqual({
      path: `archived_sessions/rollout-2026-01-02T03-04-05-${ID}.jsonl`,
      id: ID,
      form: 'jsonl',
      location: 'archived_sessions',
    });
    for (const path of [
      `rollout-2026-01-02T03-04-05-${ID}.jsonl`,
      `history/rollout-2026-01-02T03-04-05-${ID}.jsonl`,
      `sessions/2026/01/02/rollout-2026-01-02T03-04-05-${ID}.json`,
      `sessions/2026/01/02/rollout-2026-01-02T03-04-05-${ID.toUpperCase()}.jsonl`,
      `sessions/2026/01/02/rollout-${ID}.jsonl`,
      `sessions/../rollout-2026-01-02T03-04-05-${ID}.jsonl`,
      `sessions/2026/01/02/rollout-2026-01-02T03-04-05-${ID}.jsonl.tmp`,
      'session_index.jsonl',
    ])
      expect(rolloutFileOf(path), path).toBeUndefined();
    expect(rolloutName(`rollout-2026-01-02T03-04-05-${ID}.jsonl.zst`)).toEqual({ id: ID, form: 'jsonl.zst' });
  });
});

describe('groupThreadFiles', () => {
  it('groups the files of a home by thread and leaves out other paths', () => {
    const other = `sessions/2026/01/03/rollout-2026-01-03T00-00-00-${OTHER}.jsonl`;
    const threads = groupThreadFiles([active, 'history.jsonl', other, 'sessions/2026/01/02/notes.txt']);
    expect([...threads.keys()]).toEqual([ID, OTHER]);
    expect(threads.get(ID)).toEqual({ id: ID, files: [{ path: active, id: ID, form: 'jsonl', location: 'sessions' }], flags: [] });
  });

  it('flags one id in both forms, in both sessions/ and archived_sessions/, and several files of one form in one place', () => {
    const compressed = `${active}.zst`;
    const archived = `archived_sessions/rollout-2026-01-02T03-04-05-${ID}.jsonl`;
    const elsewhere = `sessions/2026/01/05/rollout-2026-01-05T00-00-00-${ID}.jsonl`;
    expect(groupThreadFiles([compressed, active]).get(ID)?.flags).toEqual(['both-forms']);
    expect(groupThreadFiles([archived, active]).get(ID)?.flags).toEqual(['active-and-archived']);
    expect(groupThreadFiles([elsewhere, active]).get(ID)?.flags).toEqual(['several-files']);
    const all = groupThreadFiles([elsewhere, archived, compressed, active]).get(ID);
    expect(all?.flags).toEqual(['both-forms', 'active-and-archived', 'several-files']);
    expect(all?.files.map((file) => file.path)).toEqual([archived, active, compressed, elsewhere]);
  });
});
