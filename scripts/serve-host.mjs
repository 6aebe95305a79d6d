#!/usr/bin/env node
// `npm run serve`: the browser host from its esbuild bundle (dist/hosts/serve.mjs, with the bundled
// ingest worker beside it), built and kept fresh as the CLI's is (scripts/host-bundle.mjs).
// RUNKEY_HUNTER_FROM_SOURCE=1, or a bundle that cannot be built (one stderr line), runs
// electron/browser-host/serve.ts through tsx as before. The flags are serve.ts's (serveCommand).
let mod;
if (process.env.RUNKEY_HUNTER_FROM_SOURCE !== '1') {
  const { ensureHostBundle } = await import('./host-bundle.mjs');
  const r = await ensureHostBundle();
  if (r.ok) mod = await import(r.url('serve'));
  else process.stderr.write(`runkey-hunter: cannot build the browser-host bundle (${r.reason}); running the TypeScript sources through tsx (slower start)\n`);
}
if (!mod) {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import('../electron/browser-host/serve.ts');
}
await mod.serveCommand().parseAsync(process.argv);
