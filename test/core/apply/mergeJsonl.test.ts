import { describe, expect, it } from 'vitest';
import { mergeJsonl, timestampOf } from '../../../src/core/apply/mergeJsonl.ts';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const line = (ts: number, text: string): string => `{"session_id":"s","ts":${ts},"text":"${text}"}`;

describe('line-union merge of append-only JSONL', () => {
  it('holds every line of both, each once, in timestamp order', () => {
    const base = `${line(1, 'one')}\n${line(2, 'two')}\n`;
    const local = `${base}${line(5, 'local five')}\n`;
    const cloud = `${base}${line(3, 'cloud three')}\n${line(7, 'cloud seven')}\n`;
    expect(mergeJsonl(b(local), b(cloud)).toString('utf8')).toBe([line(1, 'one'), line(2, 'two'), line(3, 'cloud three'), line(5, 'local five'), line(7, 'cloud seven'), ''].join('\n'));
  });
  it('gives the same bytes whichever side comes first', () => {
    const x = `${line(1, 'a')}\n${line(4, 'b')}\nnot json\n`;
    const y = `${line(2, 'c')}\n${line(1, 'a')}\n`;
    expect(mergeJsonl(b(x), b(y))).toEqual(mergeJsonl(b(y), b(x)));
  });
  it('keeps lines that do not parse, after the line they followed', () => {
    const merged = mergeJsonl(b(`${line(1, 'a')}\n{broken\n${line(9, 'z')}\n`), b(`${line(5, 'm')}\n`)).toString('utf8');
    expect(merged).toBe(`${line(1, 'a')}\n{broken\n${line(5, 'm')}\n${line(9, 'z')}\n`);
  });
  it('keeps bytes that are not UTF-8 exactly', () => {
    const raw = Buffer.concat([b(`${line(1, 'a')}\n`), Buffer.from([0xff, 0xfe, 0x41, 0x0a])]);
    const merged = mergeJsonl(raw, b(`${line(2, 'b')}\n`));
    expect(merged.includes(Buffer.from([0xff, 0xfe, 0x41]))).toBe(true);
  });
  it('a last line without a newline is a whole line', () => {
    expect(mergeJsonl(b(line(1, 'a')), b(`${line(2, 'b')}\n`)).toString()).toBe(`${line(1, 'a')}\n${line(2, 'b')}\n`);
  });
  it('reads seconds, milliseconds and ISO times', () => {
    expect(timestampOf('{"ts":1764064800}')).toBe(1764064800000);
    expect(timestampOf('{"ts":1764064800123}')).toBe(1764064800123);
    expect(timestampOf('{"updated_at":"2026-11-25T10:00:00Z"}')).toBe(Date.parse('2026-11-25T10:00:00Z'));
    expect(timestampOf('plain text')).toBeUndefined();
  });
});
