// What each rollout file was, kept between runs (inside the base state) by relative path with
// the size, modification time and form it had: a plan where nothing changed reads no rollout.
import { z } from 'zod';
import type { FileStat } from '../facts.ts';
import { forEachConcurrently, pathBelow } from '../fs/index.ts';
import { rolloutFileOf } from './identity.ts';
import { defaultReadLimits, type ReadLimits } from './lines.ts';
import { readRolloutFile } from './rollout.ts';
import type { RolloutForm, RolloutOutcome } from './types.ts';

export interface CachedRollout {
  size: number;
  mtimeMs: number;
  form: RolloutForm;
  outcome: RolloutOutcome;
}

/** Summaries by relative rollout path. Never changed in place: summariseThreads gives a new one. */
export type ThreadCache = ReadonlyMap<string, CachedRollout>;

export const emptyThreadCache: ThreadCache = new Map();

export interface ThreadsSummarised {
  /** By relative path: every rollout file among the paths given. */
  summaries: Map<string, RolloutOutcome>;
  /** The cache for the next run: exactly these paths (the same object when nothing changed). */
  cache: ThreadCache;
  /** The relative paths this call read, in the order given. */
  read: string[];
}

/**
 * Each rollout's outcome, from the cache where its size and modification time are those cached,
 * else read from `root` (at most `concurrency` files at a time). Paths that are not rollout
 * files are left out. A file gone or unreadable right now is not cached, so the next run tries
 * it again.
 */
export async function summariseThreads(
  root: string,
  files: Iterable<readonly [string, FileStat]>,
  cache: ThreadCache,
  options: { concurrency?: number; limits?: ReadLimits } = {},
): Promise<ThreadsSummarised> {
  const summaries = new Map<string, RolloutOutcome>();
  const toRead: [string, FileStat, RolloutForm][] = [];
  let hits = 0;
  for (const [path, stat] of files) {
    const cached = cache.get(path);
    if (cached !== undefined && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) {
      summaries.set(path, cached.outcome);
      hits += 1;
      continue;
    }
    const file = rolloutFileOf(path);
    if (file !== undefined) toRead.push([path, stat, file.form]);
  }
  if (toRead.length === 0 && hits === cache.size) return { summaries, cache, read: [] };

  const fresh = new Map<string, CachedRollout>();
  await forEachConcurrently(toRead, options.concurrency ?? 4, async ([path, stat, form]) => {
    const read = await readRolloutFile(pathBelow(root, path), options.limits ?? defaultReadLimits);
    const outcome: RolloutOutcome = read.kind === 'thread' ? { kind: 'thread', summary: read.summary } : read;
    fresh.set(path, { size: stat.size, mtimeMs: stat.mtimeMs, form, outcome });
  });
  const next = new Map<string, CachedRollout>();
  const read = toRead.map(([path]) => path);
  for (const path of [...summaries.keys(), ...read]) {
    const entry = fresh.get(path) ?? (cache.get(path) as CachedRollout);
    summaries.set(path, entry.outcome);
    if (entry.outcome.kind !== 'unreadable' || (entry.outcome.reason !== 'missing' && entry.outcome.reason !== 'io')) next.set(path, entry);
  }
  return { summaries, cache: next, read };
}

// ---- The cache as a plain JSON value ---------------------------------------------------------

const text = (max: number) => z.string().max(max);
const timestamp = text(40);
const count = z.number().int().nonnegative();
const turnSchema = z.object({ index: count, prompt: text(400), startedAt: timestamp.optional() });
const summarySchema = z.object({
  id: text(36),
  cwd: text(4096).optional(),
  cliVersion: text(64).optional(),
  originator: text(100).optional(),
  source: text(100).optional(),
  createdAt: timestamp.optional(),
  lastActivityAt: timestamp.optional(),
  title: text(160),
  turnCount: count,
  lastTurn: turnSchema.optional(),
  bytes: count,
  tornTail: z.boolean(),
  badLines: count,
  oversizedLines: count,
});
const outcomeSchema = z.union([
  z.object({ kind: z.literal('thread'), summary: summarySchema }),
  z.object({ kind: z.literal('not-a-thread'), reason: z.enum(['name', 'empty', 'incomplete', 'no-session-meta']) }),
  z.object({ kind: z.literal('not-a-thread'), reason: z.literal('id-mismatch'), fileId: text(36), metaId: text(36) }),
  z.object({ kind: z.literal('unreadable'), reason: z.literal('too-large'), limit: count }),
  z.object({ kind: z.literal('unreadable'), reason: z.literal('zst-damaged') }),
]);
const entrySchema = z.object({ size: count, mtimeMs: z.number(), form: z.enum(['jsonl', 'jsonl.zst']), outcome: outcomeSchema });
const cacheSchema = z.object({ version: z.literal(1), entries: z.custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value)) });

/** The cache as a plain JSON value, for the base state file. */
export function threadCacheToJson(cache: ThreadCache): { version: 1; entries: Record<string, CachedRollout> } {
  return { version: 1, entries: Object.fromEntries(cache) };
}

/**
 * The cache from its JSON value. It is only a cache: a value of another shape gives an empty
 * one, and an entry that is not valid, or whose path is not a rollout file's, is dropped (that
 * file is read again).
 */
export function threadCacheFromJson(value: unknown): ThreadCache {
  const parsed = cacheSchema.safeParse(value);
  if (!parsed.success) return emptyThreadCache;
  const cache = new Map<string, CachedRollout>();
  for (const [path, raw] of Object.entries(parsed.data.entries)) {
    const file = rolloutFileOf(path);
    const entry = entrySchema.safeParse(raw);
    if (file === undefined || !entry.success || entry.data.form !== file.form) continue;
    if (entry.data.outcome.kind === 'thread' && entry.data.outcome.summary.id !== file.id) continue;
    cache.set(path, entry.data as CachedRollout);
  }
  return cache;
}
