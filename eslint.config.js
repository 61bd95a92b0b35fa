// ESLint flat config: a small set of correctness rules plus the module boundaries of src/.
//
// TypeScript 7 and typescript-eslint: TypeScript 7 (the native port) has no JavaScript compiler
// API, and typescript-eslint (parser, type-aware rules, ts-api-utils) does `require('typescript')`
// and needs that API (its peer range is typescript >=4.8.4 <6.1.0). The parser cannot be pointed
// at another module, and npm installs a peer next to its dependent, so the classic compiler has
// to be the package named `typescript`. So package.json has, side by side:
//   "typescript": "6.0.3"                      the classic JS API, for typescript-eslint only;
//   "typescript-7": "npm:typescript@7.0.2"     the native compiler, which `npm run typecheck` runs
//                                              by path (node node_modules/typescript-7/bin/tsc),
//                                              because both packages ship a `tsc` bin and npm
//                                              links node_modules/.bin/tsc to only one of them.
// The type information the lint rules see therefore comes from TypeScript 6.0, which type-checks
// like 7.0. (typescript-eslint's experimental tsgo backend needs TypeScript 7.1 under the name
// @typescript/native, plus classic 6.0; not worth it for 7.0.2.)
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const tsFiles = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const jsFiles = ['**/*.js', '**/*.mjs', '**/*.cjs'];

// ---- Module boundaries of src/ -------------------------------------------------------------
// no-restricted-imports sees the import specifier as written, so a relative path is matched by
// how many `../` it climbs. One config block per folder depth: a file `depth` folders below src/
// climbs `depth` times `../` to reach src/. (Rule options are not merged across blocks, so each
// block carries every pattern for its files.) It checks `import`, `import type` and `export ... from`,
// not `import()` expressions. Files more than MAX_DEPTH folders below src/ are not checked.
const MAX_DEPTH = 6;
const up = (n) => (n === 0 ? '\\./' : `(?:\\.\\./){${n}}`);
const builtins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/[/.]/g, '\\$&'));
const electron = { regex: '^electron(?:/|$)', message: 'Only src/main and src/preload may import electron.' };
// src/shared is bundled into the renderer too, so it gets the renderer's ban on Node built-ins.
const nodeBuiltins = (area) => ({
  regex: `^(?:node:|(?:${builtins.join('|')})(?:/|$))`,
  message: `${area === 'shared' ? 'src/shared is bundled into the renderer too' : 'src/renderer runs in a browser window'}: no Node.js built-ins.`,
});

/** Patterns for a file `depth` folders below src/ in src/core. */
function corePatterns(depth) {
  const toSrc = up(depth);
  const toCore = up(depth - 1);
  return [
    electron,
    {
      regex: `^${toSrc}(?:cli|main|preload|renderer)(?:/|$)`,
      message: 'src/core must not import src/cli, src/main, src/preload or src/renderer: they depend on core, not the other way round.',
    },
    {
      // `../scan/index.ts` is fine, `../scan/walk.ts` is not; `../errors.ts` (a file directly in
      // src/core) is fine. Applies to files directly in src/core too (`./scan/walk.ts`). A file
      // reaching its own stage through src/core (`../../scan/x.ts` from scan/sub/) is reported too.
      regex: `^${toCore}(?!\\.\\.?/)[^/]+/(?!index\\.ts$)`,
      message: "Import another src/core stage only through its index.ts (e.g. '../scan/index.ts'), not its inner files.",
    },
  ];
}

/** Patterns for a file `depth` folders below src/ in src/renderer. */
function rendererPatterns(depth) {
  const toSrc = up(depth);
  return [
    electron,
    nodeBuiltins('renderer'),
    {
      regex: `^${toSrc}(?!shared/|\\.\\./)`,
      message: 'src/renderer may import only from src/renderer and src/shared (the window talks to main through the preload API).',
    },
    {
      regex: `^(?:\\.\\./){${depth + 1},}`,
      message: 'src/renderer may import only from src/renderer and src/shared.',
    },
  ];
}

/** Patterns for a file `depth` folders below src/ in src/shared. */
function sharedPatterns(depth) {
  return [
    electron,
    nodeBuiltins('shared'),
    {
      regex: `^${up(depth)}(?:core|cli|main|preload|renderer)(?:/|$)`,
      message: 'src/shared is imported by every side: it must not import src/core, src/cli, src/main, src/preload or src/renderer.',
    },
  ];
}

/** Patterns for a file `depth` folders below src/ in src/cli: the command line runs without Electron or the app. */
function cliPatterns(depth) {
  return [
    electron,
    {
      regex: `^${up(depth)}(?:main|preload|renderer)(?:/|$)`,
      message: 'src/cli must not import src/main, src/preload or src/renderer: the command line runs without the app.',
    },
  ];
}

function boundaries(area, patternsFor) {
  const blocks = [];
  for (let depth = 1; depth <= MAX_DEPTH; depth += 1) {
    const dirs = Array.from({ length: depth - 1 }, () => '*').join('/');
    const glob = `src/${area}/${dirs ? `${dirs}/` : ''}*`;
    blocks.push({
      name: `codexsync/boundaries/${area}/depth-${depth}`,
      files: [`${glob}.ts`, `${glob}.tsx`],
      rules: { 'no-restricted-imports': ['error', { patterns: patternsFor(depth) }] },
    });
  }
  return blocks;
}

export default defineConfig(
  // test/scenarios/<name>/ are fixture trees (copies of Codex homes), not project code.
  globalIgnores(['out/', 'dist/', 'coverage/', 'e2e/artifacts/', 'bench/results/', 'test/scenarios/*/', '.tmp/'], 'codexsync/ignores'),
  {
    name: 'codexsync/all',
    files: [...tsFiles, ...jsFiles],
    extends: [js.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.mts', '.cts', '.mjs', '.js', '.cjs', '.json'] })],
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.mjs', '.js', '.cjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    name: 'codexsync/typescript',
    files: tsFiles,
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // The two programs of `npm run typecheck`; every TypeScript file linted must be in one.
        project: ['./tsconfig.json', './src/renderer/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // TypeScript reports unused locals and parameters itself (noUnusedLocals,
      // noUnusedParameters), and the code leaves out object keys with `_`-named rest siblings.
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Root config files that no tsconfig includes: type information from a default project
    // with the root tsconfig's options.
    name: 'codexsync/typescript-outside-tsconfig',
    files: ['vitest.codex.config.ts'],
    languageOptions: {
      parserOptions: {
        project: null,
        projectService: { allowDefaultProject: ['vitest.codex.config.ts'], defaultProject: 'tsconfig.json' },
      },
    },
  },
  {
    name: 'codexsync/javascript',
    files: jsFiles,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  ...boundaries('core', corePatterns),
  ...boundaries('renderer', rendererPatterns),
  ...boundaries('shared', sharedPatterns),
  ...boundaries('cli', cliPatterns),
);
