import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultReadLimits, readRollout, readRolloutFile, readRolloutHead, type RolloutRead, rolloutBytes } from '../../../src/core/threads/index.ts';
import { tempDir } from '../../helpers/tmp.ts';
import { linesSay, recorded, recordedVersions } from './recorded.ts';

const ID = '01a22b1e-0000-7000-8000-000000000001';
const NAME = `rollout-2026-01-02T03-04-05-${ID}.jsonl`;

/** A crafted rollout: one JSON value per line, each line ending in "\n". */
function rollout(...records: unknown[]): Buffer {
  return Buffer.from(records.map((record) => (typeof record === 'string' ? record : JSON.stringify(record))).join('\n') + '\n');
}
const meta = (extra: Record<string, unknown> = {}) => ({
  timestamp: '2026-01-02T03:04:05.000Z',
  type: 'session_meta',
  payload: { id: ID, timestamp: '2026-01-02T03:04:04.000Z', cwd: '/work/app', originator: 'codex_exec', cli_version: '0.171.0', source: 'exec', ...extra },
});
const taskStarted = (at: string, turnId: string) => ({ timestamp: at, type: 'event_msg', payload: { type: 'task_started', turn_id: turnId } });
const userMessage = (at: string, turnId: string, text: string) => ({
  timestamp: at,
  type: 'event_msg',
  payload: { type: 'item_completed', turn_id: turnId, item: { type: 'UserMessage', content: [{ type: 'text', text }] } },
});

function thread(read: RolloutRead) {
  if (read.kind !== 'thread') throw new Error(`not a thread: ${JSON.stringify(read)}`);
  return read;
}

/** A zstd frame of RLE blocks: a few KB that expand to `bytes` of "a" (no newline in them). */
function zstdBomb(bytes: number): Buffer {
  const block = 128 * 1024;
  const blocks = Math.ceil(bytes / block);
  const frame = Buffer.alloc(6 + blocks * 4);
  frame.writeUInt32LE(0xfd2fb528, 0);
  frame[4] = 0x00; // no content size declared, no checksum
  frame[5] = 0x38; // a 128 KiB window
  for (let i = 0; i < blocks; i += 1) {
    frame.writeUIntLE((i === blocks - 1 ? 1 : 0) | (1 << 1) | (block << 3), 6 + i * 4, 3);
    frame[9 + i * 4] = 0x61;
  }
  return frame;
}

