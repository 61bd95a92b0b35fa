import { readFile, rm } from 'node:fs/promises';
import { replaceWithBytes, statOrUndefined } from './copy.ts';
import type { SnapshotWriter } from '../backup/snapshot.ts';
import type { Logger } from '../log/logger.ts';
import { mergeJsonl } from './mergeJsonl.ts';
import type { ConflictCopy } from '../scan/conflictCopies.ts';
import { pathBelow } from '../fs/paths.ts';

/**
 * --merge-conflict-copies: folds each JSONL conflict copy's lines into its original in the
 * cloud folder (line union) and removes the copy. Both are backed up first.
 */
export async function mergeConflictCopies(copies: readonly ConflictCopy[], cloudRoot: string, snapshot: SnapshotWriter, log: Logger): Promise<void> {
  for (const copy of copies) {
    const copyPath = pathBelow(cloudRoot, copy.path);
    const originalPath = pathBelow(cloudRoot, copy.original);
    const copyStat = await statOrUndefined(copyPath);
    if (copyStat === undefined) continue;
    const originalStat = await statOrUndefined(originalPath);
    const copyBytes = await readFile(copyPath);
    const originalBytes = originalStat === undefined ? Buffer.alloc(0) : await readFile(originalPath);
    await snapshot.add('cloud', cloudRoot, copy.path, copyStat, 'merge');
    if (originalStat !== undefined) await snapshot.add('cloud', cloudRoot, copy.original, originalStat, 'merge');
    const merged = mergeJsonl(originalBytes, copyBytes);
    await replaceWithBytes(originalPath, merged, Math.max(copyStat.mtimeMs, originalStat?.mtimeMs ?? 0), originalStat);
    await rm(copyPath);
    log.info(`merged the conflict copy ${copy.path} (${copy.client}) into ${copy.original}`);
  }
}
