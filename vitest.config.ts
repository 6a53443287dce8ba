import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The end-to-end tests drive the built web app; build it once if its sources changed.
    globalSetup: ['test/support/buildWeb.ts'],
  },
})
