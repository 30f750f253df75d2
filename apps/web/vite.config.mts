import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

const root = import.meta.dirname;

export default defineConfig({
  root,
  // Everything is served from this origin; nothing from a CDN.
  base: '/',
  resolve: {
    alias: {
      '@hearth/protocol': resolve(root, '../../libs/protocol/src'),
      '@hearth/client': resolve(root, '../../libs/client/src'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the CSP forbids; every supported browser has it.
    modulePreload: { polyfill: false },
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 900,
  },
  plugins: [
    // Precompressed copies served by the hub (brotli first): the 8 MB crypto wasm is ≈1.4 MB in brotli.
    compression({
      algorithms: [defineAlgorithm('brotliCompress'), defineAlgorithm('gzip', { level: 9 })],
      include: /\.(js|css|html|svg|wasm)$/,
      threshold: 1024,
    }),
  ],
});
