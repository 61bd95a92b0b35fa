import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRollouts, readRolloutBytes } from '../../../src/core/threads/index.ts';
import { linesSay, recorded, recordedVersions, type RecordedFolder, type RecordedVersion } from './recorded.ts';

async function bytesOf(version: RecordedVersion, folder: RecordedFolder): Promise<Buffer> {
  const read = await readRolloutBytes(recorded(version, folder).file);
  if (read.kind !== 'bytes') throw new Error(`unreadable: ${JSON.stringify(read)}`);
  return read.bytes;
}

describe.each(recordedVersions)('two versions of a thread recorded with Codex %s', (version) => {
  it('are a fork when each machine resumed the same two turns differently: the shared turns, and per side the turns added', async () => {
    const a = recorded(version, 'fork-a');
    const b = recorded(version, 'fork-b');
    const shared = await bytesOf(version, 'two-turns');
    const startsA = linesSay(a.text).turnStarts;
    const startsB = linesSay(b.text).turnStarts;
    const left = await bytesOf(version, 'fork-a');
    const right = await bytesOf(version, 'fork-b');
    expect(compareRollouts(left, right)).toEqual({
      kind: 'fork',
      sharedTurns: 2,
      sharedBytes: shared.length,
      left: { addedTurns: [{ index: 2, prompt: 'Fork A: serve it on port 8080', startedAt: startsA[2] }], addedBytes: left.length - shared.length, tornTail: false },
      right: {
        addedTurns: [
          { index: 2, prompt: 'Fork B: log every request', startedAt: startsB[2] },
          { index: 3, prompt: 'Fork B: and count them', startedAt: startsB[3] },
        ],
        addedBytes: right.length - shared.length,
        tornTail: false,
      },
    });
  });

  it('are an extension when a resume appended a turn, whichever side is longer', async () => {
    const one = await bytesOf(version, 'one-turn');
    const two = await bytesOf(version, 'two-turns');
    const added = [{ index: 1, prompt: 'Now write a test for it', startedAt: linesSay(recorded(version, 'two-turns').text).turnStarts[1] }];
    expect(compareRollouts(one, two)).toEqual({ kind: 'extension', longer: 'right', sharedTurns: 1, addedTurns: added, addedBytes: two.length - one.length, tornTail: false });
    expect(compareRollouts(two, one)).toEqual({ kind: 'extension', longer: 'left', sharedTurns: 1, addedTurns: added, addedBytes: two.length - one.length, tornTail: false });
  });

  it('are the same when a .jsonl.zst decompresses to the .jsonl', async () => {
    const compressed = await bytesOf(version, 'compressed');
    expect(compressed.equals(readFileSync(recorded(version, 'compressed').file))).toBe(false);
    expect(compareRollouts(compressed, await bytesOf(version, 'uncompressed'))).toEqual({ kind: 'same' });
  });

  it('are unrelated when not even the first line is shared', async () => {
    expect(compareRollouts(await bytesOf(version, 'one-turn'), await bytesOf(version, 'interactive'))).toEqual({ kind: 'unrelated' });
    expect(compareRollouts(Buffer.alloc(0), await bytesOf(version, 'one-turn'))).toEqual({ kind: 'unrelated' });
  });
});

describe('compareRollouts on unfinished versions', () => {
  it('says when the longer side of an extension is still being written', async () => {
    const one = await bytesOf('0.171.0', 'one-turn');
    const two = await bytesOf('0.171.0', 'two-turns');
    const torn = two.subarray(0, two.length - 10);
    expect(compareRollouts(one, torn)).toMatchObject({ kind: 'extension', longer: 'right', sharedTurns: 1, addedBytes: torn.length - one.length, tornTail: true });
  });

  it('does not take a prefix cut inside a line as an extension: the common part ends at the last whole line', async () => {
    const two = await bytesOf('0.171.0', 'two-turns');
    const lastLineStart = two.lastIndexOf(0x0a, two.length - 2) + 1;
    const torn = two.subarray(0, lastLineStart + 20);
    expect(compareRollouts(torn, two)).toEqual({
      kind: 'fork',
      sharedTurns: 2,
      sharedBytes: lastLineStart,
      left: { addedTurns: [], addedBytes: 20, tornTail: true },
      right: { addedTurns: [], addedBytes: two.length - lastLineStart, tornTail: false },
    });
  });
});
