import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../../src/core/guard/terminate.ts';

/**
 * Real, long-running processes that look like each kind of Codex process. Every one is
 * ended by its PID after the test; nothing is ever ended by name.
 */
export class FakeCodex {
  readonly dir: string;
  readonly #children: ChildProcess[] = [];

  constructor(dir: string) {
    this.dir = dir;
  }

  #start(command: string, args: string[]): number {
    const child = spawn(command, args, { stdio: 'ignore', detached: false });
    this.#children.push(child);
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    return child.pid;
  }

  /** A native binary whose process name is `name` (a copy of /bin/sleep). */
  native(name: string): number {
    const path = join(this.dir, name);
    copyFileSync('/bin/sleep', path);
    chmodSync(path, 0o755);
    return this.#start(path, ['600']);
  }

  /** A program started as `<dir>/<name> args…` whose real executable is Node (argv[0] is the name). */
  named(name: string, args: string[]): number {
    mkdirSync(join(this.dir, 'named'), { recursive: true });
    const link = join(this.dir, 'named', name);
    try {
      symlinkSync(process.execPath, link);
    } catch {
      // already linked by an earlier call
    }
    return this.#start(link, ['-e', 'setInterval(() => {}, 1 << 30)', '--', ...args]);
  }

  /** Codex's npm wrapper: `node …/bin/codex.js args…`. */
  nodeWrapper(args: string[]): number {
    mkdirSync(join(this.dir, 'bin'), { recursive: true });
    const script = join(this.dir, 'bin', 'codex.js');
    writeFileSync(script, 'setInterval(() => {}, 1 << 30);\n');
    return this.#start(process.execPath, [script, ...args]);
  }

  /** A process that ignores SIGTERM (SIGKILL still ends it). */
  stubborn(name: string): number {
    mkdirSync(join(this.dir, 'named'), { recursive: true });
    const link = join(this.dir, 'named', name);
    try {
      symlinkSync(process.execPath, link);
    } catch {
      // already linked
    }
    return this.#start(link, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30)"]);
  }

  /** Ends every process this helper started, by PID. */
  async stopAll(): Promise<void> {
    for (const child of this.#children) {
      if (child.pid !== undefined && isAlive(child.pid)) child.kill('SIGKILL');
    }
    await Promise.all(this.#children.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
  }
}

/** Waits until `ps` shows these PIDs with their final command lines (exec takes a moment). */
export async function settle(ms = 300): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
