import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'docs',
    include: ['test/**/*.test.ts'],
    // the tests read the built site (docs/.vitepress/dist, from `pnpm run docs:build`)
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
