import { readFile } from 'node:fs/promises';
import { pathBelow } from '../fs/index.ts';
import { statOrUndefined } from '../fs/index.ts';
import type { Logger } from '../log/index.ts';
import type { ConflictCopy } from '../scan/index.ts';
import { mergeJsonl } from './mergeJsonl.ts';
import type { GuardedWriter } from './writer.ts';

/**
 * The time each merged original gets: newer than every input (the original and all its
 * copies) by more than the compare tolerance, and not before `now`. The merge is a version
 * that did not exist before; with an input's time, a machine holding that input without a
 * base would see equal times and other content, which it leaves alone for good.
 */
export function mergedCopyTimes(copies: readonly ConflictCopy[], cloudRoot: string, now: Date, toleranceMs: number): Map<string, number> {
  const newest = new Map<string, number>();
  for (const copy of copies) {
    const inputs = [copy.path, copy.original].map((path) => statOrUndefined(pathBelow(cloudRoot, path))?.mtimeMs ?? 0);
    newest.set(copy.original, Math.max(newest.get(copy.original) ?? 0, ...inputs));
  }
  return new Map([...newest].map(([original, mtimeMs]) => [original, Math.max(now.getTime(), mtimeMs + toleranceMs + 1000)]));
}

/**
 * Folds each JSONL conflict copy's lines into its original in the cloud folder (line union)
 * and removes the copy, through the run's writer: both are backed up first. The original
 * gets its time from `times` (see mergedCopyTimes). Returns what it wrote: the originals are
 * then this run's own files, which no handoff record lists yet.
 */
export async function mergeConflictCopies(
  copies: readonly ConflictCopy[],
  times: ReadonlyMap<string, number>,
  writer: GuardedWriter,
  log: Logger,
): Promise<Map<string, { size: number; sha256: string }>> {
  const written = new Map<string, { size: number; sha256: string }>();
  for (const copy of copies) {
    const copyStat = statOrUndefined(pathBelow(writer.roots.cloud, copy.path));
    if (copyStat === undefined) continue;
    const originalStat = statOrUndefined(pathBelow(writer.roots.cloud, copy.original));
    const copyBytes = await readFile(await writer.target('cloud', copy.path));
    const originalBytes = originalStat === undefined ? Buffer.alloc(0) : await readFile(await writer.target('cloud', copy.original));
    const merged = mergeJsonl(originalBytes, copyBytes);
    const mtimeMs = times.get(copy.original) ?? Math.max(copyStat.mtimeMs, originalStat?.mtimeMs ?? 0) + 1000;
    const result = await writer.replace('cloud', copy.original, { bytes: merged }, { target: originalStat, mtimeMs }, 'merge');
    written.set(copy.original, { size: result.size, sha256: result.sha256 });
    await writer.remove('cloud', copy.path, copyStat);
    log.info(`merged the conflict copy ${copy.path} (${copy.client}) into ${copy.original}`);
  }
  await writer.flush();
  return written;
}
