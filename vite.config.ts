import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the build can be served from any path a clinic's host gives it.
  base: './',
  // fhirclient's "pure" build: no fetch/AbortController polyfills (every supported browser has them).
  define: { FHIRCLIENT_PURE: 'true' },
  resolve: {
    alias: { 'isomorphic-webcrypto': resolve(import.meta.dirname, 'src/ui/shims/webcrypto.ts') },
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
