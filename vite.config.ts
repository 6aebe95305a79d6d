// Builds the renderer (renderer/) into dist/renderer for both the Electron window and the browser
// host. JSX uses React's automatic runtime through Vite's own transform (no React plugin needed).
// Relative asset paths ('./') so the same build loads from file:// in Electron and from the host.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // no inline <script>: the CSP forbids inline code
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
