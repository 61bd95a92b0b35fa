import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/codex-e2e runs real Codex on its own (vitest.codex.config.ts), after these.
    exclude: [...configDefaults.exclude, 'test/codex-e2e/**'],
    // Tests spawn real processes and write real files; two cores are what CI has.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
