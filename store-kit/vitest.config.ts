import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'store-kit',
    include: ['src/**/*.test.ts'],
  },
});
