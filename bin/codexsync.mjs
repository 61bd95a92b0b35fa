#!/usr/bin/env node
// Entry point of the `codexsync` command. Runs the TypeScript CLI on a current Node, or
// re-runs itself under the project's bundled Node 24 when the system Node is too old.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundledNode, tooOldMessage, versionOk } from '../scripts/node-runtime.mjs';

if (versionOk(process.version)) {
  // More file-system threads than libuv's 4: a sync keeps several files in flight. It must be
  // set before the first asynchronous file operation of the process.
  process.env.UV_THREADPOOL_SIZE ??= '16';
  // V8's on-disk code cache: a run then starts in about half the time.
  (await import('node:module')).enableCompileCache?.();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} else {
  const node = bundledNode();
  if (node === null) {
    process.stderr.write(`${tooOldMessage(process.version)}\n`);
    process.exit(1);
  }
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}
