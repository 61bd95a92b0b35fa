import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CodexSyncError, describeFsError, ExitCode, isNodeError } from '../errors.ts';
import { tempPrefix, writeFileAtomic, writeNewFile, writeProblem } from '../fs/index.ts';
import { isAlive } from './terminate.ts';
import { CONTROL_DIR } from '../handoff/index.ts';

const lockSchema = z.object({
  machineId: z.string().max(256),
  /** The holder's installation (see state/installation.ts); absent in locks written before it existed. */
  installation: z.string().max(256).optional(),
  host: z.string().max(256),
  pid: z.number().int(),
  token: z.string().max(256),
  startedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
});

export type LockInfo = z.infer<typeof lockSchema>;

/** How long a lock holds without renewal, and how often a running apply renews it. */
export const LOCK_TTL_MS = 120_000;
export const LOCK_RENEW_MS = 30_000;
/**
 * No run holds the lock for a day, and no two machines' clocks are taken to be a day apart:
 * a lock that started longer ago, or claims to hold further ahead than one renewal plus a
 * day, is stale, whatever its expiresAt says (a lock that would otherwise never expire).
 */
export const LOCK_MAX_AGE_MS = 24 * 3_600_000;
/** Far larger than any lock codexSync writes; a bigger file is not read, it is not a lock. */
const LOCK_MAX_BYTES = 4096;

/** Why a lock was found stale and taken over or removed. */
export type StaleWhy = 'expired' | 'too-far-ahead' | 'too-old' | 'process-gone' | 'unreadable';

export interface StaleLock {
  /** The lock as it read; undefined when it stayed unreadable (a run stopped while writing it). */
  holder: LockInfo | undefined;
  why: StaleWhy;
}

export interface HeldLock {
  info: LockInfo;
  /** A stale lock taken over on the way in (for a warning). */
  tookOver: StaleLock | undefined;
  release(): Promise<void>;
}

/** What lies at the lock's path. */
type FoundLock =
  | { kind: 'none' }
  | { kind: 'lock'; info: LockInfo }
  /** Empty or cut short: a lock being written this instant, or one a run left when it stopped mid-write. */
  | { kind: 'partial' }
  | { kind: 'unusable'; what: 'folder' | 'not-a-lock' };

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
 * two. A stale lock (see staleness) is taken over; a live one is exit 5 naming its holder,
 * and a folder or a file that is no lock at the lock's path is exit 5 asking to remove it. A
 * live lock of this machine_id held by another installation is exit 4: two machines share the
 * id. The lock is renewed while the run lasts.
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
  const inspect = async (): Promise<FoundLock> => {
    try {
      return await inspectLock(file);
    } catch (error) {
      throw cannotLock(cloudRoot, error);
    }
  };
  let tookOver: StaleLock | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const info = mine();
    try {
      // A reader may catch the new lock half-written for an instant: it then waits a moment.
      await writeNewFile(file, `${JSON.stringify(info)}\n`);
      await removeLeftoverTemps(join(cloudRoot, CONTROL_DIR));
      return held(file, info, tookOver, now);
    } catch (error) {
      if (!isNodeError(error, 'EEXIST')) throw cannotLock(cloudRoot, error);
    }
    let found = await inspect();
    if (found.kind === 'partial') {
      await new Promise((resolve) => setTimeout(resolve, 200));
      found = await inspect();
      // Still cut short after the wait: the run that wrote it stopped mid-write.
      if (found.kind === 'partial') tookOver = { holder: undefined, why: 'unreadable' };
    }
    if (found.kind === 'unusable') throw new CodexSyncError(ExitCode.safeAbort, { code: 'lock-unusable', file, what: found.what });
    if (found.kind === 'lock') {
      const holder = found.info;
      if (isOtherInstallation(holder, owner, now())) {
        throw new CodexSyncError(ExitCode.invalidInput, { code: 'machine-id-shared', machineId, thisHost: hostname(), otherHost: holder.host });
      }
      const why = staleness(holder, machineId, now());
      if (why === undefined) {
        throw new CodexSyncError(ExitCode.safeAbort, { code: 'lock-held', machineId: holder.machineId, host: holder.host, pid: holder.pid, startedAt: holder.startedAt, expiresAt: holder.expiresAt });
      }
      tookOver = { holder, why };
    }
    if (found.kind !== 'none') await rm(file, { force: true });
  }
  throw new CodexSyncError(ExitCode.safeAbort, { code: 'lock-contended', file });
}

