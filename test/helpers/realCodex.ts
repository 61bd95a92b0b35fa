import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../../src/core/guard/terminate.ts';

/** The two real Codex CLIs from the npm registry: the pinned one (@openai/codex) and the newest tested (codex-0171, an alias). */
export type CodexVersion = 'pinned' | 'newest';

const wrappers: Record<CodexVersion, string> = {
  pinned: fileURLToPath(new URL('../../node_modules/@openai/codex/bin/codex.js', import.meta.url)),
  newest: fileURLToPath(new URL('../../node_modules/codex-0171/bin/codex.js', import.meta.url)),
};

/** The entry script of one of the real Codex CLIs (run it with process.execPath). */
export function codexWrapperFor(version: CodexVersion): string {
  return wrappers[version];
}

/** The pinned real Codex CLI. */
export const codexWrapper = wrappers.pinned;

export function codexAvailable(): boolean {
  return existsSync(codexWrapper);
}

/** Environment for real Codex: its home in a temp folder, a dummy key, no network use of ours. */
export function codexEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CODEX_HOME: home, OPENAI_API_KEY: 'sk-test', RUST_LOG: 'error', NO_COLOR: '1', ...extra };
}

/** Starts `codex app-server daemon start` (it returns once the daemon runs) and reads the daemon's PIDs. */
export function startDaemon(home: string): { daemon: number; helper: number | undefined } {
  const result = spawnSync(process.execPath, [codexWrapper, 'app-server', 'daemon', 'start'], { env: codexEnv(home), encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`codex app-server daemon start failed: ${result.stderr}`);
  const pidOf = (file: string): number | undefined => {
    const path = join(home, 'app-server-daemon', file);
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid : undefined;
  };
  const daemon = pidOf('daemon.pid');
  if (daemon === undefined) throw new Error('the Codex daemon wrote no daemon.pid');
  return { daemon, helper: pidOf('daemon-updater.pid') };
}

/** Ends processes by PID (never by name), waiting until they are gone. */
export async function endByPid(pids: Iterable<number | undefined>): Promise<void> {
  const list = [...pids].filter((pid): pid is number => pid !== undefined);
  for (const pid of list) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 5000;
  while (list.some(isAlive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

export function startCodex(args: string[], home: string, cwd: string, extraEnv: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [codexWrapper, ...args], { cwd, env: codexEnv(home, extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * A `codex` program as npm installs one on PATH: a script that starts the real CLI of one
 * version (the wrapper replaces itself with the native binary, so the PID is Codex's own).
 */
export function codexProgramFor(version: CodexVersion, dir: string): string {
  const path = join(dir, 'codex');
  writeFileSync(path, `#!/bin/sh\nexec '${process.execPath}' '${wrappers[version]}' "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}
