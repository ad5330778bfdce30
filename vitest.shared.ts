// Shared vitest settings: tests import sibling packages from their sources (no build needed),
// while child processes (servers, CLI) run the built dist/ files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@zkvote\/([a-z-]+)\/test$/, replacement: `${root}packages/$1/src/test/index.ts` },
      { find: /^@zkvote\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
