import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Definitions are imported as real ES modules; separate processes keep test files apart.
    pool: 'forks',
    // Cache and build tests run several cold builds each; on a loaded 2-core CI machine one took 119 s.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
