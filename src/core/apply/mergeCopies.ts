import { readFile } from 'node:fs/promises';
import { pathBelow } from '../fs/index.ts';
import { statOrUndefined } from '../fs/index.ts';
import type { Logger } from '../log/index.ts';
import type { ConflictCopy } from '../scan/index.ts';
import { mergeJsonl } from './mergeJsonl.ts';
import type { GuardedWriter } from './writer.ts';

/**
 * Folds each JSONL conflict copy's lines into its original in the cloud folder (line union)
 * and removes the copy, through the run's writer: both are backed up first. Returns what it
 * wrote: the originals are then this run's own files, which no handoff record lists yet.
 */
export async function mergeConflictCopies(copies: readonly ConflictCopy[], writer: GuardedWriter, log: Logger): Promise<Map<string, { size: number; sha256: string }>> {
  const written = new Map<string, { size: number; sha256: string }>();
  for (const copy of copies) {
    const copyStat = statOrUndefined(pathBelow(writer.roots.cloud, copy.path));
    if (copyStat === undefined) continue;
    const originalStat = statOrUndefined(pathBelow(writer.roots.cloud, copy.original));
    const copyBytes = await readFile(await writer.target('cloud', copy.path));
    const originalBytes = originalStat === undefined ? Buffer.alloc(0) : await readFile(await writer.target('cloud', copy.original));
    const merged = mergeJsonl(originalBytes, copyBytes);
    const mtimeMs = Math.max(copyStat.mtimeMs, originalStat?.mtimeMs ?? 0);
    const result = await writer.replace('cloud', copy.original, { bytes: merged }, { target: originalStat, mtimeMs }, 'merge');
    written.set(copy.original, { size: result.size, sha256: result.sha256 });
    await writer.remove('cloud', copy.path, copyStat);
    log.info(`merged the conflict copy ${copy.path} (${copy.client}) into ${copy.original}`);
  }
  await writer.flush();
  return written;
}
