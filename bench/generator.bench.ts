// Generator throughput: one host's Sysmon EVTX written to a temp folder through the streaming
// disk writer, then the same events as NDJSON. Prints MB/s and peak RSS (bounded memory: the
// peak must not grow with the file). GEN_BENCH_EVENTS sets the size (default 60000 events,
// about 100 MB of EVTX); use e.g. 2000000 for a multi-GB file.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGenerated } from '../electron/generate/write-generated';
import type { OutputFormat } from '../shared/generator/scenarios';

const EVENTS = Number(process.env.GEN_BENCH_EVENTS ?? 60000);

async function once(format: OutputFormat): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rkh-gen-bench-'));
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const key = await writeGenerated({ scenario: 'classroom-basics', hosts: 1, events: EVENTS, format, seed: 1, keepRecords: false }, dir, {
      onProgress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    });
    const s = (performance.now() - t0) / 1000;
    const bytes = key.files.reduce((n, f) => n + f.bytes, 0);
    const records = key.files.reduce((n, f) => n + f.records, 0);
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`  ${format.padEnd(6)} ${records} records, ${(bytes / 1048576).toFixed(1)} MB in ${s.toFixed(1)} s: ${(bytes / 1048576 / s).toFixed(1)} MB/s, ${(records / s).toFixed(0)} records/s, peak RSS ${(peak / 1048576).toFixed(0)} MB`);
  } finally {
    clearInterval(timer);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  console.log(`  generator: ${EVENTS} logical events on one Sysmon host (target: multi-GB output in bounded memory; peak RSS flat as size grows)`);
  await once('evtx');
  await once('ndjson');
}
