// Figures for issue 20's "read once", printed by scan.bench.ts: a scan of an EVTX on disk (real
// Sysmon chunks repeated, BENCH_DISK_MB, default 200) the way the CLI did it before (plain reads,
// then sha256File reading the file again) and the way it does now (openReadOnceSource: read-ahead,
// the hash taken from the blocks as they are parsed). Both read on the EVTX fast path, normalize and
// collect every event (CaseCollector.add); the case stage is the same for both and left out.
// Alternating runs, best of each (BENCH_RUNS, default 3); bytes read from the file are counted.
// The file is in the page cache after it is written, so "disk" here is the kernel's copy: the
// figures show the second pass's CPU and copy cost, a cold disk would add its transfer time.
// Then the whole process: `node bin/runkey-hunter.mjs scan` (the bundle) on the same file.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileSource } from '../electron/io/file-source';
import { openReadOnceSource } from '../electron/io/read-once-source';
import { sha256File } from '../electron/io/hash';
import { readEvidence } from '../shared/readers/read-evidence';
import type { ByteSource } from '../shared/readers/types';
import { normalize } from '../shared/normalize/normalize';
import { CaseCollector } from '../shared/detect/engine';
import { scanWantedFields } from '../shared/detect/scan-fields';
import { buildBigEvtx } from '../test/electron/backend/fixtures/big-evtx';
import { SAMPLES_DIR } from '../test/samples';

const here = dirname(fileURLToPath(import.meta.url));
const SAMPLE = join(SAMPLES_DIR, 'sbousseaden_EVTX-ATTACK-SAMPLES', 'AutomatedTestingTools', 'PanacheSysmon_vs_AtomicRedTeam01.evtx');

async function scanSource(src: ByteSource, file: string): Promise<number> {
  const wanted = scanWantedFields();
  const c = new CaseCollector();
  let n = 0;
  for await (const batch of readEvidence(src, { file, onProblem: () => undefined }, wanted ? { evtxWantedFields: wanted } : {})) {
    for (const raw of batch) {
      n++;
      const ev = normalize(raw);
      if (ev) c.add(ev);
    }
  }
  return n;
}

/** Before: plain reads for the reader, then the whole file again for the hash. */
async function before(path: string): Promise<{ ms: number; bytes: number; sha256: string }> {
  const t0 = performance.now();
  const plain = await openFileSource(path);
  let bytes = 0;
  const counted: ByteSource = { size: plain.size, read: async (o, l) => { const b = await plain.read(o, l); bytes += b.length; return b; } };
  try {
    await scanSource(counted, path);
  } finally {
    await plain.close();
  }
  const sha256 = await sha256File(path);
  return { ms: performance.now() - t0, bytes: bytes + plain.size, sha256 };
}

/** Now: one pass, hashed as read. */
async function after(path: string): Promise<{ ms: number; bytes: number; sha256: string }> {
  const t0 = performance.now();
  const src = await openReadOnceSource(path);
  try {
    await scanSource(src, path);
    const sha256 = (await src.sha256()) ?? 'none';
    return { ms: performance.now() - t0, bytes: src.diskBytes, sha256 };
  } finally {
    await src.close();
  }
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export async function runReadOnce(): Promise<void> {
  if (!existsSync(SAMPLE)) {
    console.log(`  read once: skipped (${SAMPLE} not found)`);
    return;
  }
  const sizeMb = Number(process.env.BENCH_DISK_MB ?? 200);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const dir = mkdtempSync(join(tmpdir(), 'rkh-bench-read-once-'));
  try {
    const path = join(dir, 'big-sysmon.evtx');
    const built = await buildBigEvtx(SAMPLE, path, sizeMb * 1024 * 1024);
    console.log(`  read once: ${mib(built.bytes)} Sysmon EVTX on disk (${built.chunks} chunks of ${SAMPLE.split('/').pop()} repeated), best of ${runs} alternating runs`);
    let b = { ms: Infinity, bytes: 0, sha256: '' };
    let a = { ms: Infinity, bytes: 0, sha256: '' };
    for (let k = 0; k < runs; k++) {
      const pair = k % 2 === 0 ? [before, after] : [after, before];
      for (const f of pair) {
        const r = await f(path);
        if (f === before && r.ms < b.ms) b = r;
        if (f === after && r.ms < a.ms) a = r;
      }
    }
    console.log(`  before (read, then sha256File): ${b.ms.toFixed(0)} ms, ${mib(b.bytes)} read (${(b.bytes / built.bytes).toFixed(2)}x the file)`);
    console.log(`  now (read once, hashed as read, read-ahead): ${a.ms.toFixed(0)} ms, ${mib(a.bytes)} read (${(a.bytes / built.bytes).toFixed(2)}x the file); ${(((b.ms - a.ms) / b.ms) * 100).toFixed(1)} % less time; same SHA-256: ${a.sha256 === b.sha256}`);
    const bin = join(here, '..', 'bin', 'runkey-hunter.mjs');
    spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }); // builds the bundle if stale, outside the timing
    let whole = Infinity;
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [bin, 'scan', path, '--format', 'json', '--out', join(dir, 'report.json')], { encoding: 'utf8' });
      if (r.status !== 0 && r.status !== 1) console.log(`  whole-process scan failed (exit ${r.status}): ${r.stderr.slice(-300)}`);
      whole = Math.min(whole, performance.now() - t0);
    }
    console.log(`  whole process, node bin/runkey-hunter.mjs scan --format json --out F (bundle): ${whole.toFixed(0)} ms (${(built.bytes / 1024 / 1024 / (whole / 1000)).toFixed(0)} MiB/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
