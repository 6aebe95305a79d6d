#!/usr/bin/env node
// `npm run build`: the renderer (Vite → dist/renderer) and the Electron side (esbuild bundles →
// dist/electron: main.mjs, preload.cjs, ingest-worker.mjs). The bundled worker needs no tsx, so
// the packaged app runs plain JavaScript. `--electron-only` / `--renderer-only` build one half.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const out = join(root, 'dist', 'electron');

if (!args.has('--electron-only')) {
  console.log('build: renderer (vite) → dist/renderer');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('build: the renderer build failed');
    process.exit(1);
  }
}

if (!args.has('--renderer-only')) {
  console.log('build: electron main, preload and worker (esbuild) → dist/electron');
  // ESM bundles may contain CommonJS dependencies that call require(): give them one
  const requireShim = "import { createRequire as __rkCreateRequire } from 'node:module'; const require = __rkCreateRequire(import.meta.url);";
  const common = { bundle: true, sourcemap: true, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
  await Promise.all([
    build({ ...common, entryPoints: ['electron/main.ts'], outfile: join(out, 'main.mjs'), platform: 'node', format: 'esm', target: 'node20', external: ['electron'], banner: { js: requireShim } }),
    build({ ...common, entryPoints: ['electron/workers/ingest-worker.ts'], outfile: join(out, 'ingest-worker.mjs'), platform: 'node', format: 'esm', target: 'node20', banner: { js: requireShim } }),
    // sandboxed preloads are CommonJS and may only require 'electron'
    build({ ...common, entryPoints: ['electron/preload.ts'], outfile: join(out, 'preload.cjs'), platform: 'node', format: 'cjs', target: 'chrome130', external: ['electron'] }),
  ]);
}
console.log('build: done');
