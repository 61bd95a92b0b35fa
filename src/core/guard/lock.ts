import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CodexSyncError, describeFsError, ExitCode, isNodeError } from '../errors.ts';
import { tempPrefix, writeFileAtomic, writeNewFile, writeProblem } from '../fs/index.ts';
import { isAlive } from './terminate.ts';
import { CONTROL_DIR } from '../handoff/index.ts';

const lockSchema = z.object({
  machineId: z.string(),
  /** The holder's installation (see state/installation.ts); absent in locks written before it existed. */
  installation: z.string().optional(),
  host: z.string(),
  pid: z.number().int(),
  token: z.string(),
  startedAt: z.string(),
  expiresAt: z.string(),
});

export type LockInfo = z.infer<typeof lockSchema>;

/** How long a lock holds without renewal, and how often a running apply renews it. */
export const LOCK_TTL_MS = 120_000;
export const LOCK_RENEW_MS = 30_000;

export interface HeldLock {
  info: LockInfo;
  /** Stale locks taken over on the way in (for a warning). */
  tookOver: LockInfo | undefined;
  release(): Promise<void>;
}

export function lockFile(cloudRoot: string): string {
  return join(cloudRoot, CONTROL_DIR, 'lock.json');
}

/** Who takes the lock: the machine and its installation. */
export interface LockOwner {
  machineId: string;
  installation: string;
}

/**
 * Takes the lock in the cloud folder so that two applies never overlap, on one machine or on
 * two. A lock that expired, or whose process is gone on this machine, is taken over; a live
 * one is exit 5 naming its holder. A live lock of this machine_id held by another installation
 * is exit 4: two machines share the id. The lock is renewed while the run lasts.
 */
export async function acquireLock(cloudRoot: string, owner: LockOwner, now: () => Date = () => new Date()): Promise<HeldLock> {
  const { machineId, installation } = owner;
  const file = lockFile(cloudRoot);
  try {
    await mkdir(join(cloudRoot, CONTROL_DIR), { recursive: true });
  } catch (error) {
    throw cannotLock(cloudRoot, (await writeProblem(cloudRoot)) ?? error);
  }
  const mine = (): LockInfo => {
    const start = now();
    return {
      machineId,
      installation,
      host: hostname(),
      pid: process.pid,
      token: randomBytes(8).toString('hex'),
      startedAt: start.toISOString(),
      expiresAt: new Date(start.getTime() + LOCK_TTL_MS).toISOString(),
    };
  };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const info = mine();
    try {
      // A reader may catch the new lock half-written for an instant: readLock() then waits a moment.
      await writeNewFile(file, `${JSON.stringify(info)}\n`);
      await removeLeftoverTemps(join(cloudRoot, CONTROL_DIR));
      return held(file, info, tookOver, now);
    } catch (error) {
      if (!isNodeError(error, 'EEXIST')) throw cannotLock(cloudRoot, error);
    }
    const holder = await readLock(file);
    if (holder !== undefined && isOtherInstallation(holder, owner, now())) {
      throw new CodexSyncError(ExitCode.invalidInput, { code: 'machine-id-shared', machineId, thisHost: hostname(), otherHost: holder.host });
    }
    if (holder === undefined) {
      // Unreadable: a lock being written this instant, or a damaged one. Wait a moment, then treat it as stale.
      await new Promise((resolve) => setTimeout(resolve, 200));
      if ((await readLock(file)) !== undefined) continue;
    } else if (!isStale(holder, machineId, now())) {
      throw new CodexSyncError(ExitCode.safeAbort, { code: 'lock-held', machineId: holder.machineId, host: holder.host, pid: holder.pid, startedAt: holder.startedAt, expiresAt: holder.expiresAt });
    } else {
      tookOver = holder;
    }
    await rm(file, { force: true });
  }
  throw new CodexSyncError(ExitCode.safeAbort, { code: 'lock-contended', file });
}

/** Temp files an interrupted run left beside the lock or a handoff record (only runs that hold the lock write here). */
async function removeLeftoverTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith(tempPrefix)) await rm(join(dir, name), { force: true });
  }
}

function cannotLock(cloudRoot: string, error: unknown): CodexSyncError {
  return new CodexSyncError(ExitCode.runtimeError, { code: 'cloud-unwritable', root: cloudRoot, why: describeFsError(error) });
}

/**
 * A live lock of this machine_id taken by another installation. One written before
 * installations had ids is this machine's own; an expired one is taken over like any other
 * (the other machine's handoff record still tells the two apart).
 */
export function isOtherInstallation(holder: LockInfo, owner: { machineId: string; installation: string | undefined }, now: Date): boolean {
  return holder.machineId === owner.machineId && holder.installation !== undefined && holder.installation !== owner.installation && Date.parse(holder.expiresAt) >= now.getTime();
}

function isStale(holder: LockInfo, machineId: string, now: Date): boolean {
  if (Date.parse(holder.expiresAt) < now.getTime()) return true;
  return holder.machineId === machineId && holder.host === hostname() && !isAlive(holder.pid);
}

export async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    return lockSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}

function held(file: string, info: LockInfo, tookOver: LockInfo | undefined, now: () => Date): HeldLock {
  let current = info;
  const renew = setInterval(() => {
    void (async () => {
      const onDisk = await readLock(file);
      if (onDisk?.token !== current.token) return;
      current = { ...current, expiresAt: new Date(now().getTime() + LOCK_TTL_MS).toISOString() };
      await writeFileAtomic(file, `${JSON.stringify(current)}\n`).catch(() => undefined);
    })();
  }, LOCK_RENEW_MS);
  renew.unref();
  return {
    info,
    tookOver,
    async release() {
      clearInterval(renew);
      const onDisk = await readLock(file);
      if (onDisk?.token === current.token) await rm(file, { force: true });
    },
  };
}
