// Builds the tray app into out/ with vite (rolldown underneath):
//   out/renderer  the windows (React), served by the app's own protocol
//   out/preload   the contextBridge script (CommonJS: a sandboxed preload cannot be a module)
//   out/main      the Electron main process, every dependency bundled in
//   out/cli       the `codexsync` command line, self-contained, with launchers that run it on
//                 the app's own runtime (ELECTRON_RUN_AS_NODE), so the installed app brings it
//   out/e2e       the HTTP bridge the e2e tests load instead of the preload
// Usage: node scripts/build.ts [renderer|preload|main|cli|e2e ...] (default: all but e2e).
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts: string[]): string => join(root, ...parts);
const quiet = { configFile: false, logLevel: 'warn', envDir: false } as const satisfies InlineConfig;

export async function buildRenderer(): Promise<void> {
  await build({
    ...quiet,
    root: at('src/renderer'),
    base: './',
    oxc: { jsx: { runtime: 'automatic' } },
    build: { outDir: at('out/renderer'), emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false }, assetsInlineLimit: 0, reportCompressedSize: false },
  });
}

export async function buildPreload(): Promise<void> {
  await build({
    ...quiet,
    build: {
      outDir: at('out/preload'),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      lib: { entry: at('src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
      rolldownOptions: { external: ['electron'] },
    },
  });
}

/** A Node program with every dependency inside (Electron's own modules excepted). */
async function buildNode(entry: string, outDir: string, fileName: string): Promise<void> {
  await build({
    ...quiet,
    // CommonJS entry points first: a require() of a package's ES build (moment, under winston's
    // daily files) would get its namespace object instead of the function it exports.
    resolve: { mainFields: ['main', 'module'] },
    ssr: { noExternal: true, target: 'node', resolve: { mainFields: ['main', 'module'] } } as InlineConfig['ssr'],
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rolldownOptions: { external: ['electron'], output: { format: 'es', entryFileNames: fileName, codeSplitting: false } },
    },
  });
  // ps-list runs these on Windows, from a folder beside the module that uses it.
  await mkdir(join(outDir, 'vendor'), { recursive: true });
  for (const exe of ['fastlist-0.3.0-x64.exe', 'fastlist-0.3.0-x86.exe']) await copyFile(at('node_modules/ps-list/vendor', exe), join(outDir, 'vendor', exe));
}

export async function buildMain(): Promise<void> {
  await buildNode(at('src/main/main.ts'), at('out/main'), 'index.mjs');
}

export async function buildCli(): Promise<void> {
  const dir = at('out/cli');
  await buildNode(at('scripts/build/cliEntry.ts'), dir, 'codexsync.mjs');
  // An ES module bundle outside the app's package needs a package.json saying so.
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'codexsync-cli', type: 'module', private: true }, null, 2)}\n`);
  await writeFile(join(dir, 'codexsync'), unixLauncher);
  await chmod(join(dir, 'codexsync'), 0o755);
  await writeFile(join(dir, 'codexsync.cmd'), windowsLauncher);
}

// In the installed app the CLI is in <resources>/cli; the app's executable runs it as Node.
const unixLauncher = `#!/bin/sh
# codexsync, as shipped inside the codexSync app: runs the command line on the app's runtime.
here=$(cd "$(dirname "$(readlink -f "$0" 2>/dev/null || echo "$0")")" && pwd)
for app in "$here/../../MacOS/codexSync" "$here/../../MacOS/codexsync" "$here/../../codexsync"; do
  if [ -x "$app" ]; then
    ELECTRON_RUN_AS_NODE=1 exec "$app" "$here/codexsync.mjs" "$@"
  fi
done
if command -v node >/dev/null 2>&1; then exec node "$here/codexsync.mjs" "$@"; fi
echo "codexsync: cannot find the codexSync app beside $here, nor a node on PATH" >&2
exit 1
`;

const windowsLauncher = `@echo off\r
rem codexsync, as shipped inside the codexSync app: runs the command line on the app's runtime.\r
setlocal\r
set "ELECTRON_RUN_AS_NODE=1"\r
"%~dp0..\\..\\codexsync.exe" "%~dp0codexsync.mjs" %*\r
exit /b %ERRORLEVEL%\r
`;

export async function buildE2eBridge(): Promise<void> {
  await build({
    ...quiet,
    build: {
      outDir: at('out/e2e'),
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry: at('e2e/browser/bridge.ts'), formats: ['iife'], name: 'codexSyncBridge', fileName: () => 'bridge.js' },
    },
  });
}

const targets = { renderer: buildRenderer, preload: buildPreload, main: buildMain, cli: buildCli, e2e: buildE2eBridge } as const;
type Target = keyof typeof targets;

export async function buildAll(names: readonly Target[]): Promise<void> {
  for (const name of names) await targets[name]();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in targets));
  if (unknown.length > 0) {
    process.stderr.write(`build: unknown target ${unknown.join(', ')}; choose from ${Object.keys(targets).join(', ')}\n`);
    process.exit(4);
  }
  const names = (asked.length === 0 ? ['renderer', 'preload', 'main', 'cli'] : asked) as Target[];
  if (asked.length === 0) await rm(at('out'), { recursive: true, force: true });
  await buildAll(names);
  process.stdout.write(`built ${names.join(', ')} into out/\n`);
}
