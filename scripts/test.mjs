#!/usr/bin/env node
// `npm test`: typecheck, lint, unit + integration tests (vitest), then end-to-end tests (Playwright
// in Debian's Chromium). Prints one closing line "tests: N passed, N failed, N skipped" and exits
// non-zero when any step failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const steps = [];
let failedSteps = 0;
const out = 'test-results';
mkdirSync(out, { recursive: true });

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  if (!ok) failedSteps++;
  steps.push(`${name}: ${ok ? 'ok' : 'FAILED'} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

const only = process.argv[2];
if (!only || only === 'static') {
  run('typecheck (all)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('typecheck (shared: no Node, no DOM)', 'npx', ['tsc', '-p', 'shared/tsconfig.json', '--noEmit']);
  run('lint', 'npx', ['eslint', '.']);
}
let passed = 0, failed = 0, skipped = 0;
if (!only || only === 'unit') {
  run('unit and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/vitest.json`]);
  if (existsSync(`${out}/vitest.json`)) {
    const j = JSON.parse(readFileSync(`${out}/vitest.json`, 'utf8'));
    passed += j.numPassedTests ?? 0;
    failed += j.numFailedTests ?? 0;
    skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  }
}
if ((!only || only === 'e2e') && existsSync('playwright.config.ts')) {
  run('end-to-end tests', 'npx', ['playwright', 'test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${out}/playwright.json` });
  if (existsSync(`${out}/playwright.json`)) {
    const s = JSON.parse(readFileSync(`${out}/playwright.json`, 'utf8')).stats ?? {};
    passed += s.expected ?? 0;
    failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
    skipped += s.skipped ?? 0;
  }
}
console.log('\n' + steps.join('\n'));
if (failedSteps > 0 && failed === 0) failed = failedSteps; // a failed typecheck / lint counts
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
