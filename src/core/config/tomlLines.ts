// TOML files as lines of text: where a key ends and a comment begins (outside strings), and
// line replacements applied together.

/** The text before the first `=` that is outside quotes. */
export function keyTextOf(line: string): string | undefined {
  const at = scan(line, '=');
  return at === -1 ? undefined : line.slice(0, at);
}

/** `  # comment` at the end of a line (with the space before it), or "". */
export function trailingComment(line: string): string {
  const at = scan(line, '#');
  if (at === -1) return '';
  let start = at;
  while (start > 0 && /\s/.test(line[start - 1] as string)) start -= 1;
  return line.slice(start);
}

/** Index of the first `char` outside TOML strings on one line, or -1. */
export function scan(line: string, char: '=' | '#'): number {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quote === '"' && c === '\\') i += 1;
    else if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === char) return i;
  }
  return -1;
}

/** Replacements and insertions by original line number, applied together at the end. */
export class Patch {
  readonly #lines: string[];
  readonly #replace = new Map<number, { end: number; lines: string[] }>();
  readonly #after = new Map<number, string[]>();

  constructor(lines: string[]) {
    this.#lines = lines;
  }

  replace(start: number, end: number, lines: string[]): void {
    this.#replace.set(start, { end, lines });
  }

  insertAfter(line: number, lines: string[]): void {
    this.#after.set(line, [...(this.#after.get(line) ?? []), ...lines]);
  }

  apply(): string[] {
    const out: string[] = [...(this.#after.get(-1) ?? [])];
    for (let i = 0; i < this.#lines.length; i += 1) {
      const replaced = this.#replace.get(i);
      if (replaced !== undefined) {
        out.push(...replaced.lines);
        i = replaced.end;
      } else {
        out.push(this.#lines[i] as string);
      }
      out.push(...(this.#after.get(i) ?? []));
    }
    return out;
  }
}
