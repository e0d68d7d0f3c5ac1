import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Diagnosis runs, apart from the suite (`npm test` never runs them): each takes minutes and servers of its own, and
// says what differs, not only that something does. `npm run diagnose:faults`.
export default defineConfig({
  root: resolve(dirname(fileURLToPath(import.meta.url)), '../..'),
  test: {
    include: ['test/diagnose/**/*.ts'],
    exclude: ['test/diagnose/vitest.config.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
