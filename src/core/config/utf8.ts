import { basename } from 'node:path';

/**
 * The offset of the first byte that does not start or continue a valid UTF-8 sequence
 * (overlong forms, surrogates and code points past U+10FFFF included, as TextDecoder's
 * fatal mode rejects them), or the length when every byte is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // The allowed range of the second byte narrows for E0, ED, F0 and F4 (no overlong form, no surrogate, nothing past U+10FFFF).
    let size: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) size = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      size = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      size = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < size; k += 1) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return i;
    }
    i += size;
  }
  return bytes.length;
}

/**
 * A config file's text, or the one problem that it is not UTF-8. Read leniently, a stray byte
 * would silently become U+FFFD inside a path (and a save would keep it so); strictly, the user
 * learns where it is.
 */
export function decodeConfig(bytes: Uint8Array, path: string): { ok: true; value: string } | { ok: false; problem: string } {
  try {
    // A leading byte-order mark is dropped by the decoder (editors on Windows write one).
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    const hex = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
    const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
    const fix = utf16 ? 'the file is UTF-16: save it as UTF-8' : 'save the file as UTF-8';
    return { ok: false, problem: `${basename(path)}:${line}: byte ${offset} (0x${hex}) is not valid UTF-8: ${fix}` };
  }
}
