import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test files wait on child processes and sockets (the built CLI, a sandbox), not the CPU: more
    // of them at once than there are cores keeps a 2-core machine busy (about half the wall time).
    maxWorkers: 4,
  },
});
