import { defineConfig } from 'vitest/config';

// One Vitest project per package; `pnpm test` runs them through turbo (one process per package).
export default defineConfig({
  test: {
    projects: ['packages/*', 'native'],
  },
});
