// Sigma evaluation cost: every registry / process / file rule of the SigmaHQ sample set, compiled
// once, over a large Sysmon event stream built from real events (the benign omerbenamram sysmon.evtx
// plus every SigmaHQ regression EVTX, read with our EVTX reader and normalized once, then repeated).
// Prints rules compiled, compile time, events/s and the time Sigma adds per 1M events of a scan.
// SIGMA_BENCH_EVENTS sets the stream length (default 100000). Times are CPU time of this process
// (process.cpuUsage), so other work on a shared machine does not inflate them; wall time is printed too.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { samplePath, HAVE_SAMPLES } from '../test/samples';
import { SIGMA_DIR, sigmaRuleFiles } from '../test/shared/sigma/sigmahq-corpus';
import { evaluate, loadRuleset } from '../shared/sigma';
import { readEvtx } from '../shared/evtx/reader';
import { bytesSource, collect } from '../shared/readers/types';
import { normalize } from '../shared/normalize/normalize';
import type { RawEvent } from '../shared/model/raw-event';
import type { NormalizedEvent } from '../shared/model/events';

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function evtxFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) evtxFiles(p, out);
    else if (e.name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

async function readPairs(path: string): Promise<{ event: NormalizedEvent; raw: RawEvent }[]> {
  const raws = await collect(readEvtx(bytesSource(new Uint8Array(readFileSync(path))), { file: path, onProblem: () => undefined }));
  const out: { event: NormalizedEvent; raw: RawEvent }[] = [];
  for (const raw of raws) {
    const event = normalize(raw);
    if (event) out.push({ event, raw });
  }
  return out;
}

export async function run(): Promise<void> {
  if (!HAVE_SAMPLES || !existsSync(SIGMA_DIR)) {
    console.log('  ../shared/samples/SigmaHQ_sigma not found: skipped');
    return;
  }
  const files = sigmaRuleFiles();
  const c0 = cpuMs();
  const { ruleset, unsupported, total } = loadRuleset(files);
  const compileMs = cpuMs() - c0;
  const byKind: Record<string, number> = { registry: 0, process: 0, file: 0 };
  for (const r of ruleset.rules) for (const k of new Set(r.targets.map((t) => t.kind))) byKind[k]++;
  console.log(`  rules: ${total} files read, ${ruleset.rules.length} compiled (registry ${byKind.registry}, process ${byKind.process}, file ${byKind.file}), ${unsupported.length} unsupported`);
  console.log(`  load + compile: ${compileMs.toFixed(0)} ms (${((compileMs * 1000) / total).toFixed(0)} µs per rule file)`);

  const pool: { event: NormalizedEvent; raw: RawEvent }[] = [];
  const benign = samplePath('omerbenamram_evtx/samples/sysmon.evtx');
  if (existsSync(benign)) pool.push(...(await readPairs(benign)));
  const benignCount = pool.length;
  for (const f of evtxFiles(join(SIGMA_DIR, 'regression_data'))) pool.push(...(await readPairs(f)));
  const want = Number(process.env.SIGMA_BENCH_EVENTS ?? 100000);
  const mix: Record<string, number> = { registry: 0, process: 0, file: 0 };
  for (const p of pool) mix[p.event.kind]++;
  console.log(`  event pool: ${pool.length} real events (${benignCount} benign sysmon.evtx, ${pool.length - benignCount} SigmaHQ regression), kinds: registry ${mix.registry}, process ${mix.process}, file ${mix.file}; stream: ${want} events`);

  // warm-up pass so the figures are steady-state, as in a long scan
  let hits = 0;
  for (const p of pool) hits += evaluate(ruleset, p.event, p.raw).length;
  hits = 0;
  const t1 = performance.now();
  const c1 = cpuMs();
  for (let i = 0; i < want; i++) {
    const p = pool[i % pool.length];
    hits += evaluate(ruleset, p.event, p.raw).length;
  }
  const evalMs = cpuMs() - c1;
  const wallMs = performance.now() - t1;
  const perEventUs = (evalMs * 1000) / want;
  console.log(`  evaluate: ${want} events in ${evalMs.toFixed(0)} ms → ${Math.round(want / (evalMs / 1000)).toLocaleString('en-US')} events/s, ${perEventUs.toFixed(1)} µs/event, ${hits} hits (CPU time; wall ${wallMs.toFixed(0)} ms)`);
  console.log(`  time Sigma adds to a scan: ${perEventUs.toFixed(1)} s per 1M registry/process/file events (all ${ruleset.rules.length} rules)`);

  for (const kind of ['registry', 'process', 'file'] as const) {
    const sub = pool.filter((p) => p.event.kind === kind);
    if (!sub.length) continue;
    const n = Math.min(want, 50000);
    const c = cpuMs();
    for (let i = 0; i < n; i++) evaluate(ruleset, sub[i % sub.length].event, sub[i % sub.length].raw);
    const us = ((cpuMs() - c) * 1000) / n;
    console.log(`    ${kind}: ${us.toFixed(1)} µs/event (${Math.round(1e6 / us).toLocaleString('en-US')} events/s)`);
  }
}
