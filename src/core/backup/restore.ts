import { CodexSyncError, ExitCode, type IgnoredSnapshot } from '../errors.ts';
import type { FileStat, Side } from '../facts.ts';
import { forEachConcurrently, WriteRefused, type WriteExpectation, type WriteSource, type Written } from '../fs/index.ts';
import { isSafeRelativePath, pathBelow } from '../fs/index.ts';
import { statOrUndefined } from '../fs/index.ts';
import type { Logger } from '../log/index.ts';
import { hashFile } from '../scan/index.ts';
import { neverSyncedNames, neverSyncedReason, type Scope } from '../scope/index.ts';
import { openSnapshot, ownSnapshotsNewestFirst, type OpenedSnapshot } from './read.ts';
import type { BackupReason, SnapshotFile } from './snapshot.ts';

/** One file a restore puts back (GuardedWriter's Replacement). */
interface Replacement {
  path: string;
  source: () => Promise<WriteSource>;
  size: number;
  expect: WriteExpectation;
  backup?: BackupReason;
}

/** What a restore writes through: the run's guarded writer (path and link checks, backup, atomic replace). */
export interface RestoreWriter {
  /** Where a path is, once no symbolic link is on the way (else WriteRefused 'unsafe-path'). */
  target(side: Side, path: string): Promise<string>;
  replaceAll(side: Side, replacements: readonly Replacement[], settled: (replacement: Replacement, outcome: Written | WriteRefused) => void): Promise<void>;
  flush(): Promise<void>;
}

export interface RestoreItem {
  path: string;
  /** The version in the snapshot. */
  stored: { size: number; mtimeMs: number; sha256: string };
  /** What is there now; undefined when the file is missing. */
  current: FileStat | undefined;
  action: 'restore' | 'unchanged';
}

export type RestoreRefusal = 'never-synced' | 'outside-scope';

export interface RestorePlan {
  snapshot: string;
  format: 'folder' | 'zip';
  machineId: string;
  createdAt: string;
  target: Side;
  root: string;
  items: RestoreItem[];
  /** Files of the snapshot that are not restored, with why: never synced by codexSync, or outside this config's scope. */
  refused: Array<{ path: string; why: RestoreRefusal }>;
}

export interface ChosenSnapshot {
  snapshot: OpenedSnapshot;
  /** Entries named like this machine's snapshots passed over on the way to the newest real one. */
  ignored: IgnoredSnapshot[];
}

/**
 * Opens the snapshot to restore: `--from NAME` (a folder or .zip directly in the backup
 * folder; a path or ".." is refused), else the newest one whose manifest says this machine
 * wrote it. The backup folder lies in the cloud workspace, so a name proves nothing: newer
 * entries that are damaged, not snapshots, or another machine's are passed over and listed.
 */
export async function chooseSnapshot(backupDir: string, machineId: string, from: string | undefined): Promise<ChosenSnapshot> {
  if (from !== undefined) {
    if (!isSafeRelativePath(from) || from.includes('/')) throw new CodexSyncError(ExitCode.invalidInput, { code: 'snapshot-not-a-name', name: from, backupDir });
    return { snapshot: await openSnapshot(backupDir, from), ignored: [] };
  }
  const ignored: IgnoredSnapshot[] = [];
  // The first one is the newest: the generator is left there, and opens no other.
  for await (const snapshot of ownSnapshotsNewestFirst(backupDir, machineId, ignored)) return { snapshot, ignored };
  throw new CodexSyncError(ExitCode.runtimeError, { code: 'no-snapshot', machineId, backupDir, ignored });
}

/**
 * What a restore would do with each file of the snapshot on `target`. Whatever a snapshot
 * holds, only files in the run's sync scope are restored: the others are listed as refused.
 */
export async function planRestore(snapshot: OpenedSnapshot, target: Side, root: string, scope: Scope): Promise<RestorePlan> {
  const items: RestoreItem[] = [];
  const refused: RestorePlan['refused'] = [];
  const seen = new Set<string>();
  for (const file of snapshot.files) {
    if (file.side !== target || seen.has(file.path)) continue;
    seen.add(file.path);
    if (!scope.includesFile(file.path)) {
      refused.push({ path: file.path, why: neverSynced(file.path) ? 'never-synced' : 'outside-scope' });
      continue;
    }
    const current = await statOrUndefined(pathBelow(root, file.path));
    const same = current !== undefined && current.size === file.size && (await hashFile(pathBelow(root, file.path))) === file.sha256;
    items.push({ path: file.path, stored: { size: file.size, mtimeMs: file.mtimeMs, sha256: file.sha256 }, current, action: same ? 'unchanged' : 'restore' });
  }
  items.sort((a, b) => (a.path < b.path ? -1 : 1));
  refused.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { snapshot: snapshot.name, format: snapshot.format, machineId: snapshot.header.machineId, createdAt: snapshot.header.createdAt, target, root, items, refused };
}

/** Credentials, Codex's databases, runtime files, codexSync's own files: out of every scope. */
function neverSynced(path: string): boolean {
  return neverSyncedNames.has(path.split('/')[0] ?? '') || neverSyncedReason(path) !== undefined;
}

export interface RestoreReport {
  restored: number;
  /** Files not restored, each left as it was: why (a damaged copy, a file that changed, a link on the way). */
  failures: Array<{ path: string; why: WriteRefused['why']; file: string }>;
}

/**
 * Writes each stored version back through the run's writer in one pass (see
 * GuardedWriter.replaceAll), which backs up what it replaces into the run's snapshot.
 */
export async function applyRestore(plan: RestorePlan, snapshot: OpenedSnapshot, writer: RestoreWriter, log: Logger): Promise<RestoreReport> {
  const report: RestoreReport = { restored: 0, failures: [] };
  const byPath = new Map<string, SnapshotFile>(snapshot.files.filter((f) => f.side === plan.target).map((f) => [f.path, f]));
  const items = plan.items.filter((item) => item.action === 'restore');
  await refuseLinksOnTheWay(plan.target, items, writer);
  const replacements = items.map((item): Replacement => {
    const file = byPath.get(item.path) as SnapshotFile;
    return { path: item.path, source: () => snapshot.source(file), size: file.size, expect: { target: item.current, sha256: file.sha256, mtimeMs: file.mtimeMs }, backup: 'restore' };
  });
  try {
    await writer.replaceAll(plan.target, replacements, ({ path }, outcome) => {
      if (!(outcome instanceof WriteRefused)) {
        report.restored += 1;
        log.info(`restored ${path} from ${plan.snapshot}`, { side: plan.target });
        return;
      }
      report.failures.push({ path, why: outcome.why, file: outcome.file });
      log.error(`not restored: ${path}: ${outcome.why} (${outcome.file})`);
    });
  } finally {
    await writer.flush();
  }
  report.failures.sort((a, b) => (a.path < b.path ? -1 : 1));
  return report;
}

/** Each new folder on a way is one lstat (the writer remembers the safe ones): a few at a time, as files are written. */
const WAYS_CHECKED_AT_ONCE = 8;

/**
 * Checks every file's way before the first write, as a pull stages everything first: one
 * symbolic link on the way to any file stops the whole restore with nothing written.
 */
async function refuseLinksOnTheWay(side: Side, items: readonly RestoreItem[], writer: RestoreWriter): Promise<void> {
  try {
    await forEachConcurrently(items, WAYS_CHECKED_AT_ONCE, async (item) => {
      await writer.target(side, item.path);
    });
  } catch (error) {
    if (error instanceof WriteRefused) throw new CodexSyncError(ExitCode.safeAbort, { code: 'unsafe-path', path: error.file });
    throw error;
  }
}
