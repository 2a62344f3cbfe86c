import { defineConfig } from 'vitest/config';
// @ts-expect-error plain ESM module without types
import { localEnv } from './deploy/local/env.mjs';

// Every test sees the local stack's addresses (deploy/local/env.mjs), overridable by the environment.
const env: Record<string, string> = { ...localEnv(process.env), LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };

export default defineConfig({
  test: {
    env,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'deploy/test/**/*.test.ts', 'web/src/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'gateway/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      { extends: true, test: { name: 'browser', include: ['web/test/browser/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, maxWorkers: 1 } },
    ],
  },
});
