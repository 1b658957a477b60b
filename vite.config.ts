import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The app is written against React's API and runs on Preact's compatibility layer (preact/compat),
 * in the build and in the tests alike: React DOM alone is ~62 KB gzipped, Preact with compat ~11 KB,
 * which brings the JavaScript fetched before the first screen from ~169 KB to ~109 KB (issue 15's
 * 130 KB budget). Exact matches first: 'react-dom/client' must not be caught by 'react-dom'.
 */
export const REACT_ON_PREACT = {
  'react-dom/test-utils': 'preact/test-utils',
  'react-dom/client': 'preact/compat/client',
  'react-dom': 'preact/compat',
  'react/jsx-runtime': 'preact/jsx-runtime',
  'react/jsx-dev-runtime': 'preact/jsx-dev-runtime',
  react: 'preact/compat',
};

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the build can be served from any path a clinic's host gives it.
  base: './',
  // fhirclient's "pure" build: no fetch/AbortController polyfills (every supported browser has them).
  define: { FHIRCLIENT_PURE: 'true' },
  resolve: {
    alias: {
      'isomorphic-webcrypto': resolve(import.meta.dirname, 'src/ui/shims/webcrypto.ts'),
      ...REACT_ON_PREACT,
    },
  },
  build: {
    outDir: 'dist',
    rolldownOptions: {
      input: {
        app: resolve(import.meta.dirname, 'index.html'),
        launch: resolve(import.meta.dirname, 'launch/launch.html'),
      },
    },
  },
});
