import path from 'node:path';
import { defineConfig } from 'vite';

/**
 * The web app. `vite build --config editor/vite.config.mts` writes editor/dist, which the Express
 * server serves; `vite --config editor/vite.config.mts` serves it in development and forwards the
 * API to the server on port 3000. The app imports ../rules (the same rule-set code as the server).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    // The rule-set validator, generated ahead of time (see generate-validator.ts): no eval in the browser.
    alias: [
      {
        find: /^\.\/rule-set-validator$/,
        replacement: path.join(import.meta.dirname, 'src', 'generated', 'rule-set-validator.js'),
      },
    ],
  },
  server: {
    fs: { allow: [path.join(import.meta.dirname, '..')] },
    proxy: { '/api': 'http://127.0.0.1:3000', '/s/': 'http://127.0.0.1:3000' },
  },
});
