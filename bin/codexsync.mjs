#!/usr/bin/env node
// Entry point of the `codexsync` command. Runs the TypeScript CLI on a current Node, or
// re-runs itself under the project's bundled Node 24 when the system Node is too old.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { bundledNode, tooOldMessage, versionOk } from '../scripts/node-runtime.mjs';

// Test hook: CODEXSYNC_LAUNCHER_FORCE_REEXEC=1 re-runs the CLI in a child as an old system
// Node would, so that the tests of the launcher run on any machine. Never passed to the child.
const forced = process.env.CODEXSYNC_LAUNCHER_FORCE_REEXEC === '1';
delete process.env.CODEXSYNC_LAUNCHER_FORCE_REEXEC;
// Set by the launcher for the child it starts, which then watches the launcher (see below).
const LAUNCHED = 'CODEXSYNC_LAUNCHED';
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

if (versionOk(process.version) && !forced) {
  if (process.env[LAUNCHED] === '1' && process.channel !== undefined) {
    delete process.env[LAUNCHED];
    // The launcher that started this run has gone (even killed with SIGKILL, which it cannot
    // forward): its end of the IPC channel closed, and the run ends as on SIGTERM.
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    // The channel must not keep the run alive once it has finished.
    process.channel.unref();
  }
  // More file-system threads than libuv's 4: a sync keeps several files in flight. It must be
  // set before the first asynchronous file operation of the process.
  process.env.UV_THREADPOOL_SIZE ??= '16';
  // V8's on-disk code cache: a run then starts in about half the time.
  (await import('node:module')).enableCompileCache?.();
  (await import('../src/core/heap.ts')).keepYoungGenerationSmall();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  const node = bundledNode() ?? (forced ? process.execPath : null);
  if (node === null) {
    process.stderr.write(`${tooOldMessage(process.version)}\n`);
    process.exit(1);
  }
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [LAUNCHED]: '1' },
  });
  child.on('error', (error) => {
    process.stderr.write(`codexsync: cannot start ${node}: ${error.message}\n`);
    process.exit(1);
  });
  // What stops the launcher stops the run: the signals are passed on (Ctrl-C in a terminal
  // reaches both processes; the CLI takes two Ctrl-C within a moment for one).
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  child.on('exit', (code, signal) => {
    // The child's end passes through exactly: the same exit code, or death by the same signal.
    for (const name of FORWARDED) process.off(name, forward);
    if (signal) {
      process.kill(process.pid, signal);
      // Only if the signal did not end this process (one it ignores): the shell's code for it.
      setTimeout(() => process.exit(128 + (constants.signals[signal] ?? 0)), 1000);
    } else process.exit(code ?? 1);
  });
}
