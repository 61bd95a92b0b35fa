import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Failure } from '../apply/apply.ts';
import { CopyRefused, replaceFile, replaceWithBytes, sameStat, statOrUndefined } from '../apply/copy.ts';
import { SnapshotWriter } from '../backup/snapshot.ts';
import type { EngineContext } from './sync.ts';
import { CodexSyncError, ExitCode } from '../errors.ts';
import { checkCodex } from '../guard/guard.ts';
import { acquireLock } from '../guard/lock.ts';
import { mergeJsonl } from '../apply/mergeJsonl.ts';
import type { Conflict, Plan } from '../plan/types.ts';
import type { FileStat, Side } from '../scan/types.ts';
import { loadBase, saveBase } from '../state/base.ts';
import { baseStateFile } from '../state/location.ts';
import { pathBelow } from '../fs/paths.ts';

/** What the user chose for one conflicting file. */
export type ConflictChoice = 'keep-local' | 'take-cloud' | 'keep-both' | 'merge-lines';

/** The choices a conflict allows: all four for JSONL, no line merge for other files, none when a side is missing. */
export function choicesFor(conflict: Pick<Conflict, 'path' | 'local' | 'cloud'>): ConflictChoice[] {
  if (conflict.local === undefined || conflict.cloud === undefined) return [];
  return conflict.path.endsWith('.jsonl') ? ['keep-local', 'take-cloud', 'keep-both', 'merge-lines'] : ['keep-local', 'take-cloud', 'keep-both'];
}

/**
 * Where "keep both" puts the cloud's version: beside the file, named for the machine it came
 * from, e.g. `history (cloud from desktop).jsonl`; the nth name adds n when earlier ones are taken.
 */
export function keepBothName(path: string, machine: string | undefined, n = 1): string {
  const dir = posix.dirname(path);
  const name = posix.basename(path);
  const ext = posix.extname(name);
  const stem = ext === '' ? name : name.slice(0, -ext.length);
  const label = `cloud from ${machine ?? 'another machine'}${n === 1 ? '' : ` ${n}`}`;
  return `${dir === '.' ? '' : `${dir}/`}${stem} (${label})${ext}`;
}

export interface ResolveReport {
  /** Conflicts turned into plain changes for the sync that follows. */
  resolved: number;
  failures: Failure[];
  /** The snapshot holding what a line merge replaced on this machine. */
  snapshot: string | undefined;
  /** Where the cloud's versions were kept ("keep both"). */
  kept: string[];
}

/**
 * Turns the user's choice for each conflict into an ordinary one-sided change, so that the sync
 * that follows does every write to the cloud folder itself, with its backups, lock and handoff
 * record. The base state (what this machine last agreed with the cloud) is set to the version
 * that gives way:
 * - keep this machine: the base becomes the cloud's version, so this machine's reads as the change;
 * - take cloud: the base becomes this machine's version, so the cloud's reads as the change;
 * - keep both: the cloud's version is first copied beside the file on this machine as
 *   "<name> (cloud from <machine>).<ext>" (a new file the sync carries to the cloud when it is
 *   in scope), then as "keep this machine";
 * - merge lines (JSONL): every line of both, once, in time order, written here (the old version
 *   backed up), then as "keep this machine".
 * Codex must be closed and the cloud folder's lock is held while the base changes.
 */
