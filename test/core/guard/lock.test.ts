import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemText } from '../../../src/cli/print/words.ts';
import { problemText as appProblemText } from '../../../src/main/service/words.ts';
import { acquireLock, LOCK_MAX_AGE_MS, LOCK_TTL_MS, lockFile, removeOwnStaleLock, type LockInfo } from '../../../src/core/guard/lock.ts';
import { tempDir } from '../../helpers/tmp.ts';

const now = new Date('2026-11-30T12:00:00.000Z');
const clock = (): Date => now;
const at = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
const MINUTE = 60_000;

/** A cloud folder whose lock path holds `content` (a string for a file, or a lock as data). */
function cloudWithLock(content?: string | LockInfo): { cloud: string; file: string } {
  const cloud = tempDir();
  const file = lockFile(cloud);
  mkdirSync(join(cloud, '.codexsync'));
  if (content !== undefined) writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content)}\n`);
  return { cloud, file };
}

/** The PID of a process that has run and ended (and was reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  if (child.pid === undefined) throw new Error('no PID');
  return child.pid;
}

const lockOf = (fields: Partial<LockInfo>): LockInfo => ({ machineId: 'b', host: 'b.local', pid: 4242, token: 't', startedAt: at(-MINUTE), expiresAt: at(MINUTE), ...fields });

/** What taking the lock over `content` found stale (the lock is released again). */
async function takenOver(content: LockInfo): Promise<unknown> {
  const held = await acquireLock(cloudWithLock(content).cloud, { machineId: 'a', installation: 'test-installation' }, clock);
  await held.release();
  return held.tookOver;
}

async function refusal(cloud: string, machineId = 'a'): Promise<unknown> {
  try {
    const held = await acquireLock(cloud, { machineId, installation: 'test-installation' }, clock);
    await held.release();
  } catch (error) {
    return error;
  }
  throw new Error('the lock was taken');
}

describe('what lies at the lock path and is no lock', () => {
  it('a folder is exit 5 asking to remove it, and is left alone', async () => {
    const { cloud, file } = cloudWithLock();
    mkdirSync(file);
    writeFileSync(join(file, 'inside'), 'x');
    const error = await refusal(cloud);
    expect(error).toMatchObject({ exitCode: 5, problem: { code: 'lock-unusable', file, what: 'folder' } });
    const { problem } = error as { problem: Parameters<typeof problemText>[0] };
    expect(problemText(problem)).toBe(`the lock ${file} is a folder, not a lock file: nothing was changed; remove that folder and run again`);
    expect(appProblemText(problem)).toBe(`the cloud folder's lock ${file} is a folder, not a lock file: nothing was changed; remove it and try again`);
    expect(readFileSync(join(file, 'inside'), 'utf8')).toBe('x');
  });

  it.each([
    ['text', 'hello\n'],
    ['JSON that is not a lock', '{"owner":"someone"}\n'],
    ['a lock with a date that is not one', JSON.stringify(lockOf({ expiresAt: 'never' }))],
    ['a file larger than any lock', `{"machineId":"${'b'.repeat(5000)}"`],
  ])('a file of %s is exit 5 asking to remove it, and is left as it was', async (_what, content) => {
    const { cloud, file } = cloudWithLock(content);
    const error = await refusal(cloud);
    expect(error).toMatchObject({ exitCode: 5, problem: { code: 'lock-unusable', file, what: 'not-a-lock' } });
    expect(problemText((error as { problem: Parameters<typeof problemText>[0] }).problem)).toBe(`the lock ${file} is not a codexsync lock: nothing was changed; remove that file and run again`);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('a named pipe is refused at once, never read (a read would wait for a writer forever)', async () => {
    const { cloud, file } = cloudWithLock();
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    expect(await refusal(cloud)).toMatchObject({ exitCode: 5, problem: { code: 'lock-unusable', file, what: 'not-a-lock' } });
    expect(statSync(file).isFIFO()).toBe(true);
  });
});

