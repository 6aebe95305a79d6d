// One measured run of the back half for bench/backend.bench.ts, in its own process so its peak
// RSS is its own: opens one evidence file with N workers (the esbuild-bundled worker, as the built
// app runs it) and prints one JSON line with the wall times and the peak RSS.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBackend } from '../electron/backend/backend';

const [file, workersArg, workerBundle] = process.argv.slice(2);
const workers = Number(workersArg);
const dataDir = await mkdtemp(join(tmpdir(), 'rk-bench-'));
let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
const timer = setInterval(sample, 20);
const backend = await createBackend({ host: 'browser', dataDir, workers, demoDir: dataDir, workerUrl: pathToFileURL(workerBundle) });
let readMs = 0;
let findings = 0;
let records = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
backend.subscribe((name, payload) => {
  if (name === 'ingest.progress') {
    const p = payload as { progress: { bytesDone: number; bytesTotal: number; records: number } };
    records = p.progress.records;
    if (p.progress.bytesDone === p.progress.bytesTotal && readMs === 0) readMs = performance.now() - t0;
  }
  if (name === 'findings.replaced') findings = (payload as { findings: unknown[] }).findings.length;
});
const r = await backend.openPaths([file]);
if (!r.ok) throw new Error(r.error.message);
await backend.whenIdle();
const totalMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
sample();
clearInterval(timer);
await backend.close();
await rm(dataDir, { recursive: true, force: true });
const maxRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ workers, readMs, totalMs, cpuMs, records, findings, peakRss: Math.max(peak, maxRss) }) + '\n');
