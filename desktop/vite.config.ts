import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * The renderer is one web app for Electron and for browsers. Relative asset paths (`base: './'`)
 * let the same build load from the Electron app protocol and from the cloud at `/`; routes live in
 * the URL hash so the cloud's SPA fallback and file-like loading both work.
 */
export default defineConfig({
  root: here('./src/renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: here('./dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
  server: { port: 5173, strictPort: false },
});
