// The reference chat web app: built into dist/web (hashed assets under /assets/), which the server serves at /.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // The server's Content-Security-Policy allows no inline script: the module preload helper stays in a file.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
