/** Members of a JSON object per piece: a large object is written without one string of it all. */
const MEMBERS_PER_PIECE = 500;

/**
 * The members `"key":value` of a JSON object, comma-separated, in the keys' order, as pieces
 * of a few hundred members. `value` gives each member's value as JSON text; `newline` goes
 * before each member ("" for compact JSON).
 */
export function* jsonMembers(keys: readonly string[], value: (key: string) => string, newline = ''): Iterable<string> {
  for (let start = 0; start < keys.length; start += MEMBERS_PER_PIECE) {
    let piece = '';
    const end = Math.min(keys.length, start + MEMBERS_PER_PIECE);
    for (let i = start; i < end; i += 1) {
      const key = keys[i] as string;
      piece += `${i === 0 ? '' : ','}${newline}${JSON.stringify(key)}:${value(key)}`;
    }
    yield piece;
  }
}
