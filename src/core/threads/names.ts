// session_index.jsonl: Codex appends {"id","thread_name","updated_at"} each time a thread is
// named or renamed (app-server thread/name/set, seen on 0.169 and 0.171). After a line-by-line
// merge of two machines' files the lines of one id are in no useful order, so the newest
// updated_at wins, and between equal times the later line.
import { compareTimestamps, defaultReadLimits, isoTimestamp, LineSplitter, oneLine, ownString, parseObject, type ReadLimits } from './lines.ts';
import { TITLE_CHARS } from './scanner.ts';
import type { ThreadSummary } from './types.ts';

export const NAME_CHARS = 200;
const threadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A thread's newest name; `name` is undefined where the newest line clears it (an empty name). */
export interface ThreadName {
  name?: string;
  updatedAt: string;
}

export interface SessionIndex {
  names: Map<string, ThreadName>;
  /** Lines skipped: not JSON, no thread id, no name, no valid updated_at, or too long. */
  badLines: number;
  /** The last line has no "\n" yet (and was not read). */
  tornTail: boolean;
}

/** The thread names a session_index.jsonl holds. */
export function parseSessionIndex(bytes: Uint8Array, limits: ReadLimits = defaultReadLimits): SessionIndex {
  const names = new Map<string, ThreadName>();
  let badLines = 0;
  const splitter = new LineSplitter(
    {
      line(text) {
        const record = parseObject(text);
        const id = record === undefined ? undefined : ownString(record, 'id');
        const name = record === undefined ? undefined : ownString(record, 'thread_name');
        const updatedAt = record === undefined ? undefined : isoTimestamp(ownString(record, 'updated_at'));
        if (id === undefined || !threadIdPattern.test(id) || name === undefined || updatedAt === undefined) {
          badLines += 1;
          return;
        }
        const known = names.get(id);
        if (known !== undefined && compareTimestamps(known.updatedAt, updatedAt) > 0) return;
        const shown = oneLine(name, NAME_CHARS);
        names.set(id, shown === '' ? { updatedAt } : { name: shown, updatedAt });
      },
      oversized() {
        badLines += 1;
      },
    },
    limits.maxLineBytes,
  );
  splitter.push(bytes);
  return { names, badLines, tornTail: splitter.end() !== undefined };
}

/** What to call a thread: its name where it has one, else its first prompt (its summary's title). */
export function threadTitle(summary: Pick<ThreadSummary, 'id' | 'title'>, index: SessionIndex | undefined): string {
  return index?.names.get(summary.id)?.name ?? summary.title;
}

/** A first prompt as a summary's title: one line, cut as readRollout cuts it (Codex's catalogue keeps it whole). */
export function promptTitle(prompt: string): string {
  return oneLine(prompt, TITLE_CHARS);
}
