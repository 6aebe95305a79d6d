// EVTX reader throughput on a large Sysmon log built by repeating the real chunks of
// ../shared/samples/omerbenamram_evtx/samples/sysmon.evtx (record ids repeat, which does not
// matter for throughput; the header's chunk count and CRC are fixed up). BENCH_EVTX_MB sets its size (default 256);
// BENCH_PURE_CRC32=1 runs without the host's native CRC-32 (the pure table), to compare.
// Prints MB/s and records/s for a full decode, for the wantedFields fast path (11 names), and for
// the wantedFields path with normalizeInputNames() followed by normalize() on each record (what
// scanning costs), evtxexport on a prefix of the same file where installed, and peak RSS, with
// the targets beside them.
// MB/s is given per wall-clock second and per CPU second of this process (user + system): on a
// shared machine the wall figure drops with the load, the CPU one is the per-core throughput.
import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvtx } from '../shared/evtx/reader';
import { normalize, normalizeInputNames } from '../shared/normalize/normalize';
import { crc32 } from '../shared/bytes/crc32';
import { HAVE_SAMPLES, samplePath } from '../test/samples';
import { fileSource } from '../test/shared/evtx/reference-parsers';
import { installNativeHooks } from '../electron/io/native-hooks';

const CHUNK = 65536;

function buildFile(path: string, mb: number): number {
  const src = new Uint8Array(readFileSync(samplePath('omerbenamram_evtx/samples/sysmon.evtx')));
  const chunks: Uint8Array[] = [];
  for (let off = 4096; off + CHUNK <= src.length; off += CHUNK) {
    const c = src.subarray(off, off + CHUNK);
    if (c[0] === 0x45 && c[4] === 0x68) chunks.push(c);
  }
  const n = Math.max(1, Math.floor((mb * 1024 * 1024) / CHUNK));
  const fd = openSync(path, 'w');
  const hdr = new Uint8Array(src.subarray(0, 4096));
  const dv = new DataView(hdr.buffer);
  dv.setUint32(16, n - 1, true); // last chunk number
  dv.setUint16(42, Math.min(n, 0xffff), true);
  dv.setUint32(120, 0, true); // clean flags
  dv.setUint32(124, crc32(hdr, 0, 120), true);
  writeSync(fd, hdr);
  for (let i = 0; i < n; i++) writeSync(fd, chunks[i % chunks.length]);
  closeSync(fd);
  return n;
}

interface Timed {
  s: number;
  cpuS: number;
  records: number;
  normalized: number;
  bytes: number;
}

async function timeRead(path: string, wanted?: ReadonlySet<string>, normalizeEach = false): Promise<Timed> {
  const src = fileSource(path);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const g = readEvtx(src, { file: path, onProblem: () => {} }, { wantedFields: wanted });
  let records = 0;
  let normalized = 0;
  for (;;) {
    const r = await g.next();
    if (r.done) break;
    records += r.value.length;
    if (normalizeEach) for (const e of r.value) if (normalize(e)) normalized++;
  }
  const cpu = process.cpuUsage(c0);
  src.close();
  return { s: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, records, normalized, bytes: statSync(path).size };
}

function rates(t: Timed): string {
  const mb = t.bytes / 1e6;
  return `${(mb / t.s).toFixed(1)} MB/s wall, ${(mb / t.cpuS).toFixed(1)} MB/s CPU, ${Math.round(t.records / t.cpuS)} records/CPU-s`;
}

function evtxexportSeconds(path: string, limitS: number): Promise<{ s: number; done: boolean }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn('evtxexport', ['-f', 'xml', path], { stdio: ['ignore', 'ignore', 'ignore'] });
    const timer = setTimeout(() => p.kill('SIGKILL'), limitS * 1000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ s: (performance.now() - t0) / 1000, done: code === 0 });
    });
  });
}

export async function run(): Promise<void> {
  if (!HAVE_SAMPLES) {
    console.log('  ../shared/samples not found: benchmark skipped');
    return;
  }
  // as the CLI and the workers run: with the host's native CRC-32 (BENCH_PURE_CRC32=1 keeps the table, to compare)
  const crc = process.env.BENCH_PURE_CRC32 === '1' ? 'pure (BENCH_PURE_CRC32=1)' : installNativeHooks().crc32;
  console.log(`  crc32: ${crc}`);
  const mb = Number(process.env.BENCH_EVTX_MB ?? 256);
  const path = join(tmpdir(), `runkey-bench-sysmon-${mb}mb.evtx`);
  if (!existsSync(path)) buildFile(path, mb);
  const size = statSync(path).size / 1e6;
  console.log(`  input: ${path} (${size.toFixed(0)} MB, chunks of sysmon.evtx repeated)`);
  try {
    const full = await timeRead(path);
    console.log(`  full decode:                 ${rates(full)} (${full.records} records)`);
    const wanted = new Set(['TargetObject', 'Details', 'Image', 'CommandLine', 'ProcessGuid', 'ProcessId', 'User', 'EventType', 'TargetFilename', 'ParentImage', 'UtcTime']);
    const fast = await timeRead(path, wanted);
    console.log(`  wantedFields path:           ${rates(fast)}   target >= 100 MB/s per core`);
    // scanning: the names normalize reads (derived from the field table), then normalize per record
    const scan = await timeRead(path, normalizeInputNames(), true);
    console.log(`  wantedFields + normalize:    ${rates(scan)} (${scan.normalized} normalized)   target >= 100 MB/s per core`);
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`  peak RSS: ${rss.toFixed(0)} MB   target < 300 MB for a 1 GB file`);
    let haveEvtxexport = true;
    try {
      execFileSync('evtxexport', ['-V'], { stdio: 'ignore' });
    } catch (e) {
      haveEvtxexport = (e as NodeJS.ErrnoException).code !== 'ENOENT';
    }
    if (haveEvtxexport) {
      // evtxexport runs at a few MB/s: time it on a 32 MB prefix file of the same chunks, capped at 30 s
      const prefix = join(tmpdir(), 'runkey-bench-sysmon-32mb.evtx');
      if (!existsSync(prefix)) buildFile(prefix, 32);
      const r = await evtxexportSeconds(prefix, 30);
      const psize = statSync(prefix).size / 1e6;
      if (!process.env.BENCH_KEEP) unlinkSync(prefix);
      console.log(`  evtxexport -f xml:  ${r.done ? (psize / r.s).toFixed(1) + ' MB/s' : `did not finish ${psize.toFixed(0)} MB in 30 s (< ${(psize / 30).toFixed(1)} MB/s)`} on a ${psize.toFixed(0)} MB prefix file (same chunks)`);
    } else console.log('  evtxexport not installed: reference throughput skipped');
  } finally {
    if (!process.env.BENCH_KEEP) unlinkSync(path);
  }
}
