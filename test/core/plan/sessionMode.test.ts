import { describe, expect, it } from 'vitest';
import { lastDateOnly } from '../../../src/core/plan/sessionMode.ts';
import { sessionDate } from '../../../src/core/scope/index.ts';

describe('session dates', () => {
  it('reads both layouts 0.1.2 knew', () => {
    expect(sessionDate('sessions/2026/11/25/rollout-x.jsonl')).toBe('2026-11-25');
    expect(sessionDate('sessions/2026-11-25/rollout-x.jsonl')).toBe('2026-11-25');
    expect(sessionDate('sessions/rollout-x.jsonl')).toBeUndefined();
    expect(sessionDate('skills/2026/11/25/x')).toBeUndefined();
  });
});

describe('last_date_only', () => {
  const day = (iso: string): number => new Date(iso).getTime();
  it('keeps the newest day and every thread written since, drops older untouched threads', () => {
    const filter = lastDateOnly([
      ['sessions/2026/11/20/old.jsonl', undefined, undefined],
      ['sessions/2026/11/25/new.jsonl', undefined, undefined],
    ]);
    expect(filter.includes('sessions/2026/11/25/new.jsonl', { size: 1, mtimeMs: day('2026-11-25T12:00:00') }, undefined)).toBe(true);
    expect(filter.includes('sessions/2026/11/20/old.jsonl', { size: 1, mtimeMs: day('2026-11-20T12:00:00') }, undefined)).toBe(false);
    expect(filter.includes('sessions/2026/11/20/resumed.jsonl', undefined, { size: 1, mtimeMs: day('2026-11-25T08:00:00') })).toBe(true);
    expect(filter.includes('history.jsonl', undefined, undefined)).toBe(true);
  });
  it('with no dated folders, syncs everything and says so', () => {
    const filter = lastDateOnly([['sessions/flat.jsonl', undefined, undefined]]);
    expect(filter.includes('sessions/flat.jsonl', undefined, undefined)).toBe(true);
    expect(filter.notice).toEqual({ code: 'session-filter', latest: undefined });
  });
});
