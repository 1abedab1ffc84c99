import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Every package with tests has its own vitest.config.ts; the end-to-end suite runs separately.
    projects: ['*/vitest.config.ts'],
  },
});
