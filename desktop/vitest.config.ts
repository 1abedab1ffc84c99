import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'desktop',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    // Component tests opt into happy-dom per file; main-process and logic tests run in node.
    environment: 'node',
  },
});
