import { defineConfig } from 'vitest/config';

// `npm test` runs the fast set; with CI set (CI sets it) it runs the slow tests too: the
// 1M-line import, the kill -9 of a 150k-item move (files named *.slow.test.ts).
const everything = Boolean(process.env.CI);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: everything ? [] : ['test/**/*.slow.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['scripts/test-setup.js'],
  },
});
