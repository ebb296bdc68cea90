import { defineConfig } from 'vitest/config';

// Two projects: unit tests run anywhere in milliseconds; integration tests need the real
// stack (Kafka broker, schema registry, embedded ClickHouse) that test/global-setup.ts starts once.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['**/*.unit.test.ts'],
          exclude: ['node_modules/**', '.millrace/**', '.stack/**'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['**/*.integration.test.ts'],
          exclude: ['node_modules/**', '.millrace/**', '.stack/**', 'platform/stack/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // 2-core machines: a few files at a time keeps the broker responsive.
          maxWorkers: 3,
        },
      },
      {
        test: {
          // The stack script's own tests start and kill extra brokers: JVM start-ups take both
          // cores for seconds, so they run alone, after the rest, on their own ports.
          name: 'stack',
          sequence: { groupOrder: 2 },
          include: ['platform/stack/**/*.integration.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
    ],
  },
});
