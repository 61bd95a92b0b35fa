import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupReason, SnapshotWriter } from '../backup/snapshot.ts';
import { CodexSyncError, ExitCode, isNodeError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { mergeJsonl } from '../merge/jsonl.ts';
import { otherSide, type FileStat, type Side } from '../scan/types.ts';
import type { BaseEntry, BaseState } from '../state/base.ts';
import type { Action, Plan } from '../plan/types.ts';
import { CopyRefused, replaceFile, replaceWithBytes, sameStat, statOrUndefined, type Written } from './copy.ts';

export interface ProgressEvent {
  phase: 'apply';
  done: number;
  total: number;
  bytesDone: number;
  bytesTotal: number;
  path: string;
}

export interface ApplyOptions {
  plan: Plan;
  roots: Record<Side, string>;
  /** Updated in place as each action succeeds. */
  base: BaseState;
  snapshot: SnapshotWriter;
  backupBeforeOverwrite: boolean;
  log: Logger;
  progress?: (event: ProgressEvent) => void;
  /** Expected hash of a file being pulled from the cloud (from the handoff record), if known. */
  expectedCloudHash?: (path: string) => string | undefined;
  /** Test hook: a pause after each file, so that a crash can be injected between files. */
  pauseAfterEachMs?: number;
}

export interface Failure {
  path: string;
  message: string;
  /** A refusal that protects data (a file changed under us, bytes not as recorded). */
  safety: boolean;
}

export interface ApplyReport {
  applied: number;
  failures: Failure[];
  bytes: number;
}

const fsPath = (root: string, path: string): string => join(root, ...path.split('/'));

/** Runs a plan's writes: merges, then copies, then deletions; each file safely, with its backup first. */
export async function applyPlan(options: ApplyOptions): Promise<ApplyReport> {
  const { plan, base, log } = options;
  const order = { merge: 0, copy: 1, delete: 2 } as const;
  const actions = [...plan.actions].sort((a, b) => order[a.kind] - order[b.kind]);
  const bytesTotal = actions.reduce((sum, a) => sum + (a.kind === 'copy' ? a.source.size : a.kind === 'merge' ? a.local.size + a.cloud.size : 0), 0);
  const report: ApplyReport = { applied: 0, failures: [], bytes: 0 };

  for (const record of plan.records) base.entries.set(record.path, record.entry);
  for (const path of plan.forgets) base.entries.delete(path);

  let done = 0;
  for (const action of actions) {
    try {
      const bytes = await applyOne(action, options);
      report.applied += 1;
      report.bytes += bytes;
      log.info(`${describe(action)}`, { path: action.path });
    } catch (error) {
      const safety = error instanceof CopyRefused;
      const message = error instanceof Error ? error.message : String(error);
      report.failures.push({ path: action.path, message, safety });
      log.error(`not done: ${describe(action)}: ${message}`, { path: action.path });
      if (isNodeError(error, 'ENOSPC')) {
        throw new CodexSyncError(ExitCode.runtimeError, `the disk is full while writing ${action.path}: every file is either its old or its new version; free space and run again`);
      }
    }
    done += 1;
    options.progress?.({ phase: 'apply', done, total: actions.length, bytesDone: report.bytes, bytesTotal, path: action.path });
    if (options.pauseAfterEachMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.pauseAfterEachMs));
  }
  return report;
}

async function applyOne(action: Action, options: ApplyOptions): Promise<number> {
  const { roots, base } = options;
  switch (action.kind) {
    case 'copy': {
      if (action.target !== undefined && options.backupBeforeOverwrite) {
        await backup(options, action.to, action.path, action.target, 'overwrite');
      }
      const expected = action.from === 'cloud' ? options.expectedCloudHash?.(action.path) : undefined;
      const written = await replaceFile(fsPath(roots[action.from], action.path), fsPath(roots[action.to], action.path), {
        source: action.source,
        target: action.target,
        ...(expected === undefined ? {} : { sha256: expected }),
      });
      base.entries.set(action.path, entryFor(action.to, written, action.source));
      return written.size;
    }
    case 'delete': {
      // A deletion always keeps a copy, whatever backup_before_overwrite says.
      await backup(options, action.side, action.path, action.target, 'delete');
      const target = fsPath(roots[action.side], action.path);
      if (!sameStat(await statOrUndefined(target), action.target)) {
        throw new CopyRefused('target-changed', `${target} changed since the scan; it was not deleted`);
      }
      await rm(target);
      base.entries.delete(action.path);
      return 0;
    }
    case 'merge': {
      const [localBytes, cloudBytes] = await Promise.all([
        readExpected(fsPath(roots.local, action.path), action.local),
        readExpected(fsPath(roots.cloud, action.path), action.cloud),
      ]);
      const merged = mergeJsonl(localBytes, cloudBytes);
      const mtimeMs = Math.max(action.local.mtimeMs, action.cloud.mtimeMs);
      const results: Partial<Record<Side, Written>> = {};
      for (const side of ['local', 'cloud'] as const) {
        const current = side === 'local' ? localBytes : cloudBytes;
        const stat = side === 'local' ? action.local : action.cloud;
        if (Buffer.compare(current, merged) === 0) continue;
        if (options.backupBeforeOverwrite) await backup(options, side, action.path, stat, 'merge');
        results[side] = await replaceWithBytes(fsPath(roots[side], action.path), merged, mtimeMs, stat);
      }
      base.entries.set(action.path, {
        size: merged.length,
        sha256: createHash('sha256').update(merged).digest('hex'),
        localMtimeMs: results.local?.mtimeMs ?? action.local.mtimeMs,
        cloudMtimeMs: results.cloud?.mtimeMs ?? action.cloud.mtimeMs,
      });
      return merged.length;
    }
  }
}

async function backup(options: ApplyOptions, side: Side, path: string, stat: FileStat, reason: BackupReason): Promise<void> {
  await options.snapshot.add(side, options.roots[side], path, stat, reason);
}

async function readExpected(file: string, expected: FileStat): Promise<Buffer> {
  const bytes = await readFile(file);
  if (!sameStat(await statOrUndefined(file), expected) || bytes.length !== expected.size) {
    throw new CopyRefused('target-changed', `${file} changed since the scan; it was left as it is`);
  }
  return bytes;
}

function entryFor(written: Side, result: Written, source: FileStat): BaseEntry {
  const mtimes: Record<Side, number> = { [written]: result.mtimeMs, [otherSide(written)]: source.mtimeMs } as Record<Side, number>;
  return { size: result.size, sha256: result.sha256, localMtimeMs: mtimes.local, cloudMtimeMs: mtimes.cloud };
}

export function describe(action: Action): string {
  const arrow = (from: Side): string => (from === 'local' ? 'this machine -> cloud' : 'cloud -> this machine');
  switch (action.kind) {
    case 'copy':
      return `copied ${action.path} (${arrow(action.from)})`;
    case 'delete':
      return `deleted ${action.path} on ${action.side === 'local' ? 'this machine' : 'the cloud'}`;
    case 'merge':
      return `merged ${action.path} (both sides)`;
  }
}
