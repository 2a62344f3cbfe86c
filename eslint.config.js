import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// the one list of services (packages/contracts/src/services.json): each is fenced from the others
const SERVICES = JSON.parse(readFileSync(new URL('./packages/contracts/src/services.json', import.meta.url), 'utf8')).map((s) => s.name);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/.next/**', '.data/**', '**/dist/**', 'web/next-env.d.ts', '**/test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortSignal: 'readonly', URLSearchParams: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  // A service imports only @kapocs/kit, @kapocs/contracts and libraries — never another service,
  // the gateway or the portal (ARCHITECTURE.md: no distributed monolith).
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          {
            group: [...SERVICES.filter((s) => s !== service).map((s) => `@kapocs/${s}`), '@kapocs/gateway', '@kapocs/web', '@kapocs/deploy'],
            message: 'A service talks to another service through events or its HTTP API, never by importing it.',
          },
          {
            regex: `^(\\.\\./){2,}(${[...SERVICES.filter((s) => s !== service), 'gateway', 'web', 'services'].join('|')})(/|$)`,
            message: 'A service imports no other service\'s code.',
          },
        ],
      }],
    },
  })),
  {
    files: ['gateway/**/*.ts', 'packages/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: SERVICES.map((s) => `@kapocs/${s}`), message: 'Shared code and the gateway depend on no service.' }] }],
    },
  },
);
