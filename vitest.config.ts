import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { REACT_ON_PREACT } from './vite.config.ts';

export default defineConfig({
  plugins: [react()],
  // Component tests render with what the app ships (vite.config.ts).
  resolve: {
    alias: {
      ...REACT_ON_PREACT,
      // Its ES module build, so the aliases above reach its imports (its "main" is CommonJS).
      '@testing-library/react': '@testing-library/react/dist/@testing-library/react.esm.js',
    },
  },
  test: {
    server: { deps: { inline: ['@testing-library/react'] } },
    projects: [
      {
        extends: true,
        // The slowest unit test takes ~2 s on a quiet machine (DuckDB views, the seed): 15 s leaves
        // room for a loaded one.
        test: { name: 'unit', include: ['tests/unit/**/*.test.{ts,tsx}'], testTimeout: 15_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.{ts,tsx}'],
          testTimeout: 15_000,
          // Node's own fetch, which msw intercepts; component tests opt into happy-dom per file.
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          setupFiles: ['tests/e2e/harness/usCoreConformance.ts'],
          // The slowest browser test takes ~7 s and the slowest set-up (sandbox + Chromium) ~5 s on a
          // loaded 2-core machine; a test that needs longer says so itself (research.test.ts).
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
