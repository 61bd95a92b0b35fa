import { configDefaults, defineConfig } from 'vitest/config';

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
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/codex-e2e/**'], sequence: { groupOrder: 1 } },
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
