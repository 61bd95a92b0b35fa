import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isNodeError } from '../errors.ts';

const CHUNK = 1024 * 1024;

/** SHA-256 (hex) of a file, or of its first `limit` bytes, read in 1 MiB chunks. */
export async function hashFile(path: string, limit = Number.POSITIVE_INFINITY): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let remaining = limit;
    while (remaining > 0) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, remaining), null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      remaining -= bytesRead;
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** Whether a file is empty or ends with a newline (its last line is whole); false once it is gone. */
export async function endsWithNewline(path: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
