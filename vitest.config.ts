import { delimiter } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

// `npm test` puts node_modules/.bin on PATH, and with it the Codex CLI of the dev dependencies. A
// sync that pulls threads asks the Codex it finds on PATH to add them; outside test/codex-e2e
// (which picks each machine's Codex itself) the tests run as on a machine without Codex.
const pathWithoutCodex = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .join(delimiter);

export default defineConfig({
  test: {
    // Tests spawn real processes and write real files; two cores are what CI has.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // test/codex-e2e runs real Codex on its own (vitest.codex.config.ts), after these.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/codex-e2e/**'], sequence: { groupOrder: 1 }, env: { PATH: pathWithoutCodex } },
      },
      {
        extends: true,
        // The windows in Debian's Chromium: one build of out/ and one browser for every file. They
        // run first and on their own, so that the browser's load never meets tests that time processes.
        test: { name: 'e2e', include: ['e2e/**/*.test.ts'], globalSetup: ['e2e/globalSetup.ts'], sequence: { groupOrder: 0 } },
      },
    ],
  },
});
