// Real-data tests (`npm run test:real`): *.real.test.ts, which read the data sets and weights in ../shared (or PBAS_SHARED_DIR).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.real.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
