import { defineConfig } from 'vitest/config';

// The end-to-end handoff with the real Codex CLI runs on its own, after the other tests:
// it runs real Codex processes, which no other test's process guard may see.
export default defineConfig({
  test: {
    include: ['test/codex-e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
