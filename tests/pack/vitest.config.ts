import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'pack',
    include: ['test/**/*.test.ts'],
    // npm installs (TensorFlow.js included) and a short PPO run per scenario; see test/pack.test.ts
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
