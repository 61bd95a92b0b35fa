import { randomBytes } from 'node:crypto';
import { access, constants, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of every temp file codexSync creates; scope rules never sync such names. */
export const tempPrefix = '.codexsync-';

/**
 * A temp name in the target's own folder, so that the final rename never crosses devices.
 * The target's name is cut short so that a long name never makes the temp name too long.
 */
export function tempPathFor(target: string): string {
  tempCounter += 1;
  return join(dirname(target), `${tempPrefix}${basename(target).slice(0, 48)}.${tempStamp}${tempCounter.toString(36)}.tmp`);
}

// Unique per process and per call, without asking the OS for random bytes each time.
const tempStamp = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
let tempCounter = 0;

/**
 * Writes a small file so that readers see the old content or the new, never a mix: temp
 * file in the same folder, fsync, rename over the target, fsync of the folder.
 */
export async function writeFileAtomic(target: string, data: FileContent): Promise<void> {
  const temp = tempPathFor(target);
  try {
    await writeNewFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(dirname(target));
}

/**
 * Folders whose renames must reach the disk, synced once each at the end of a batch (before
 * the base state that records them is written) instead of once per file.
 */
export class DirSyncer {
  readonly #dirs = new Set<string>();

  later(dir: string): void {
    this.#dirs.add(dir);
  }

  async flush(): Promise<void> {
    const dirs = [...this.#dirs];
    this.#dirs.clear();
    await Promise.all(dirs.map((dir) => syncDir(dir).catch(() => undefined)));
  }
}

/**
 * A file's content: whole, or as pieces written one after another (a large JSON file is
 * then never one string in memory).
 */
export type FileContent = string | Uint8Array | Iterable<string>;

/** Creates a file that must not exist yet (EEXIST otherwise) with its content, synced to disk. */
export async function writeNewFile(path: string, data: FileContent): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
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

/**
 * Why nothing can be written at `path`: the error of the nearest existing folder above it.
 * (A recursive mkdir on a read-only file system reports ENOENT, which would mislead.)
 */
export async function writeProblem(path: string): Promise<unknown> {
  let current = path;
  for (;;) {
    try {
      await stat(current);
      await access(current, constants.W_OK);
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
