// Runs @doyensec/electronegativity (Electron security checks) on the app's main process,
// preload and window HTML, offline, and prints its findings as JSON:
//   node scripts/electronegativity.ts [folder]   -> {"issues": [...], "errors": [...]}
// (default: src/main, src/preload and src/renderer/index.html)
// Two things make it run here: its TypeScript parser (typescript-estree 4) needs the TypeScript 4
// that electronegativity brings, not the project's TypeScript 7; and it fetches translations and
// Electron's release list from the internet, which this machine cannot reach: the fetch gets an
// immediate "offline" (English messages are bundled), and the check that needs the release list
// (AVAILABLE_SECURITY_FIXES) is left out. The sources are scanned with their types stripped
// (positions kept), since its parser predates today's TypeScript syntax.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, registerHooks, stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tool = join(root, 'node_modules', '@doyensec', 'electronegativity');
const offline = 'codexsync:offline-got';

registerHooks({
  resolve(specifier, context, next) {
    const parent = context.parentURL ?? '';
    if (specifier === 'typescript' && /\/node_modules\/(@typescript-eslint\/|tsutils\/)/.test(parent)) {
      return { url: pathToFileURL(join(tool, 'node_modules', 'typescript', 'lib', 'typescript.js')).href, format: 'commonjs', shortCircuit: true };
    }
    if (specifier === 'got' && parent.includes('/@doyensec/electronegativity/')) return { url: offline, format: 'commonjs', shortCircuit: true };
    return next(specifier, context);
  },
  load(url, context, next) {
    if (url === offline) return { format: 'commonjs', source: "module.exports = () => Promise.reject(new Error('offline'));", shortCircuit: true };
    return next(url, context);
  },
});

interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  description: string;
}

export interface ScanResult {
  issues: Finding[];
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
}

/** What is scanned: folders of TypeScript and HTML files, relative to `base`. */
export interface ScanInput {
  base: string;
  folders: string[];
  html: string[];
}

export const appSources: ScanInput = { base: root, folders: ['src/main', 'src/preload'], html: ['src/renderer/index.html'] };

function stage(input: ScanInput): string {
  const dir = mkdtempSync(join(tmpdir(), 'codexsync-electronegativity-'));
  for (const folder of input.folders) {
    const walk = (from: string): void => {
      for (const entry of readdirSync(from, { withFileTypes: true })) {
        const path = join(from, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts')) {
          const target = join(dir, relative(input.base, path)).replace(/\.ts$/, '.js');
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, stripTypeScriptTypes(readFileSync(path, 'utf8'), { mode: 'strip' }));
        }
      }
    };
    walk(join(input.base, folder));
  }
  for (const file of input.html) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(input.base, file), join(dir, file));
  }
  return dir;
}

export async function scan(input: ScanInput = appSources): Promise<ScanResult> {
  const dir = stage(input);
  try {
    const run = createRequire(import.meta.url)(join(tool, 'dist', 'runner.js')) as (
      options: Record<string, unknown>,
      forCli: boolean,
    ) => Promise<{ issues: Array<Record<string, unknown>>; errors: ScanResult['errors'] }>;
    const result = await run(
      {
        input: dir,
        output: undefined,
        isSarif: false,
        customScan: [],
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        severitySet: undefined,
        confidenceSet: undefined,
        isRelative: true,
        isVerbose: false,
        electronUpgrade: undefined,
        electronVersionOverride: JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version,
        parserPlugins: [],
      },
      false,
    );
    return {
      issues: result.issues.map((issue) => {
        const location = issue.location as { line: number; column: number };
        return {
          id: String(issue.id),
          severity: (issue.severity as { name: string }).name,
          confidence: (issue.confidence as { name: string }).name,
          file: String(issue.file),
          location: `${location.line}:${location.column}`,
          description: String(issue.description),
        };
      }),
      errors: result.errors,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Its logger and progress bar write to the console; only the JSON goes to stdout.
  const write = process.stdout.write.bind(process.stdout);
  console.log = () => undefined;
  const result = await scan(process.argv[2] === undefined ? appSources : { base: process.argv[2], folders: ['.'], html: [] });
  write(`${JSON.stringify(result, null, 1)}\n`);
}
