// Registry hive reader: a full walk of regipy's 12 MB SYSTEM_B hive (every key, value and value
// decoded) beside reglookup's full listing of the same file in the same run, the autostart-key
// lookups alone on the user and software hives, and the memory a walk takes against the hive's
// size. BENCH_RUNS sets the runs per figure (default 5); each side keeps its best run, since a
// shared machine only makes a run slower, and the two sides alternate run by run. SYSTEM_B is
// dirty: both read it as it is (reglookup applies no logs), and the same walk is timed again with
// its .LOG1 / .LOG2 read and replayed first (24 entries, 2.6 MB of pages), as `runkey-hunter hive`
// does by default. Targets: walk >= 5x faster than reglookup, lookups < 50 ms, peak < 3x the hive.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAVE_SAMPLES, samplePath } from '../test/samples';
import { type LogInput, openHiveWithLogs } from '../shared/regf/apply-logs';
import { openHive, type Hive } from '../shared/regf/hive';
import { median } from './stats';

const SYSTEM = 'mkorman90_regipy/SYSTEM_B';
/** Autostart keys read by the next issue's detection, per hive (the path from the hive's root). */
const LOOKUPS: [string, string[]][] = [
  ['mkorman90_regipy/NTUSER.DAT', ['Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce', 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows', 'Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon', 'Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run']],
  ['mkorman90_regipy/NTUSER_with_winscp.DAT', ['SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run']],
  // a hive whose root is Software, as a SOFTWARE hive's is: Microsoft\Windows\CurrentVersion\Run
  ['mkorman90_regipy/ntuser_software_partial', ['Microsoft\\Windows\\CurrentVersion\\Run', 'Microsoft\\Windows\\CurrentVersion\\RunOnce', 'Microsoft\\Windows NT\\CurrentVersion\\Winlogon']],
  ['mkorman90_regipy/SYSTEM_B', ['Select', 'ControlSet001\\Control\\Session Manager', 'ControlSet001\\Services\\W32Time']],
];

function open(bytes: Uint8Array, file: string): Hive {
  const r = openHive(bytes, { file });
  if (!r.ok) throw new Error(`${file}: ${r.problem.code}`);
  return r.hive;
}

/** Open + walk + every value's data decoded: what `runkey-hunter hive` does before JSON. */
function fullWalk(bytes: Uint8Array, logPaths?: string[]): { ms: number; cpuMs: number; keys: number; values: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let h: Hive;
  if (logPaths) {
    // the logs' file reads are counted: the primary's is not, on either side of the comparison
    const logs: LogInput[] = logPaths.map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) }));
    const r = openHiveWithLogs(bytes, logs, { file: SYSTEM });
    if (!r.opened.ok || r.replay.applied.length === 0) throw new Error(`${SYSTEM}: logs not applied`);
    h = r.opened.hive;
  } else h = open(bytes, SYSTEM);
  let keys = 0;
  let values = 0;
  h.walk((k) => {
    keys++;
    for (const v of h.values(k)) {
      values++;
      h.valueData(v);
    }
  });
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, keys, values };
}

function reglookupMs(path: string): { ms: number; lines: number } {
  const t0 = performance.now();
  // stdout counted, not kept as text: the tool's own formatting is part of its time
  const r = spawnSync('reglookup', ['-H', path], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  const ms = performance.now() - t0;
  let lines = 0;
  for (const b of r.stdout) if (b === 10) lines++;
  if (r.error) throw r.error;
  return { ms, lines };
}

export async function run(): Promise<void> {
  if (!HAVE_SAMPLES) {
    console.log('  ../shared/samples not found: benchmark skipped');
    return;
  }
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
  const path = samplePath(SYSTEM);
  const bytes = new Uint8Array(readFileSync(path));
  const mb = bytes.length / 1e6;
  const haveRl = existsSync('/usr/bin/reglookup');
  const ours: number[] = [];
  const oursCpu: number[] = [];
  const theirs: number[] = [];
  const withLogs: number[] = [];
  const logPaths = [samplePath(`${SYSTEM}.LOG1`), samplePath(`${SYSTEM}.LOG2`)];
  let counts = '';
  let logCounts = '';
  for (let i = 0; i < runs; i++) {
    const a = () => {
      const w = fullWalk(bytes);
      ours.push(w.ms);
      oursCpu.push(w.cpuMs);
      counts = `${w.keys} keys, ${w.values} values`;
    };
    const b = () => {
      if (haveRl) theirs.push(reglookupMs(path).ms);
    };
    const c = () => {
      const w = fullWalk(bytes, logPaths);
      withLogs.push(w.ms);
      logCounts = `${w.keys} keys, ${w.values} values`;
    };
    // alternate which side goes first
    if (i % 2 === 0) {
      a();
      b();
      c();
    } else {
      c();
      b();
      a();
    }
  }
  const best = Math.min(...ours);
  console.log(`  input: ${path} (${mb.toFixed(1)} MB, dirty, read as it is), ${counts}`);
  console.log(`  full walk (open, keys, values, data decoded): best ${best.toFixed(0)} ms, median ${median(ours).toFixed(0)} ms, best CPU ${Math.min(...oursCpu).toFixed(0)} ms`);
  const bestLogs = Math.min(...withLogs);
  console.log(`  full walk with SYSTEM_B.LOG1 + .LOG2 read and replayed (${logCounts}): best ${bestLogs.toFixed(0)} ms, median ${median(withLogs).toFixed(0)} ms`);
  if (haveRl) {
    const rl = Math.min(...theirs);
    console.log(`  reglookup -H (same file, same run, no logs): best ${rl.toFixed(0)} ms, median ${median(theirs).toFixed(0)} ms`);
    console.log(`  speed-up: ${(rl / best).toFixed(1)}x (best vs best), ${(median(theirs) / median(ours)).toFixed(1)}x (median vs median)   target >= 5x; with logs ${(rl / bestLogs).toFixed(1)}x`);
  } else console.log('  reglookup not installed: reference time skipped');

  for (const [rel, keys] of LOOKUPS) {
    const file = samplePath(rel);
    const size = statSync(file).size / 1e6;
    const times: number[] = [];
    let found = 0;
    let vals = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const data = new Uint8Array(readFileSync(file));
      const h = open(data, rel);
      found = 0;
      vals = 0;
      for (const k of keys) {
        const key = h.key(k);
        if (!key) continue;
        found++;
        for (const v of h.values(key)) {
          vals++;
          h.valueData(v);
        }
      }
      times.push(performance.now() - t0);
    }
    console.log(`  autostart lookups, ${rel} (${size.toFixed(1)} MB): ${found}/${keys.length} keys, ${vals} values, read file + open + look up: best ${Math.min(...times).toFixed(1)} ms, worst ${Math.max(...times).toFixed(1)} ms   target < 50 ms`);
  }

  // memory: a fresh process, so the walk's peak is not hidden by this one's heap
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(dirname(fileURLToPath(import.meta.url)), 'regf-walk-child.ts'), path], { encoding: 'utf8' });
  if (child.status !== 0) {
    console.log(`  memory child failed: ${child.stderr.split('\n')[0]}`);
    return;
  }
  const m = JSON.parse(child.stdout) as { before: number; peak: number; size: number };
  console.log(`  peak memory of a full walk: +${((m.peak - m.before) / 1e6).toFixed(1)} MB resident over the process before reading (${((m.peak - m.before) / m.size).toFixed(2)}x the hive)   target < 3x`);
}