describe.each(recordedVersions)('a rollout recorded with Codex %s', (version) => {
  it('gives a one-turn exec thread its id, cwd, version, origin, times, and the prompt past the AGENTS.md and environment context', async () => {
    const one = recorded(version, 'one-turn');
    const says = linesSay(one.text);
    const turns = [{ index: 0, prompt: 'Add a health check endpoint to the server', startedAt: says.turnStarts[0] }];
    expect(await readRolloutFile(one.file)).toEqual({
      kind: 'thread',
      summary: {
        id: one.id,
        cwd: `/tmp/codexsync-rollouts/${version}/project`,
        cliVersion: version,
        originator: 'codex_exec',
        source: 'exec',
        createdAt: says.createdAt,
        lastActivityAt: says.lastActivityAt,
        title: 'Add a health check endpoint to the server',
        turnCount: 1,
        lastTurn: turns[0],
        bytes: Buffer.byteLength(one.text),
        tornTail: false,
        badLines: 0,
        oversizedLines: 0,
      },
      turns,
    });
    expect(one.text).toContain('# AGENTS.md instructions');
    expect(one.text).toContain('<environment_context>');
  });

  it('finds each turn of a thread resumed for a second turn, with its prompt and start', async () => {
    const two = recorded(version, 'two-turns');
    const says = linesSay(two.text);
    const read = thread(await readRolloutFile(two.file));
    expect(says.turnStarts).toHaveLength(2);
    expect(read.turns).toEqual(two.prompts.map((prompt, index) => ({ index, prompt, startedAt: says.turnStarts[index] })));
    expect(read.summary).toMatchObject({ turnCount: 2, lastTurn: read.turns[1], lastActivityAt: says.lastActivityAt, title: two.prompts[0] });
  });

  it('finds the turns of both sides of a fork', async () => {
    for (const folder of ['fork-a', 'fork-b'] as const) {
      const fork = recorded(version, folder);
      expect(thread(await readRolloutFile(fork.file)).turns.map((turn) => turn.prompt)).toEqual(fork.prompts);
    }
  });

  it("reads the TUI's thread: originator codex-tui, source vscode", async () => {
    const tui = recorded(version, 'interactive');
    expect(thread(await readRolloutFile(tui.file)).summary).toMatchObject({ id: tui.id, originator: 'codex-tui', source: 'vscode', turnCount: 1, title: 'Explain the build script' });
  });

  it('reads a .jsonl.zst that Codex compressed as the .jsonl it replaced', async () => {
    const compressed = recorded(version, 'compressed');
    const plain = recorded(version, 'uncompressed');
    expect(compressed.fileName).toBe(`${plain.fileName}.zst`);
    const read = await readRolloutFile(compressed.file);
    expect(read).toEqual(await readRolloutFile(plain.file));
    expect(thread(read).summary.bytes).toBe(readFileSync(plain.file).length);
  });

  it("takes the prompt from the user's response item where no UserMessage event says it, past the injected context", async () => {
    const two = recorded(version, 'two-turns');
    const expected = (await readRolloutFile(two.file)) as RolloutRead;
    const lines = two.text.split('\n').filter((line) => line !== '' && !line.includes('"type":"item_completed"'));
    expect(readRollout(Buffer.from(`${lines.join('\n')}\n`), two.fileName)).toMatchObject({ kind: 'thread', turns: thread(expected).turns });
    // Without Codex's provenance metadata (older versions): the injected text is known by how it begins.
    const bare = lines.map((line) => {
      const record = JSON.parse(line) as { payload: Record<string, unknown> };
      delete record.payload.internal_chat_message_metadata_passthrough;
      return JSON.stringify(record);
    });
    expect(readRollout(Buffer.from(`${bare.join('\n')}\n`), two.fileName)).toMatchObject({ kind: 'thread', turns: thread(expected).turns });
  });

  it('reads the same from bytes as from the file', async () => {
    for (const folder of ['two-turns', 'compressed'] as const) {
      const fixture = recorded(version, folder);
      expect(readRollout(readFileSync(fixture.file), fixture.fileName)).toEqual(await readRolloutFile(fixture.file));
    }
  });
});

