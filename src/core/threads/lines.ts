// Line splitting and careful reading of JSON values for rollout files, which may come from the
// cloud folder: no size is trusted, no line grows without bound, and values are read only
// from an object's own properties.

/** How much of a rollout the reader takes in. */
export interface ReadLimits {
  /** A longer line is skipped unread (counted as oversized). */
  maxLineBytes: number;
  /** The most bytes a rollout may hold once decompressed; beyond it the file is not read. */
  maxBytes: number;
}

/**
 * Codex inlines images as base64 in a line: a few MB is normal, not tens. A rollout's bytes are
 * held whole only to compare two versions; past half a GiB it is not read at all.
 */
export const defaultReadLimits: ReadLimits = { maxLineBytes: 32 * 1024 * 1024, maxBytes: 512 * 1024 * 1024 };

const NEWLINE = 0x0a;

/** Receives each complete line (without its "\n") with the byte offset where it starts. */
export interface LineSink {
  line(text: string, offset: number): void;
  /** A line longer than the limit, at `offset`; its bytes were not kept. */
  oversized(offset: number): void;
}

/** What is left after the last "\n": an unfinished line, still being written or cut short. */
export interface Tail {
  offset: number;
  bytes: number;
}

/**
 * Splits bytes that arrive in chunks into lines. A line that grows past `maxLineBytes` is
 * dropped as it arrives (its bytes are not kept) and reported once it ends.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private lineStart = 0;
  private skipping = false;
  private total = 0;

  private readonly sink: LineSink;
  private readonly maxLineBytes: number;

  constructor(sink: LineSink, maxLineBytes: number) {
    this.sink = sink;
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Uint8Array): void {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let from = 0;
    for (let newline = buffer.indexOf(NEWLINE, from); newline !== -1; newline = buffer.indexOf(NEWLINE, from)) {
      this.take(buffer, from, newline);
      this.endLine(this.total + newline + 1);
      from = newline + 1;
    }
    this.take(buffer, from, buffer.length);
    this.total += buffer.length;
  }

  /** Call after the last chunk: the unfinished line after the last "\n", if any. */
  end(): Tail | undefined {
    const bytes = this.total - this.lineStart;
    return bytes > 0 ? { offset: this.lineStart, bytes } : undefined;
  }

  get bytesSeen(): number {
    return this.total;
  }

  private take(buffer: Buffer, from: number, to: number): void {
    if (this.skipping || to === from) return;
    if (this.pendingBytes + (to - from) > this.maxLineBytes) {
      this.skipping = true;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(buffer.subarray(from, to));
    this.pendingBytes += to - from;
  }

  private endLine(nextStart: number): void {
    if (this.skipping) this.sink.oversized(this.lineStart);
    else if (this.pendingBytes > 0) {
      const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
      this.sink.line(bytes.toString('utf8'), this.lineStart);
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
    this.lineStart = nextStart;
  }
}

export type JsonObject = Record<string, unknown>;

/** The line as a JSON object, or undefined when it is not one. */
export function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property only: a key like "constructor" or "__proto__" never reaches Object.prototype. */
export function own(object: JsonObject, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function ownString(object: JsonObject, key: string): string | undefined {
  const value = own(object, key);
  return typeof value === 'string' ? value : undefined;
}

export function ownObject(object: JsonObject, key: string): JsonObject | undefined {
  const value = own(object, key);
  return isObject(value) ? value : undefined;
}

export function ownArray(object: JsonObject, key: string): unknown[] | undefined {
  const value = own(object, key);
  return Array.isArray(value) ? value : undefined;
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time as Codex writes them (UTC, up to nanoseconds), or undefined. */
export function isoTimestamp(value: unknown): string | undefined {
  return typeof value === 'string' && timestampPattern.test(value) && !Number.isNaN(Date.parse(value.replace(/(\.\d{3})\d+/, '$1'))) ? value : undefined;
}

/**
 * Orders two timestamps accepted by isoTimestamp, to the nanosecond (Date.parse stops at the
 * millisecond, and Codex writes session_index.jsonl lines microseconds apart).
 */
export function compareTimestamps(a: string, b: string): number {
  const key = (value: string): [number, number] => {
    const fraction = /\.(\d+)/.exec(value)?.[1] ?? '';
    const whole = Date.parse(value.replace(/\.\d+/, ''));
    return [whole, Number(fraction.padEnd(9, '0'))];
  };
  const [wholeA, nanosA] = key(a);
  const [wholeB, nanosB] = key(b);
  return wholeA - wholeB || nanosA - nanosB;
}

// C0 and C1 controls, and the bidirectional overrides that could make shown text lie about itself.
// eslint-disable-next-line no-control-regex
const invisible = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const everyInvisible = new RegExp(invisible.source, 'g');

/**
 * Text from a rollout made fit to show on one line: line breaks and tabs become spaces,
 * other control characters go, runs of spaces shrink to one, and at most `max` characters
 * (code points) remain, the last an ellipsis when text was cut.
 */
export function oneLine(text: string, max: number): string {
  const flat = text
    .replace(/[\r\n\t\f\v\u2028\u2029]+/g, ' ')
    .replace(everyInvisible, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max * 2 + 2);
  const points = Array.from(head);
  if (points.length <= max && head.length === flat.length) return flat;
  return `${points
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** A short single-line value (a version, an originator), or undefined when it is none. */
export function shortValue(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= max && !invisible.test(value) ? value : undefined;
}