export async function resolveConflicts(
  ctx: EngineContext,
  plan: Plan,
  choices: ReadonlyMap<string, ConflictChoice>,
  options: { cloudMachine: (path: string) => string | undefined },
): Promise<ResolveReport> {
  const chosen: Array<{ path: string; local: FileStat; cloud: FileStat; choice: ConflictChoice }> = [];
  for (const [path, choice] of choices) {
    const conflict = plan.conflicts.find((c) => c.path === path);
    if (conflict === undefined) throw new CodexSyncError(ExitCode.invalidInput, `${path} is not a conflict of this plan`);
    if (!choicesFor(conflict).includes(choice)) throw new CodexSyncError(ExitCode.invalidInput, `${path} cannot be settled with "${choice}"`);
    const { local, cloud } = conflict;
    if (local === undefined || cloud === undefined) throw new CodexSyncError(ExitCode.invalidInput, `${path} is missing on one side`);
    chosen.push({ path, local, cloud, choice });
  }
  const report: ResolveReport = { resolved: 0, failures: [], snapshot: undefined, kept: [] };
  if (chosen.length === 0) return report;

  const { config, log } = ctx;
  const machineId = config.settings.identity.machine_id;
  const roots: Record<Side, string> = { local: config.paths.localStateDir, cloud: config.paths.cloudRoot };
  const at = (side: Side, path: string): string => pathBelow(roots[side], path);
  await checkCodex(
    { settings: config.settings, platform: ctx.platform, override: ctx.terminateOverride, confirmer: ctx.confirmer, processes: ctx.processes, log, verbose: ctx.verbose },
    'enforce',
  );
  const lock = await acquireLock(roots.cloud, machineId, ctx.now);
  try {
    const baseFile = baseStateFile(config.paths);
    const base = await loadBase(baseFile, machineId, roots.local, roots.cloud);
    const snapshot = new SnapshotWriter(config.paths.backupDir, { machineId, localRoot: roots.local, cloudRoot: roots.cloud }, ctx.now());
    try {
      for (const item of chosen) {
        const { path, choice } = item;
        try {
          if (choice === 'take-cloud') {
            const sha256 = await hashAsSeen(at('local', path), item.local);
            // A base equal to this machine's version makes the cloud's the change to take.
            base.entries.set(path, { size: item.local.size, sha256, localMtimeMs: item.local.mtimeMs, cloudMtimeMs: NEVER });
          } else {
            if (choice === 'keep-both') report.kept.push(await keepCloudBeside(path, item.cloud, at, options.cloudMachine(path), base.entries));
            if (choice === 'merge-lines') {
              const [mine, theirs] = await Promise.all([readAsSeen(at('local', path), item.local), readAsSeen(at('cloud', path), item.cloud)]);
              await snapshot.add('local', roots.local, path, item.local, 'merge');
              await replaceWithBytes(at('local', path), mergeJsonl(mine, theirs), Math.max(item.local.mtimeMs, item.cloud.mtimeMs), item.local);
            }
            const sha256 = await hashAsSeen(at('cloud', path), item.cloud);
            // A base equal to the cloud's version makes this machine's the change to hand off.
            base.entries.set(path, { size: item.cloud.size, sha256, localMtimeMs: NEVER, cloudMtimeMs: item.cloud.mtimeMs });
          }
          report.resolved += 1;
          log.info(`conflict on ${path} settled by choice: ${choice}`, { path });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          report.failures.push({ path, message, safety: error instanceof CopyRefused });
          log.error(`conflict on ${path} not settled: ${message}`, { path });
        }
      }
    } finally {
      await saveBase(baseFile, base, ctx.now());
    }
    report.snapshot = await snapshot.finish(config.settings.backup.compression);
    return report;
  } finally {
    await lock.release();
  }
}

/** A time no file has: the side recorded with it always reads as changed. */
const NEVER = 0;

async function readAsSeen(file: string, seen: FileStat): Promise<Buffer> {
  const bytes = await readFile(file);
  if (bytes.length !== seen.size || !sameStat(await statOrUndefined(file), seen)) throw new CopyRefused('target-changed', `${file} changed since the plan was made; it was left as it is`);
  return bytes;
}

async function hashAsSeen(file: string, seen: FileStat): Promise<string> {
  return createHash('sha256').update(await readAsSeen(file, seen)).digest('hex');
}

/** Copies the cloud's version beside the file on this machine under the "keep both" name. */
async function keepCloudBeside(path: string, cloud: FileStat, at: (side: Side, path: string) => string, machine: string | undefined, entries: ReadonlyMap<string, unknown>): Promise<string> {
  let sibling = keepBothName(path, machine);
  for (let n = 2; (await statOrUndefined(at('local', sibling))) !== undefined || (await statOrUndefined(at('cloud', sibling))) !== undefined || entries.has(sibling); n += 1) {
    sibling = keepBothName(path, machine, n);
  }
  await replaceFile(at('cloud', path), at('local', sibling), { source: cloud, target: undefined });
  return sibling;
}
