import { defineConfig } from 'vitest/config'

// Its own config file: the Vite config's web root (ui/) would otherwise hide the tests.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and database tests share 2 cores; files run in parallel, tests in a file in order.
    fileParallelism: true,
    maxWorkers: 2,
  },
})
