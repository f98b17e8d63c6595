// Unit-test configuration: tests sit beside the code as *.test.ts; *.real.test.ts need ../shared and run with `npm run test:real` (vitest.real.config.mts).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.real.test.ts'],
    environment: 'node',
    // One PostgreSQL server for the run: the workspace suites run against it as well as SQLite.
    globalSetup: ['scripts/servers/vitest-servers.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends are process-global singletons; one worker keeps memory and timings sane on 2 cores.
    pool: 'forks',
    fileParallelism: false,
  },
})
