import { defineConfig } from 'vitest/config';

// Runs the portal's browser tests alone (`npm run test:browser -w @kapocs/web`); the root config
// has the same files in its `browser` project.
export default defineConfig({
  test: {
    name: 'browser',
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