describe('a rollout that is damaged, unfinished or hostile', () => {
  it('reports a last line without a newline as a torn tail, from the complete lines before it', () => {
    const two = recorded('0.171.0', 'two-turns');
    const cut = Buffer.from(two.text.slice(0, two.text.length - 40));
    const lines = two.text.split('\n');
    const read = thread(readRollout(cut, two.fileName));
    expect(read.summary).toMatchObject({ tornTail: true, badLines: 0, turnCount: 2, bytes: cut.length });
    expect(read.summary.lastActivityAt).toBe((JSON.parse(lines.at(-3) as string) as { timestamp: string }).timestamp);
  });

  it('counts a line that is not JSON and reads on', () => {
    const bytes = rollout(meta(), taskStarted('2026-01-02T03:04:06.000Z', 't1'), 'garbage {', userMessage('2026-01-02T03:04:07.000Z', 't1', 'Fix the bug'), '[1,2]');
    const read = thread(readRollout(bytes, NAME));
    expect(read.summary).toMatchObject({ badLines: 2, tornTail: false, turnCount: 1, title: 'Fix the bug', lastActivityAt: '2026-01-02T03:04:07.000Z' });
  });

  it('is not a thread when session_meta names another thread than the file name', () => {
    const other = '01a22b1e-0000-7000-8000-000000000002';
    expect(readRollout(rollout(meta({ id: other })), NAME)).toEqual({ kind: 'not-a-thread', reason: 'id-mismatch', fileId: ID, metaId: other });
  });

  it('is not a thread without a session_meta first line, or before its first line is whole', () => {
    expect(readRollout(rollout(taskStarted('2026-01-02T03:04:06.000Z', 't1'), meta()), NAME)).toEqual({ kind: 'not-a-thread', reason: 'no-session-meta' });
    expect(readRollout(rollout('not json', meta()), NAME)).toEqual({ kind: 'not-a-thread', reason: 'no-session-meta' });
    expect(readRollout(rollout(meta({ id: 'not-an-id' })), NAME)).toEqual({ kind: 'not-a-thread', reason: 'no-session-meta' });
    expect(readRollout(Buffer.from(JSON.stringify(meta()).slice(0, 50)), NAME)).toEqual({ kind: 'not-a-thread', reason: 'incomplete' });
    expect(readRollout(Buffer.alloc(0), NAME)).toEqual({ kind: 'not-a-thread', reason: 'empty' });
    expect(readRollout(rollout(meta()), 'notes.jsonl')).toEqual({ kind: 'not-a-thread', reason: 'name' });
  });

  it('stops a zstd bomb at the byte limit without holding what it expands to', async () => {
    const dir = tempDir();
    const file = join(dir, `${NAME}.zst`);
    const limit = defaultReadLimits.maxBytes;
    writeFileSync(file, zstdBomb(limit + 1024 * 1024));
    expect(await readRolloutFile(file)).toEqual({ kind: 'unreadable', reason: 'too-large', limit });
    const small = { maxBytes: 1024 * 1024, maxLineBytes: 1024 };
    expect(rolloutBytes(zstdBomb(4 * 1024 * 1024), 'jsonl.zst', small)).toEqual({ kind: 'unreadable', reason: 'too-large', limit: small.maxBytes });
    expect(readRollout(zstdBomb(4 * 1024 * 1024), `${NAME}.zst`, small)).toEqual({ kind: 'unreadable', reason: 'too-large', limit: small.maxBytes });
  });

  it('reports a .zst that is not zstd, or is cut short, as damaged', async () => {
    const dir = tempDir();
    const whole = zstdCompressSync(rollout(meta()));
    const cut = join(dir, `${NAME}.zst`);
    writeFileSync(cut, whole.subarray(0, whole.length - 4));
    expect(await readRolloutFile(cut)).toEqual({ kind: 'unreadable', reason: 'zst-damaged' });
    expect(readRollout(Buffer.from('plain text, not zstd'), `${NAME}.zst`)).toEqual({ kind: 'unreadable', reason: 'zst-damaged' });
  });

  it('skips a line longer than the limit unread and counts it', async () => {
    const huge = JSON.stringify({
      timestamp: '2026-01-02T03:04:08.000Z',
      type: 'response_item',
      payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x'.repeat(5000) }] },
    });
    const bytes = rollout(meta(), taskStarted('2026-01-02T03:04:06.000Z', 't1'), userMessage('2026-01-02T03:04:07.000Z', 't1', 'Look at this'), huge);
    expect(thread(readRollout(bytes, NAME, { maxBytes: 1024 * 1024, maxLineBytes: 1024 })).summary).toMatchObject({
      oversizedLines: 1,
      badLines: 0,
      turnCount: 1,
      title: 'Look at this',
      lastActivityAt: '2026-01-02T03:04:07.000Z',
    });
    // The default limit, on a file streamed in chunks: a line of 40 MiB.
    const file = join(tempDir(), NAME);
    writeFileSync(file, Buffer.concat([rollout(meta()), Buffer.alloc(40 * 1024 * 1024, 0x61), Buffer.from('\n')]));
    expect(thread(await readRolloutFile(file)).summary).toMatchObject({ oversizedLines: 1, badLines: 0, bytes: 40 * 1024 * 1024 + rollout(meta()).length + 1 });
    // A session_meta line over the limit: nothing tells which thread it is.
    expect(readRollout(rollout(meta({ base_instructions: 'y'.repeat(2000) })), NAME, { maxBytes: 1024 * 1024, maxLineBytes: 1024 })).toEqual({ kind: 'not-a-thread', reason: 'no-session-meta' });
  });

  it('takes nothing from __proto__ or inherited keys', () => {
    const bytes = rollout({ timestamp: '2026-01-02T03:04:05.000Z', type: 'session_meta', payload: JSON.parse(`{"__proto__": {"id": "${ID}"}}`) as unknown }, meta());
    expect(readRollout(bytes, NAME)).toEqual({ kind: 'not-a-thread', reason: 'no-session-meta' });
    const polluting = rollout(meta(), '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"type":"event_msg","payload":{"type":"task_started","turn_id":"t1"}}');
    expect(thread(readRollout(polluting, NAME)).summary.turnCount).toBe(1);
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes prompts one clean line: no control characters or bidi overrides, at most 200 characters, the title 80', () => {
    const long = `Refactor\tthe\r\nparser \u001b[31mnow\u001b[0m \u202eplease\u202c ${'word '.repeat(60)}`;
    const read = thread(readRollout(rollout(meta(), taskStarted('2026-01-02T03:04:06.000Z', 't1'), userMessage('2026-01-02T03:04:07.000Z', 't1', long)), NAME));
    const prompt = read.turns[0]?.prompt ?? '';
    expect(prompt.startsWith('Refactor the parser [31mnow[0m please word word')).toBe(true);
    expect(Array.from(prompt)).toHaveLength(200);
    expect(prompt.endsWith('…')).toBe(true);
    expect(Array.from(read.summary.title)).toHaveLength(80);
    expect(read.summary.title).toBe(`${prompt.slice(0, 79).trimEnd()}…`);
  });

  it('reads older rollouts whose prompts are user_message events without task_started: one turn per prompt', () => {
    const legacy = (at: string, message: string) => ({ timestamp: at, type: 'event_msg', payload: { type: 'user_message', message } });
    const read = thread(readRollout(rollout(meta(), legacy('2026-01-02T03:04:06.000Z', 'First'), legacy('2026-01-02T03:05:06.000Z', 'Second')), NAME));
    expect(read.turns).toEqual([
      { index: 0, prompt: 'First', startedAt: '2026-01-02T03:04:06.000Z' },
      { index: 1, prompt: 'Second', startedAt: '2026-01-02T03:05:06.000Z' },
    ]);
  });

  it('keeps the first prompt of a turn the user steered with a second message', () => {
    const bytes = rollout(meta(), taskStarted('2026-01-02T03:04:06.000Z', 't1'), userMessage('2026-01-02T03:04:07.000Z', 't1', 'Start'), userMessage('2026-01-02T03:04:09.000Z', 't1', 'Also this'));
    expect(thread(readRollout(bytes, NAME)).turns).toEqual([{ index: 0, prompt: 'Start', startedAt: '2026-01-02T03:04:06.000Z' }]);
  });

  it('reports a file gone since it was listed, or a link in its place, as unreadable', async () => {
    const dir = tempDir();
    expect(await readRolloutFile(join(dir, NAME))).toEqual({ kind: 'unreadable', reason: 'missing' });
    if (process.platform === 'win32') return;
    writeFileSync(join(dir, 'elsewhere.jsonl'), rollout(meta()));
    symlinkSync(join(dir, 'elsewhere.jsonl'), join(dir, NAME));
    expect(await readRolloutFile(join(dir, NAME))).toEqual({ kind: 'unreadable', reason: 'io', code: 'ELOOP' });
  });
});

