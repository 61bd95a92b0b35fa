import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createZstdDecompress, zstdDecompressSync } from 'node:zlib';
import { isNodeError } from '../errors.ts';
import { rolloutName } from './identity.ts';
import { defaultReadLimits, LineSplitter, type LineSink, type ReadLimits } from './lines.ts';
import { publicTurn, RolloutScanner, type Scanned } from './scanner.ts';
import type { RolloutForm, RolloutRead, RolloutUnreadable } from './types.ts';

const CHUNK = 1024 * 1024;
/** Read at a time while looking for a thread's title (Codex 0.171 settles it within its first 6 KB). */
const TITLE_CHUNK = 16 * 1024;

/** A rollout's decompressed bytes, or why they cannot be had. */
export type RolloutBytes = { kind: 'bytes'; bytes: Buffer } | ({ kind: 'unreadable' } & RolloutUnreadable);

/**
 * A rollout read from its bytes as stored (`fileName` says the form and the thread id the
 * first line must carry): the thread with every turn, or why it is not one.
 */
export function readRollout(stored: Uint8Array, fileName: string, limits: ReadLimits = defaultReadLimits): RolloutRead {
  const name = rolloutName(fileName);
  if (name === undefined) return { kind: 'not-a-thread', reason: 'name' };
  const bytes = rolloutBytes(stored, name.form, limits);
  if (bytes.kind === 'unreadable') return bytes;
  const scanner = new RolloutScanner();
  const splitter = new LineSplitter(scanner, limits.maxLineBytes);
  splitter.push(bytes.bytes);
  return withPublicTurns(scanner.finish(name.id, splitter.end(), splitter.bytesSeen));
}

/** readRollout on a file, streamed: memory stays a chunk and a line, whatever the file holds. */
export async function readRolloutFile(path: string, limits: ReadLimits = defaultReadLimits): Promise<RolloutRead> {
  const name = rolloutName(basename(path));
  if (name === undefined) return { kind: 'not-a-thread', reason: 'name' };
  const scanner = new RolloutScanner();
  const splitter = new LineSplitter(scanner, limits.maxLineBytes);
  const failed = await streamRollout(path, name.form, limits, (chunk) => splitter.push(chunk));
  return failed ?? withPublicTurns(scanner.finish(name.id, splitter.end(), splitter.bytesSeen));
}

/** The decompressed bytes of a rollout as stored, at most `limits.maxBytes` of them. */
export function rolloutBytes(stored: Uint8Array, form: RolloutForm, limits: ReadLimits = defaultReadLimits): RolloutBytes {
  if (form === 'jsonl') {
    if (stored.byteLength > limits.maxBytes) return { kind: 'unreadable', reason: 'too-large', limit: limits.maxBytes };
    return { kind: 'bytes', bytes: Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength) };
  }
  try {
    return { kind: 'bytes', bytes: zstdDecompressSync(stored, { maxOutputLength: limits.maxBytes }) };
  } catch (error) {
    if (error instanceof RangeError) return { kind: 'unreadable', reason: 'too-large', limit: limits.maxBytes };
    return { kind: 'unreadable', reason: 'zst-damaged' };
  }
}

/**
 * The thread a rollout starts as, from its first `headBytes` (decompressed) only: its id, project
 * folder, Codex version and title are in its first lines. For a plan that touches thousands of
 * new threads; turn counts and the last activity are of the head only. `untilTitle`: not past
 * the line that settles the title (a plan's thread view needs no more; parsing whole heads of
 * 20,000 new threads took most of a first sync's plan, see bench/results/profile-notes.md).
 */
export async function readRolloutHead(path: string, headBytes = 256 * 1024, limits: ReadLimits = defaultReadLimits, untilTitle = false): Promise<RolloutRead> {
  const name = rolloutName(basename(path));
  if (name === undefined) return { kind: 'not-a-thread', reason: 'name' };
  const scanner = new RolloutScanner();
  const sink: LineSink = untilTitle
    ? {
        line: (text, offset) => {
          scanner.line(text, offset);
          if (scanner.titled()) throw new HeadRead();
        },
        oversized: () => scanner.oversized(),
      }
    : scanner;
  const splitter = new LineSplitter(sink, limits.maxLineBytes);
  let seen = 0;
  const failed = await streamRollout(
    path,
    name.form,
    limits,
    (chunk) => {
      splitter.push(chunk);
      seen += chunk.length;
      if (seen >= headBytes) throw new HeadRead();
    },
    // A title is in the first few kilobytes: a read of a whole megabyte per thread was most of the work.
    untilTitle ? TITLE_CHUNK : Math.min(CHUNK, headBytes),
  );
  if (failed !== undefined) return failed;
  return withPublicTurns(scanner.finish(name.id, splitter.end(), splitter.bytesSeen));
}

class HeadRead extends Error {}

/** A rollout file's decompressed bytes (for comparing two versions), read with the same bounds. */
export async function readRolloutBytes(path: string, limits: ReadLimits = defaultReadLimits): Promise<RolloutBytes> {
  const form: RolloutForm = path.endsWith('.zst') ? 'jsonl.zst' : 'jsonl';
  const chunks: Buffer[] = [];
  const failed = await streamRollout(path, form, limits, (chunk) => chunks.push(chunk));
  return failed ?? { kind: 'bytes', bytes: Buffer.concat(chunks) };
}

class TooLarge extends Error {}

/**
 * Feeds a rollout file's decompressed bytes to `take`, chunk by chunk, and stops past
 * `limits.maxBytes`: the size on disk says nothing about what a zstd frame expands to.
 */
async function streamRollout(
  path: string,
  form: RolloutForm,
  limits: ReadLimits,
  take: (chunk: Buffer) => void,
  chunkBytes = CHUNK,
): Promise<({ kind: 'unreadable' } & RolloutUnreadable) | undefined> {
  let total = 0;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limits.maxBytes) throw new TooLarge();
      take(chunk);
    }
  };
  try {
    // Not through a symbolic link put in the file's place since the scan (Windows has no O_NOFOLLOW).
    const handle = await open(path, process.platform === 'win32' ? 'r' : constants.O_RDONLY | constants.O_NOFOLLOW);
    const file = handle.createReadStream({ highWaterMark: chunkBytes });
    if (form === 'jsonl') await pipeline(file, consume);
    else await pipeline(file, createZstdDecompress({ chunkSize: 64 * 1024 }), consume);
    return undefined;
  } catch (error) {
    if (error instanceof HeadRead) return undefined;
    if (error instanceof TooLarge) return { kind: 'unreadable', reason: 'too-large', limit: limits.maxBytes };
    if (isNodeError(error, 'ENOENT')) return { kind: 'unreadable', reason: 'missing' };
    // zlib's own codes: ZSTD_error_* for a bad frame, Z_BUF_ERROR for one cut short.
    if (isNodeError(error) && /^Z(?:STD)?_/.test(String(error.code))) return { kind: 'unreadable', reason: 'zst-damaged' };
    return { kind: 'unreadable', reason: 'io', code: isNodeError(error) ? String(error.code) : 'unknown' };
  }
}

function withPublicTurns(scanned: Scanned): RolloutRead {
  return scanned.kind === 'thread' ? { kind: 'thread', summary: scanned.summary, turns: scanned.turns.map(publicTurn) } : scanned;
}
