#!/usr/bin/env node
// The package's bin. Runs the CLI from its esbuild bundle (dist/hosts/cli.mjs), built on the first
// start after `npm ci` (or by the `prepare` script) and rebuilt when a source changed: see
// scripts/host-bundle.mjs. So `npx runkey-hunter` works right after `npm ci` with no build step,
// and starts without compiling TypeScript. RUNKEY_HUNTER_FROM_SOURCE=1 runs electron/cli.ts through
// tsx instead (development, and the tests that must see the sources). When the bundle cannot be
// built (no esbuild), one stderr line says so and the sources run through tsx.
// RUNKEY_HUNTER_EXPLAIN_START=1 says on stderr which of the two ran (for the tests).

const explain = process.env.RUNKEY_HUNTER_EXPLAIN_START === '1';
let entry;
if (process.env.RUNKEY_HUNTER_FROM_SOURCE !== '1') {
  const { ensureHostBundle } = await import('../scripts/host-bundle.mjs');
  const r = await ensureHostBundle();
  if (r.ok) entry = r.url('cli');
  else process.stderr.write(`runkey-hunter: cannot build the CLI bundle (${r.reason}); running the TypeScript sources through tsx (slower start)\n`);
  if (explain && r.ok) process.stderr.write(`runkey-hunter: start: bundle${r.built ? ` (built now: ${r.why})` : ''}\n`);
}
if (entry) {
  await import(entry);
} else {
  if (explain) process.stderr.write('runkey-hunter: start: sources\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli.ts');
}
