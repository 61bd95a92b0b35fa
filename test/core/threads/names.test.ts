import { describe, expect, it } from 'vitest';
import { parseSessionIndex, readRolloutFile, threadTitle } from '../../../src/core/threads/index.ts';
import { recorded, recordedVersions, sessionIndexOf } from './recorded.ts';

const A = '01a22b1e-0000-7000-8000-00000000000a';
const B = '01a22b1e-0000-7000-8000-00000000000b';
const line = (id: string, name: string, at: string) => JSON.stringify({ id, thread_name: name, updated_at: at });

describe.each(recordedVersions)('session_index.jsonl recorded with Codex %s', (version) => {
  it('names the thread by its newest thread/name/set, and the title follows the name', async () => {
    const one = recorded(version, 'one-turn');
    const index = parseSessionIndex(sessionIndexOf(version));
    const lines = sessionIndexOf(version).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const newest = JSON.parse(lines[1] as string) as { updated_at: string };
    expect(index).toEqual({ names: new Map([[one.id, { name: 'Health check endpoint', updatedAt: newest.updated_at }]]), badLines: 0, tornTail: false });
    const read = await readRolloutFile(one.file);
    if (read.kind !== 'thread') throw new Error('not a thread');
    expect(threadTitle(read.summary, index)).toBe('Health check endpoint');
    expect(threadTitle(read.summary, undefined)).toBe('Add a health check endpoint to the server');
  });
});

describe('parseSessionIndex', () => {
  it('lets the newest updated_at win whatever the order of lines, to the nanosecond, and the later line on a tie', () => {
    const text = [
      line(A, 'Newest', '2026-11-30T06:22:15.987228317Z'),
      line(A, 'Older by a microsecond', '2026-11-30T06:22:15.987227317Z'),
      line(B, 'First', '2026-11-30T06:22:15Z'),
      line(B, 'Same time, later line', '2026-11-30T06:22:15.000Z'),
    ].join('\n');
    const index = parseSessionIndex(Buffer.from(`${text}\n`));
    expect([...index.names]).toEqual([
      [A, { name: 'Newest', updatedAt: '2026-11-30T06:22:15.987228317Z' }],
      [B, { name: 'Same time, later line', updatedAt: '2026-11-30T06:22:15.000Z' }],
    ]);
  });

  it('skips and counts bad lines, and leaves an unfinished last line unread', () => {
    const text = [
      'not json',
      JSON.stringify({ id: 'not-an-id', thread_name: 'x', updated_at: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ id: A, thread_name: 'No time' }),
      JSON.stringify({ id: A, thread_name: 7, updated_at: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ id: A, thread_name: 'Bad time', updated_at: 'yesterday' }),
      line(A, 'Good', '2026-01-01T00:00:00Z'),
      '{"__proto__":{"polluted":true},"id":"' + B + '","thread_name":"Proto","updated_at":"2026-01-01T00:00:00Z"}',
    ].join('\n');
    const index = parseSessionIndex(Buffer.from(`${text}\n${line(B, 'Torn', '2026-01-02T00:00:00Z').slice(0, 30)}`));
    expect(index.badLines).toBe(5);
    expect(index.tornTail).toBe(true);
    expect([...index.names]).toEqual([
      [A, { name: 'Good', updatedAt: '2026-01-01T00:00:00Z' }],
      [B, { name: 'Proto', updatedAt: '2026-01-01T00:00:00Z' }],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes a name one clean line, and an empty newest name clears it back to the title', () => {
    const index = parseSessionIndex(Buffer.from(`${line(A, 'Two\nlines\u202e', '2026-01-01T00:00:00Z')}\n${line(B, 'Named', '2026-01-01T00:00:00Z')}\n${line(B, '  ', '2026-01-02T00:00:00Z')}\n`));
    expect(index.names.get(A)).toEqual({ name: 'Two lines', updatedAt: '2026-01-01T00:00:00Z' });
    expect(index.names.get(B)).toEqual({ updatedAt: '2026-01-02T00:00:00Z' });
    expect(threadTitle({ id: B, title: 'First prompt' }, index)).toBe('First prompt');
  });

  it('counts a line over the length limit as bad', () => {
    const index = parseSessionIndex(Buffer.from(`${line(A, 'x'.repeat(500), '2026-01-01T00:00:00Z')}\n${line(B, 'Short', '2026-01-01T00:00:00Z')}\n`), { maxLineBytes: 200, maxBytes: 1024 });
    expect(index).toEqual({ names: new Map([[B, { name: 'Short', updatedAt: '2026-01-01T00:00:00Z' }]]), badLines: 1, tornTail: false });
  });
});
