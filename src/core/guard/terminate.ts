import { readFileSync } from 'node:fs';
import type { ProcessInfo } from './processes.ts';

/** Whether a PID is a live process (a zombie waiting for its parent counts as ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false;
    }
  }
  return true;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitGone(pids: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isAlive);
  }
  return alive;
}

/** How signals reach processes; the real one is process.kill. */
export type SignalSender = (pid: number, signal: NodeJS.Signals) => void;

const osSignal: SignalSender = (pid, sig) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/**
 * Ends exactly these processes, by PID: a polite SIGTERM, half the timeout to exit, then
 * SIGKILL and the rest of the timeout. Returns the PIDs still alive at the end.
 */
export async function terminateProcesses(targets: readonly ProcessInfo[], timeoutMs: number, signal: SignalSender = osSignal): Promise<number[]> {
  const pids = targets.map((t) => t.pid);
  for (const pid of pids) signal(pid, 'SIGTERM');
  const stubborn = await waitGone(pids, timeoutMs / 2);
  for (const pid of stubborn) signal(pid, 'SIGKILL');
  return waitGone(stubborn, timeoutMs / 2);
}
