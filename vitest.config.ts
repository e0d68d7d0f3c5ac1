import { defineConfig } from 'vitest/config';

// Two projects by cost (docs/CONTRIBUTING.md "Tests by cost"): unit tests sit beside pure code and need
// no servers; integration and e2e tests talk to real Kafka, Redis and registry.
export default defineConfig({
  test: {
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/**/*.test.ts', 'shared/**/*.test.ts', 'deploy/**/*.test.ts', 'scripts/**/*.test.ts', 'test/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Servers are shared; files run one at a time so a slow broker does not
          // starve another file's consumer group of its rebalance window.
          fileParallelism: false,
        },
      },
    ],
  },
});
