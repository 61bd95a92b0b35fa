import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Starting and ending the app-server process: by its own PID (and, on macOS and Linux, the
// process group it leads, so that a helper it started does not outlive it), never by name.

const onWindows = process.platform === 'win32';

/** Starts `<binary> app-server` with CODEX_HOME set, its stdin and stdout as the JSON-RPC channel. */
export function spawnAppServer(binary: string, codexHome: string, cwd: string, env: Readonly<Record<string, string | undefined>>): ChildProcessWithoutNullStreams {
  const childEnv: NodeJS.ProcessEnv = { ...env, CODEX_HOME: codexHome, NO_COLOR: '1' };
  // npm's codex.cmd on Windows is a batch file, which only cmd.exe can start.
  if (onWindows && /\.(cmd|bat)$/i.test(binary)) {
    const shell = env.ComSpec ?? 'cmd.exe';
    return spawn(shell, ['/d', '/s', '/c', `"${binary}" app-server`], { cwd, env: childEnv, stdio: 'pipe', windowsVerbatimArguments: true, windowsHide: true });
  }
  // Its own process group: a Ctrl+C in codexSync's terminal does not reach it (it ends when its stdin closes), and it can be ended with its helpers.
  return spawn(binary, ['app-server'], { cwd, env: childEnv, stdio: 'pipe', detached: !onWindows, windowsHide: true });
}

/** Whether a PID is a live process (a zombie waiting for its parent counts as ended). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}

/** Whether the process group led by `pid` still has a live member (macOS, Linux); zombies do not count. */
function groupAlive(pid: number): boolean {
  if (onWindows) return false;
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  // An orphan that ended stays a zombie in the group until PID 1 reaps it, which in a container may be never.
  try {
    return readdirSync('/proc').some((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] !== 'Z' && fields[2] === String(pid);
      } catch {
        return false;
      }
    });
  } catch {
    return true;
  }
}

/** Sends a signal to the app-server and its group; on Windows ends the whole tree (cmd.exe and what it started). */
export function signalTree(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  if (onWindows) {
    spawnSync('taskkill', ['/pid', String(pid), '/T', ...(signal === 'SIGKILL' ? ['/F'] : [])], { stdio: 'ignore', windowsHide: true });
    return;
  }
  try {
    // The group it leads (it was started detached): the app-server with anything it started.
    process.kill(-pid, signal);
  } catch {
    // gone already
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/** After the app-server itself ended: any member of its group left behind is ended too. */
export async function endLeftovers(pid: number, graceMs: number): Promise<boolean> {
  if (!groupAlive(pid)) return true;
  signalTree(pid, 'SIGTERM');
  if (await waitUntil(() => !groupAlive(pid), graceMs)) return true;
  signalTree(pid, 'SIGKILL');
  return waitUntil(() => !groupAlive(pid), graceMs);
}

/** The managed daemon's pid files in a Codex home (app-server-daemon/*.pid), as Codex writes them: `{"pid": N, ...}`. */
const DAEMON_PID_FILES = ['daemon.pid', 'daemon-updater.pid'];

export function daemonPids(codexHome: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const file of DAEMON_PID_FILES) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(codexHome, 'app-server-daemon', file), 'utf8'));
      const pid = typeof parsed === 'object' && parsed !== null ? (parsed as { pid?: unknown }).pid : undefined;
      if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0) found.set(file, pid);
    } catch {
      // no daemon of that kind (or a pid file being written)
    }
  }
  return found;
}

/**
 * Ends a managed daemon that appeared while codexSync's app-server ran (a pid file that was
 * not there, or named another PID, before it started): codexSync leaves no Codex running.
 */
export async function endNewDaemons(codexHome: string, before: ReadonlyMap<string, number>, graceMs: number): Promise<number[]> {
  const fresh = [...daemonPids(codexHome)].filter(([file, pid]) => before.get(file) !== pid && isAlive(pid)).map(([, pid]) => pid);
  for (const pid of fresh) signalOne(pid, 'SIGTERM');
  await waitUntil(() => fresh.every((pid) => !isAlive(pid)), graceMs);
  for (const pid of fresh.filter(isAlive)) signalOne(pid, 'SIGKILL');
  await waitUntil(() => fresh.every((pid) => !isAlive(pid)), graceMs);
  return fresh;
}

function signalOne(pid: number, signal: 'SIGTERM' | 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}
