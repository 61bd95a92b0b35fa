/** The most characters of one value a config message quotes: a huge value must not flood the terminal. */
export const SHOWN_MAX = 80;

/**
 * A value as a config message quotes it: control characters escaped (a value must not drive
 * the terminal) and, past SHOWN_MAX characters, cut in the middle with "…", so that both
 * ends stay readable (the start of a path and its file name, or both quotes of a value).
 */
export function shown(value: string): string {
  const chars = Array.from(Array.from(value, escapeControl).join(''));
  if (chars.length <= SHOWN_MAX) return chars.join('');
  const head = Math.ceil((SHOWN_MAX - 1) / 2);
  const tail = SHOWN_MAX - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

function escapeControl(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
}
