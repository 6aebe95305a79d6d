// `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose name contains an argument)
// and prints their figures. Benchmarks print; they do not assert. Targets are printed beside the
// measured figures so a reader can compare.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

for (const f of files) {
  console.log(`\n### ${f}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    console.log(`  (no run() exported)`);
    continue;
  }
  const t0 = performance.now();
  await mod.run();
  console.log(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
