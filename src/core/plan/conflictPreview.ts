import { open } from 'node:fs/promises';

export type ConflictPreview = { kind: 'lines'; format: 'text' | 'jsonl'; local: PreviewLine[]; cloud: PreviewLine[]; moreLocal: number; moreCloud: number } | { kind: 'none'; why: string };

export interface PreviewLine {
  n: number;
  text: string;
}

/** Larger files are not read for a preview. */
export const PREVIEW_MAX_BYTES = 4 * 1024 * 1024;
/** Differing lines shown per side. */
export const PREVIEW_LINES = 12;
const LINE_CHARS = 400;

/**
 * The lines that differ between this machine's and the cloud's version of a text file. For
 * JSONL (one record per line, order by time) these are the lines only one side has; for other
 * text, the stretch between the common first and last lines.
 */
export async function previewConflict(localFile: string, cloudFile: string, path: string): Promise<ConflictPreview> {
  const [local, cloud] = await Promise.all([readSmall(localFile), readSmall(cloudFile)]);
  if (local === 'missing' || cloud === 'missing') return { kind: 'none', why: 'the file is missing on one side' };
  if (local === 'large' || cloud === 'large') return { kind: 'none', why: `larger than ${PREVIEW_MAX_BYTES / 1024 / 1024} MB: no preview` };
  if (isBinary(local) || isBinary(cloud)) return { kind: 'none', why: 'not a text file: no preview' };
  const a = splitLines(local.toString('utf8'));
  const b = splitLines(cloud.toString('utf8'));
  if (path.endsWith('.jsonl')) {
    const inA = new Set(a);
    const inB = new Set(b);
    const onlyA = numbered(a).filter((line) => !inB.has(line.text));
    const onlyB = numbered(b).filter((line) => !inA.has(line.text));
    return shown('jsonl', onlyA, onlyB);
  }
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;
  return shown('text', numbered(a).slice(head, a.length - tail), numbered(b).slice(head, b.length - tail));
}

function shown(format: 'text' | 'jsonl', local: PreviewLine[], cloud: PreviewLine[]): ConflictPreview {
  const cut = (lines: PreviewLine[]): PreviewLine[] =>
    lines.slice(0, PREVIEW_LINES).map((line) => ({ n: line.n, text: line.text.length > LINE_CHARS ? `${line.text.slice(0, LINE_CHARS)}…` : line.text }));
  return {
    kind: 'lines',
    format,
    local: cut(local),
    cloud: cut(cloud),
    moreLocal: Math.max(0, local.length - PREVIEW_LINES),
    moreCloud: Math.max(0, cloud.length - PREVIEW_LINES),
  };
}

function numbered(lines: string[]): PreviewLine[] {
  return lines.map((text, i) => ({ n: i + 1, text }));
}

function splitLines(text: string): string[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

async function readSmall(file: string): Promise<Buffer | 'missing' | 'large'> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const { size } = await handle.stat();
    if (size > PREVIEW_MAX_BYTES) return 'large';
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
