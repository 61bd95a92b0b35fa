import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temp file codexSync creates; scope rules never sync such names. */
export const tempPrefix = '.codexsync-';

/** A temp name in the target's own folder, so that the final rename never crosses devices. */
export function tempPathFor(target: string): string {
  return join(dirname(target), `${tempPrefix}${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a small file so that readers see the old content or the new, never a mix: temp
 * file in the same folder, fsync, rename over the target, fsync of the folder.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dirname(target));
}

/** Makes a rename durable. Windows cannot open folders; there a rename is durable already. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
