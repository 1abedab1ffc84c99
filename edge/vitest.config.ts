import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'edge',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Integration tests start brokers, child processes and sockets on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