/**
 * A live lock of this machine_id taken by another installation. One written before
 * installations had ids is this machine's own; an expired one is taken over like any other
 * (the other machine's handoff record still tells the two apart).
 */
export function isOtherInstallation(holder: LockInfo, owner: { machineId: string; installation: string | undefined }, now: Date): boolean {
  return holder.machineId === owner.machineId && holder.installation !== undefined && holder.installation !== owner.installation && Date.parse(holder.expiresAt) >= now.getTime();
}

/**
 * Removes a lock this machine left behind (its process is gone) when a run takes no lock of
 * its own, so that nothing to do still leaves the cloud folder clean. Returns what it removed.
 */
export async function removeOwnStaleLock(cloudRoot: string, machineId: string): Promise<LockInfo | undefined> {
  const file = lockFile(cloudRoot);
  const found = await inspectLock(file).catch(() => ({ kind: 'none' }) as const);
  if (found.kind !== 'lock' || !ownAndGone(found.info, machineId)) return undefined;
  // Only tidying: a run with nothing to do does not fail because the lock could not be removed.
  return rm(file, { force: true }).then(
    () => found.info,
    () => undefined,
  );
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
 * Why a lock is stale, or undefined while it is live. A live holder renews its lock every
 * LOCK_RENEW_MS to its own now + LOCK_TTL_MS, so it never claims more than one TTL ahead of
 * its clock and (LOCK_MAX_AGE_MS) never lasts a day; the PID is checked on this host only.
 */
function staleness(holder: LockInfo, machineId: string, now: Date): StaleWhy | undefined {
  const at = now.getTime();
  const expires = Date.parse(holder.expiresAt);
  if (expires < at) return 'expired';
  if (expires - at > LOCK_TTL_MS + LOCK_MAX_AGE_MS) return 'too-far-ahead';
  if (at - Date.parse(holder.startedAt) > LOCK_MAX_AGE_MS) return 'too-old';
  if (ownAndGone(holder, machineId)) return 'process-gone';
  return undefined;
}

/** A lock of this machine and host whose process has ended (a PID says nothing on another host). */
function ownAndGone(holder: LockInfo, machineId: string): boolean {
  return holder.machineId === machineId && holder.host === hostname() && !isAlive(holder.pid);
}

/** Reads what lies at the lock's path without following a link or reading more than a lock's size. */
async function inspectLock(file: string): Promise<FoundLock> {
  let stat;
  try {
    stat = await lstat(file);
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return { kind: 'none' };
    throw error;
  }
  if (stat.isDirectory()) return { kind: 'unusable', what: 'folder' };
  // A link, a pipe (which would block the read) or anything larger than a lock is no lock of codexSync's.
  if (!stat.isFile() || stat.size > LOCK_MAX_BYTES) return { kind: 'unusable', what: 'not-a-lock' };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNodeError(error, 'ENOENT')) return { kind: 'none' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return looksHalfWritten(text) ? { kind: 'partial' } : { kind: 'unusable', what: 'not-a-lock' };
  }
  const parsed = lockSchema.safeParse(json);
  return parsed.success ? { kind: 'lock', info: parsed.data } : { kind: 'unusable', what: 'not-a-lock' };
}

/** The start of a lock as codexSync writes it (JSON.stringify, machineId first), or less of it. */
const LOCK_START = '{"machineId":"';

function looksHalfWritten(text: string): boolean {
  return text.length < LOCK_START.length ? LOCK_START.startsWith(text) : text.startsWith(LOCK_START);
}

export async function readLock(file: string): Promise<LockInfo | undefined> {
  const found = await inspectLock(file).catch(() => ({ kind: 'none' }) as const);
  return found.kind === 'lock' ? found.info : undefined;
}

function held(file: string, info: LockInfo, tookOver: StaleLock | undefined, now: () => Date): HeldLock {
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
