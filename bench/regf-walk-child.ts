// Child process of regf.bench.ts (not a bench itself: run.ts runs only *.bench.ts): reads one
// hive and walks it whole, values decoded, in a fresh process, and prints the resident set
// before reading and its peak during the walk (sampled every 512 keys), as JSON on stdout.
import { readFileSync } from 'node:fs';
import { openHive } from '../shared/regf/hive';

const path = process.argv[2];
const before = process.memoryUsage().rss;
let peak = before;
const data = new Uint8Array(readFileSync(path));
const r = openHive(data, { file: path });
if (!r.ok) throw new Error(`${path}: ${r.problem.code}`);
const h = r.hive;
let n = 0;
h.walk((k) => {
  for (const v of h.values(k)) h.valueData(v);
  if (++n % 512 === 0) peak = Math.max(peak, process.memoryUsage().rss);
});
peak = Math.max(peak, process.memoryUsage().rss);
process.stdout.write(JSON.stringify({ before, peak, size: data.length, keys: n }) + '\n');
