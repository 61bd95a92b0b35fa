import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { ResolvedPaths } from '../config/index.ts';

/**
 * This machine's base state for one pair of (Codex home, cloud mirror). It lives in the
 * machine's own state folder, never in the synced folder: 0.1.2 shared one manifest between
 * machines, and a machine with no edits then pushed stale copies over newer work.
 */
export function baseStateFile(paths: Pick<ResolvedPaths, 'baseStateDir' | 'localStateDir' | 'cloudRoot'>): string {
  const pair = createHash('sha256').update(`${paths.localStateDir}\n${paths.cloudRoot}`).digest('hex').slice(0, 16);
  return join(paths.baseStateDir, `base-${pair}.json`);
}
