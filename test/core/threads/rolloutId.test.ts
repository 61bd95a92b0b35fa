import { describe, expect, it } from 'vitest';
import { isThreadId, newThreadId, rekeyRollout, sessionMetaId } from '../../../src/core/threads/index.ts';

const oldId = '01a22b1b-d287-73b0-8cb9-a46fdbf1dc89';
const newId = '01a22c00-0000-7abc-8def-0123456789ab';
const name = `rollout-2026-11-30T06-19-33-${oldId}.jsonl`;
const first = `{"timestamp":"2026-11-30T06:19:33.404Z","type":"session_meta","payload":{"session_id":"${oldId}","id":"${oldId}","cwd":"/p","source":"vscode"}}`;
// Events name their thread too; a prompt that quotes the id (escaped inside its string) is no event field.
const rest = (id: string): string =>
  `\n{"type":"event_msg","payload":{"type":"item_completed","thread_id":"${id}","text":"café \\"thread_id\\":\\"${oldId}\\""}}\n{"type":"token_usage_record","payload":{"thread_id":"${id}","session_id":"${id}"}}\n`;

describe("a thread's id in its rollout", () => {
  it('a fresh id is a UUIDv7: the time in its first 48 bits, version 7, the RFC 4122 variant', () => {
    expect(newThreadId(Date.UTC(2026, 10, 30, 6, 19, 33, 404), Buffer.from('00112233445566778899', 'hex'))).toBe('01a22b1b-d29c-7011-a233-445566778899');
    expect(newThreadId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isThreadId(newThreadId())).toBe(true);
    expect(isThreadId('../../etc/passwd')).toBe(false);
  });

  it("rekeying changes the first line, the events' thread_id and session_id and the file name, every other byte and offset kept", () => {
    const bytes = Buffer.from(first + rest(oldId));
    const rekeyed = rekeyRollout(bytes, name, oldId, newId);
    expect(rekeyed).toEqual({
      ok: true,
      bytes: Buffer.from(first.split(oldId).join(newId) + rest(newId)),
      name: `rollout-2026-11-30T06-19-33-${newId}.jsonl`,
    });
    if (!rekeyed.ok) return;
    expect(rekeyed.bytes.length).toBe(bytes.length);
    expect(sessionMetaId(rekeyed.bytes.toString('utf8').split('\n')[0] ?? '')).toBe(newId);
    // The prompt's text keeps the old id; the version it was made from is left as it was.
    expect(rekeyed.bytes.toString('utf8')).toContain(`\\"thread_id\\":\\"${oldId}\\"`);
    expect(bytes.equals(Buffer.from(first + rest(oldId)))).toBe(true);
  });

  it('refuses what it cannot rekey exactly: another name, a compressed rollout, a first line that is not this thread, an id that is no UUID', () => {
    const bytes = Buffer.from(first + rest(oldId));
    expect(rekeyRollout(bytes, `rollout-x-${newId}.jsonl`, oldId, newId)).toEqual({ ok: false, why: 'name' });
    expect(rekeyRollout(bytes, `${name}.zst`, oldId, newId)).toEqual({ ok: false, why: 'name' });
    expect(rekeyRollout(Buffer.from(rest(oldId).slice(1)), name, oldId, newId)).toEqual({ ok: false, why: 'session-meta' });
    expect(rekeyRollout(Buffer.from('not json\n'), name, oldId, newId)).toEqual({ ok: false, why: 'session-meta' });
    expect(rekeyRollout(Buffer.from(first.replace(`"id":"${oldId}"`, `"id":"${newId}"`) + rest(oldId)), name, oldId, newId)).toEqual({ ok: false, why: 'session-meta' });
    expect(rekeyRollout(bytes, name, oldId, 'x')).toEqual({ ok: false, why: 'id' });
    expect(rekeyRollout(bytes, name, oldId, oldId)).toEqual({ ok: false, why: 'id' });
  });
});
