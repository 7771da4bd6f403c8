import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'envs-mujoco',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