describe('a lock a run left half-written', () => {
  it.each([
    ['empty', ''],
    ['cut short', '{"machineId":"b","host":"b.lo'],
  ])('(%s) that stays so past the wait is taken over', async (_what, content) => {
    const { cloud, file } = cloudWithLock(content);
    const held = await acquireLock(cloud, { machineId: 'a', installation: 'test-installation' }, clock);
    expect(held.tookOver).toEqual({ holder: undefined, why: 'unreadable' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(held.info);
    await held.release();
    expect(existsSync(file)).toBe(false);
  });
});

describe('when a lock is stale', () => {
  // A live holder renews to its now + LOCK_TTL_MS; a day (LOCK_MAX_AGE_MS) covers two clocks that disagree.
  const farthest = LOCK_TTL_MS + LOCK_MAX_AGE_MS;

  it('a lock of another machine that would never expire is taken over: it claims further ahead than any renewal', async () => {
    const forever = lockOf({ expiresAt: '2999-01-01T00:00:00.000Z' });
    expect(await takenOver(forever)).toEqual({ holder: forever, why: 'too-far-ahead' });
    const justBeyond = lockOf({ expiresAt: at(farthest + MINUTE) });
    expect(await takenOver(justBeyond)).toEqual({ holder: justBeyond, why: 'too-far-ahead' });
  });

  it('a lock that claims up to a day ahead is live: exit 5 naming its holder', async () => {
    const { cloud } = cloudWithLock(lockOf({ expiresAt: at(farthest - MINUTE) }));
    expect(await refusal(cloud)).toMatchObject({ exitCode: 5, problem: { code: 'lock-held', machineId: 'b', host: 'b.local', pid: 4242 } });
  });

  it('a lock that started more than a day ago is taken over, even renewed; one younger than a day is live', async () => {
    const old = lockOf({ startedAt: at(-LOCK_MAX_AGE_MS - MINUTE) });
    expect(await takenOver(old)).toEqual({ holder: old, why: 'too-old' });
    expect(await refusal(cloudWithLock(lockOf({ startedAt: at(-LOCK_MAX_AGE_MS + MINUTE) })).cloud)).toMatchObject({ exitCode: 5, problem: { code: 'lock-held' } });
  });

  it('an expired lock is taken over', async () => {
    const expired = lockOf({ expiresAt: at(-1) });
    expect(await takenOver(expired)).toEqual({ holder: expired, why: 'expired' });
  });

  it("this machine's lock whose process is gone is taken over; one whose process lives is not", async () => {
    const gone = lockOf({ machineId: 'a', host: hostname(), pid: await deadPid() });
    expect(await takenOver(gone)).toEqual({ holder: gone, why: 'process-gone' });
    const live = lockOf({ machineId: 'a', host: hostname(), pid: process.pid });
    expect(await refusal(cloudWithLock(live).cloud)).toMatchObject({ exitCode: 5, problem: { code: 'lock-held', machineId: 'a', pid: process.pid } });
  });
});

describe('a run that takes no lock', () => {
  it("removes this machine's lock whose process is gone, and leaves any other lock alone", async () => {
    const gone = lockOf({ machineId: 'a', host: hostname(), pid: await deadPid(), startedAt: new Date(Date.now() - MINUTE).toISOString(), expiresAt: new Date(Date.now() + MINUTE).toISOString() });
    // Expired or not: a run that crashed ten minutes ago left a lock that expired since.
    for (const lock of [gone, { ...gone, startedAt: new Date(Date.now() - 10 * MINUTE).toISOString(), expiresAt: new Date(Date.now() - 8 * MINUTE).toISOString() }]) {
      const own = cloudWithLock(lock);
      expect(await removeOwnStaleLock(own.cloud, 'a')).toEqual(lock);
      expect(existsSync(own.file)).toBe(false);
    }

    const live = `${JSON.stringify({ ...gone, pid: process.pid })}\n`;
    const other = `${JSON.stringify({ ...gone, machineId: 'b' })}\n`;
    for (const content of [live, other, 'hello\n']) {
      const { cloud, file } = cloudWithLock(content);
      expect(await removeOwnStaleLock(cloud, 'a')).toBeUndefined();
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
    expect(await removeOwnStaleLock(cloudWithLock().cloud, 'a')).toBeUndefined();
  });
});
