// End-to-end scan throughput on a large Sysmon EVTX (made by the evidence generator, seed fixed),
// beside the reader alone. Prints the overhead detection + correlation add; target < 20 %.
// Like with like: both read on the EVTX fast path the CLI scan and the workers use
// (scanWantedFields(): the EventData normalize() reads) and normalize every record; the scan adds
// detectCandidate + indexEvent per event (CaseCollector.add) and the case stage (analyzeCase).
// Size: BENCH_EVENTS (default 200000 logical events across the 'mixed' fleet).

import { generateToMemory } from '../shared/generator/generate';
import { readEvidence } from '../shared/readers/read-evidence';
import { bytesSource } from '../shared/readers/types';
import { normalize } from '../shared/normalize/normalize';
import { CaseCollector } from '../shared/detect/engine';
import { scanWantedFields } from '../shared/detect/scan-fields';
import type { NormalizedEvent } from '../shared/model/events';

async function readAll(files: [string, Uint8Array][], onEvent: (ev: NormalizedEvent | undefined) => void): Promise<number> {
  let n = 0;
  const wanted = scanWantedFields();
  for (const [file, bytes] of files) {
    const gen = readEvidence(bytesSource(bytes), { file, onProblem: () => undefined, ...(wanted ? { evtxWantedFields: wanted } : {}) });
    for (;;) {
      const r = await gen.next();
      if (r.done) break;
      for (const raw of r.value) {
        n++;
        onEvent(normalize(raw));
      }
    }
  }
  return n;
}

async function best(runs: number, fn: () => Promise<void>): Promise<number> {
  let b = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

export async function run(): Promise<void> {
  const events = Number(process.env.BENCH_EVENTS ?? 200_000);
  const { files } = generateToMemory({ scenario: 'mixed', seed: 1547, format: 'evtx', events });
  const sysmon = [...files].filter(([f]) => /sysmon/i.test(f) && f.endsWith('.evtx'));
  const bytes = sysmon.reduce((s, [, b]) => s + b.length, 0);
  let records = 0;
  const readerMs = await best(3, async () => {
    records = await readAll(sysmon, () => undefined);
  });
  let findings = 0;
  const scanMs = await best(3, async () => {
    const c = new CaseCollector();
    await readAll(sysmon, (ev) => {
      if (ev) c.add(ev);
    });
    findings = c.analyze().length;
  });
  const mb = bytes / 1024 / 1024;
  console.log(`  input: ${sysmon.length} Sysmon EVTX file(s), ${mb.toFixed(1)} MiB, ${records} records (generator 'mixed', seed 1547, ${events} events)`);
  console.log(`  reader (wantedFields fast path) + normalize alone: ${readerMs.toFixed(0)} ms (${(mb / (readerMs / 1000)).toFixed(1)} MiB/s, ${Math.round(records / (readerMs / 1000))} records/s)`);
  console.log(`  full scan (detect + index + case analysis): ${scanMs.toFixed(0)} ms, ${findings} findings`);
  console.log(`  detection + correlation overhead: ${(((scanMs - readerMs) / readerMs) * 100).toFixed(1)} % (target < 20 %)`);
}
