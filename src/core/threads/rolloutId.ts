import { randomBytes } from 'node:crypto';

// A thread's identity in its rollout file, and how a version of a thread becomes a thread of its
// own. Codex names a thread by the id in its rollout's first line (session_meta.payload.id) and
// in the file name (rollout-<time>-<id>.jsonl). A copy whose first line and name carry a fresh
// id, placed under sessions/ and read with thread/read, is a separate thread to Codex: listed,
// resumable, continuable, with exactly the turns of that copy (docs/codex-app-server.md, test
// "a version given a fresh id is a thread of its own"). Later lines name the thread too, in
// their events' thread_id and session_id: a copy whose events still named the old id got a
// thread_settings_applied line from Codex at its first resume on each machine, so the two
// machines' copies of it differed, a fork of turns nobody added.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isThreadId(value: string): boolean {
  return uuidPattern.test(value);
}

/** A fresh thread id as Codex makes them: a UUIDv7 (48 bits of milliseconds, then random bits). */
export function newThreadId(nowMs: number = Date.now(), random: Buffer = randomBytes(10)): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.floor(nowMs) % 2 ** 48, 0, 6);
  random.copy(bytes, 6, 0, 10);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type Rekeyed = { ok: true; bytes: Buffer; name: string } | { ok: false; why: RekeyRefusal };

/**
 * Why a rollout cannot be given another id here: its name is not rollout-…-<id>.jsonl (a
 * compressed .jsonl.zst included), its first line is not the session_meta of that id, or an id is not a UUID.
 */
export type RekeyRefusal = 'name' | 'session-meta' | 'id';

/**
 * The same rollout as a thread with id `newId`: the old id replaced in the first line
 * (payload.id and payload.session_id, which equal it for a thread that is not a sub-agent),
 * in every later line's "thread_id" and "session_id" fields, and in the file name; every other
 * byte is unchanged. Both ids are ASCII of one length, so every line keeps its byte offset.
 */
export function rekeyRollout(bytes: Buffer, fileName: string, oldId: string, newId: string): Rekeyed {
  if (!isThreadId(oldId) || !isThreadId(newId) || oldId === newId) return { ok: false, why: 'id' };
  const suffix = `-${oldId}.jsonl`;
  if (!fileName.startsWith('rollout-') || !fileName.endsWith(suffix)) return { ok: false, why: 'name' };
  const end = bytes.indexOf(0x0a);
  const first = bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
  if (sessionMetaId(first) !== oldId) return { ok: false, why: 'session-meta' };
  const renamed = first.split(oldId).join(newId);
  if (sessionMetaId(renamed) !== newId) return { ok: false, why: 'session-meta' };
  const rest = end < 0 ? Buffer.alloc(0) : renameInEvents(bytes.subarray(end), oldId, newId);
  return { ok: true, bytes: Buffer.concat([Buffer.from(renamed, 'utf8'), rest]), name: `${fileName.slice(0, fileName.length - suffix.length)}-${newId}.jsonl` };
}

/**
 * The lines after the first with the events' own fields naming the thread renamed. Only a
 * JSON member written as `"thread_id":"<id>"` or `"session_id":"<id>"` is: inside a string
 * (a prompt, a tool's output) the quotes are escaped, so no text a person wrote changes.
 */
function renameInEvents(lines: Buffer, oldId: string, newId: string): Buffer {
  let out = lines;
  for (const field of ['thread_id', 'session_id']) {
    const from = Buffer.from(`"${field}":"${oldId}"`, 'utf8');
    const to = Buffer.from(`"${field}":"${newId}"`, 'utf8');
    let at = out.indexOf(from);
    if (at < 0) continue;
    out = Buffer.from(out);
    for (; at >= 0; at = out.indexOf(from, at + to.length)) to.copy(out, at);
  }
  return out;
}

/** The thread id of a rollout's first line, when it is a session_meta line. */
export function sessionMetaId(firstLine: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(firstLine);
    if (typeof parsed !== 'object' || parsed === null || (parsed as { type?: unknown }).type !== 'session_meta') return undefined;
    const id = (parsed as { payload?: { id?: unknown } }).payload?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a rollout's bytes start with the session_meta line of `thread`: else, whatever its name, it is an ordinary file. */
export function opensAsThread(bytes: Uint8Array, thread: string): boolean {
  const end = bytes.indexOf(0x0a);
  return end > 0 && sessionMetaId(Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8')) === thread;
}