describe("a plan's view of a thread reads only up to its title", () => {
  it('recorded by real Codex: the title, project and version of a whole read, from the first turn only', async () => {
    for (const version of recordedVersions) {
      for (const folder of ['two-turns', 'fork-a', 'interactive', 'compressed'] as const) {
        const { file } = recorded(version, folder);
        const whole = thread(await readRolloutHead(file));
        const head = thread(await readRolloutHead(file, undefined, undefined, true));
        expect([head.summary.title, head.summary.cwd, head.summary.cliVersion], `${version} ${folder}`).toEqual([whole.summary.title, whole.summary.cwd, whole.summary.cliVersion]);
        expect(head.summary.turnCount, `${version} ${folder}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('a prompt only a response item gives is kept until the next turn starts, since an event may still replace it', async () => {
    const dir = tempDir();
    const file = join(dir, NAME);
    const item = (text: string) => ({ timestamp: '2026-01-02T03:04:06.000Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } });
    writeFileSync(file, rollout(meta(), taskStarted('2026-01-02T03:04:06.000Z', 't1'), item('as sent to the model'), userMessage('2026-01-02T03:04:06.000Z', 't1', 'as typed')));
    expect(thread(await readRolloutHead(file, undefined, undefined, true)).summary.title).toBe('as typed');
  });
});
