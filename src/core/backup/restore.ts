import { CopyRefused, replaceFromStream, statOrUndefined } from '../apply/copy.ts';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { DirSyncer } from '../fs/atomic.ts';
import { forEachAtOnce } from '../fs/limit.ts';
import { pathBelow } from '../fs/paths.ts';
import type { Logger } from '../log/logger.ts';
import { hashFile } from '../scan/hash.ts';
import type { FileStat, Side } from '../scan/types.ts';
import { neverSyncedNames } from '../scope/codexHome.ts';
import { isSafeRelativePath, openSnapshot, type OpenedSnapshot } from './read.ts';
import { listOwnSnapshots, type SnapshotFile, type SnapshotWriter } from './snapshot.ts';

export interface RestoreItem {
  path: string;
  /** The version in the snapshot. */
  stored: { size: number; mtimeMs: number; sha256: string };
  /** What is there now; undefined when the file is missing. */
  current: FileStat | undefined;
  action: 'restore' | 'unchanged';
}

export interface RestorePlan {
  snapshot: string;
  format: 'folder' | 'zip';
  machineId: string;
  createdAt: string;
  target: Side;
  root: string;
  items: RestoreItem[];
  /** Files of the snapshot that are not restored, with why. */
  refused: Array<{ path: string; why: string }>;
}

/**
 * Picks the snapshot: `--from NAME` (a folder or .zip directly in the backup folder; a path
 * or "..") is refused), else this machine's newest.
 */
export async function chooseSnapshot(backupDir: string, machineId: string, from: string | undefined): Promise<string> {
  if (from !== undefined) {
    if (!isSafeRelativePath(from) || from.includes('/')) {
      throw new CodexSyncError(ExitCode.invalidInput, `--from must be the name of a snapshot in ${backupDir}, not a path: ${JSON.stringify(from)}`);
    }
    return from;
  }
  const own = await listOwnSnapshots(backupDir, machineId);
  const newest = own[own.length - 1];
  if (newest === undefined) {
    throw new CodexSyncError(ExitCode.runtimeError, `there is no backup snapshot of ${machineId} in ${backupDir}: nothing to restore`);
  }
  return newest.name;
}

export async function planRestore(snapshot: OpenedSnapshot, target: Side, root: string): Promise<RestorePlan> {
  const items: RestoreItem[] = [];
  const refused: RestorePlan['refused'] = [];
  const seen = new Set<string>();
  for (const file of snapshot.files) {
    if (file.side !== target || seen.has(file.path)) continue;
    seen.add(file.path);
    if (neverSyncedNames.has(file.path.split('/')[0] ?? '')) {
      refused.push({ path: file.path, why: 'never restored: codexSync does not sync this file' });
      continue;
    }
    const current = await statOrUndefined(pathBelow(root, file.path));
    const same = current !== undefined && current.size === file.size && (await hashFile(pathBelow(root, file.path))) === file.sha256;
    items.push({ path: file.path, stored: { size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256 }, current, action: same ? 'unchanged' : 'restore' });
  }
  items.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { snapshot: snapshot.name, format: snapshot.format, machineId: snapshot.header.machineId, createdAt: snapshot.header.createdAt, target, root, items, refused };
}

/** Files restored at once, as in a sync. */
const RESTORE_CONCURRENCY = 8;

export interface RestoreReport {
  restored: number;
  failures: Array<{ path: string; message: string }>;
}

/** Writes each stored version back, after backing up what it replaces into a new snapshot. */
export async function applyRestore(plan: RestorePlan, snapshot: OpenedSnapshot, backup: SnapshotWriter, log: Logger): Promise<RestoreReport> {
  const report: RestoreReport = { restored: 0, failures: [] };
  const byPath = new Map<string, SnapshotFile>(snapshot.files.filter((f) => f.side === plan.target).map((f) => [f.path, f]));
  const dirs = new DirSyncer();
  let fatal: unknown;
  try {
    const items = plan.items.filter((item) => item.action === 'restore');
    await forEachAtOnce(items, RESTORE_CONCURRENCY, async (item) => {
      if (fatal !== undefined) return;
      const file = byPath.get(item.path) as SnapshotFile;
      try {
        if (item.current !== undefined) await backup.add(plan.target, plan.root, item.path, item.current, 'restore');
        await replaceFromStream(await snapshot.open(file), pathBelow(plan.root, item.path), { mtimeMs: file.mtimeMs, target: item.current, sha256: file.sha256 }, dirs);
        report.restored += 1;
        log.info(`restored ${item.path} from ${plan.snapshot}`, { side: plan.target });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        report.failures.push({ path: item.path, message });
        log.error(`not restored: ${item.path}: ${message}`);
        if (!(error instanceof CopyRefused)) fatal ??= error;
      }
    });
  } finally {
    await dirs.flush();
  }
  if (fatal !== undefined) throw fatal;
  report.failures.sort((a, b) => (a.path < b.path ? -1 : 1));
  return report;
}

export { openSnapshot };
