/**
 * Line-union merge of append-only JSONL files (history.jsonl, session_index.jsonl): every
 * line of both sides, each once, in timestamp order. Works on bytes (latin1 strings), so a
 * line that is not valid JSON or not valid UTF-8 is kept exactly as it was, never dropped.
 * The order depends only on the set of lines, so both machines compute the same bytes.
 */
export function mergeJsonl(first: Uint8Array, second: Uint8Array): Buffer {
  // Sort key per distinct line: its own time, or the time of the line it followed plus its
  // distance from that line, so a line without a time stays right after its neighbour.
  const keyed = new Map<string, [time: number, after: number]>();
  for (const source of [first, second]) {
    let time = Number.NEGATIVE_INFINITY;
    let after = 0;
    for (const line of splitLines(source)) {
      const own = timestampOf(line);
      if (own === undefined) after += 1;
      else [time, after] = [own, 0];
      if (!keyed.has(line)) keyed.set(line, [time, after]);
    }
  }
  const lines = [...keyed.entries()].sort(([lineA, [timeA, afterA]], [lineB, [timeB, afterB]]) => timeA - timeB || afterA - afterB || (lineA < lineB ? -1 : lineA > lineB ? 1 : 0));
  return lines.length === 0 ? Buffer.alloc(0) : Buffer.from(`${lines.map(([line]) => line).join('\n')}\n`, 'latin1');
}

function splitLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return text
    .split('\n')
    .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
    .filter((line) => line.trim() !== '');
}

/** Milliseconds since the epoch from the usual fields of Codex's JSONL lines, if any. */
export function timestampOf(latin1Line: string): number | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(latin1Line, 'latin1').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  for (const field of ['ts', 'timestamp', 'created_at', 'updated_at', 'time']) {
    const raw = record[field];
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw < 1e11 ? raw * 1000 : raw;
    if (typeof raw === 'string') {
      const parsed = Date.parse(raw);
      if (!Number.isNaN(parsed)) return parsed;
    }
  }
  return undefined;
}
