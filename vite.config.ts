// Builds the window into dist-renderer/. The base is relative so the same files load from the
// app:// protocol in Electron and from the e2e harness's loopback server alike.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist-renderer',
    emptyOutDir: true,
    // The strict CSP has no 'unsafe-eval', and no module preload polyfill is needed in Chromium.
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1', strictPort: true },
});
