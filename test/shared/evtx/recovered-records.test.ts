// Deleted EVTX records: carved from a chunk's slack and from chunks whose header is gone, marked
// ref.recovered, never duplicating a live record, carried into findings and the JSON report.
// Deletion is simulated in memory on generated evidence (seed 4711): a chunk's free space offset
// (with its last-record fields and CRCs, so the chunk stays consistent) is moved back over its
// last records, which is what the event log service leaves when it drops records; the expected
// records are those of the undamaged file. The PARSER-STRESS samples are compared with
// `evtxexport -m all` (libevtx's allocated plus recovered records).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readEvtx } from '../../../shared/evtx/reader';
import { analyzeEvents, emptyIndex, indexEvent } from '../../../shared/detect/engine';
import { ProcessTable } from '../../../shared/detect/process-table';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';
import { generateToMemory } from '../../../shared/generator/generate';
import { normalize } from '../../../shared/normalize/normalize';
import type { NormalizedEvent } from '../../../shared/model/events';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { bytesSource, type ReadSummary } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, SAMPLES_DIR, readManifest } from '../../samples';
import { HAVE_EVTXEXPORT, fileSource } from './reference-parsers';
import { CHUNK, FILE_HEADER, chunkStart, deleteTail, put32, put64, recordsOf, type Rec } from './deleted-records';

type Read = { events: RawEvent[]; summary: ReadSummary; problems: Problem[] };

async function readAll(src: ReturnType<typeof bytesSource>, file = 'x.evtx'): Promise<Read> {
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  const g = readEvtx(src, { file, onProblem: (p) => problems.push(p) });
  for (;;) {
    const r = await g.next();
    if (r.done) return { events, summary: r.value, problems };
    events.push(...r.value);
  }
}
const readBytes = (b: Uint8Array) => readAll(bytesSource(b));

const marked = (e: RawEvent): RawEvent => ({ ...e, ref: { ...e.ref, recovered: true } });

/** Offset of the first byte of chunk `i`'s slack that is zero up to the chunk end (where a copy can go). */
function zeroSlack(file: Uint8Array, i: number): number {
  let p = chunkStart(i + 1);
  while (p > chunkStart(i) && file[p - 1] === 0) p--;
  return (p - chunkStart(i) + 7) & ~7;
}

const { files } = generateToMemory({ scenario: 'mixed', seed: 4711, hosts: 1, events: 500, format: 'evtx' });
const generated = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
const chunks = (generated.length - FILE_HEADER) / CHUNK;

describe('deleted records in a chunk\'s slack (generated evidence, seed 4711)', () => {
  it('brings back the records past a moved-back free space offset, marked recovered, with their data, after the live ones', async () => {
    const good = await readBytes(generated);
    expect(good.problems).toEqual([]);
    expect(good.summary.recoveredRecords).toBe(0);
    const recs = recordsOf(generated, 1);
    expect(recs.length).toBeGreaterThan(20);
    const from = recs.length - 7;
    const bad = await readBytes(deleteTail(generated, 1, recs, from));
    // the chunk stays consistent (CRCs recomputed): no problem, nothing failed
    expect(bad.problems).toEqual([]);
    expect(bad.summary.failedRecords).toBe(0);
    const deletedAt = new Set(recs.slice(from).map((r) => chunkStart(1) + r.off));
    expect(bad.events).toEqual(good.events.map((e) => (deletedAt.has(e.ref.offset as number) ? marked(e) : e)));
    expect(bad.summary.records).toBe(good.summary.records);
    expect(bad.summary.recoveredRecords).toBe(7);
    expect(bad.events.filter((e) => e.ref.recovered).map((e) => e.ref.recordId)).toEqual(recs.slice(from).map((r) => r.id));
  });

  it('decodes a deleted record whose template a live record of its chunk defines', async () => {
    const recs = recordsOf(generated, 1);
    const defs = new Set(recs.map((r) => r.defOff));
    // a deleted record that instantiates a template defined inline by an earlier, still live record
    const k = recs.findIndex((r, j) => j > 1 && recs.slice(0, j).some((x) => r.defOff > x.off && r.defOff < x.off + x.size));
    expect(k, 'the chunk has a record reusing an earlier record\'s template').toBeGreaterThan(0);
    expect(defs.size).toBeGreaterThan(1);
    const good = await readBytes(generated);
    const bad = await readBytes(deleteTail(generated, 1, recs, k));
    const at = chunkStart(1) + recs[k].off;
    expect(bad.events.find((e) => e.ref.offset === at)).toEqual(marked(good.events.find((e) => e.ref.offset === at) as RawEvent));
  });

  it('drops a slack copy of a live record of the same chunk, and keeps one whose data differ', async () => {
    const good = await readBytes(generated);
    const last = chunks - 1;
    const recs = recordsOf(generated, last);
    // a record that references a template defined elsewhere: its bytes decode the same at any offset of the chunk
    const r = recs.find((x) => x.defOff < x.off || x.defOff >= x.off + x.size) as Rec;
    expect(r).toBeDefined();
    const slack = zeroSlack(generated, last);
    expect(slack + 2 * r.size).toBeLessThan(CHUNK);
    const b = new Uint8Array(generated);
    const src = generated.subarray(chunkStart(last) + r.off, chunkStart(last) + r.off + r.size);
    b.set(src, chunkStart(last) + slack); // an exact copy
    const changed = chunkStart(last) + slack + r.size;
    b.set(src, changed); // and one whose last UTF-16 string character differs
    let p = changed + r.size - 6;
    while (p > changed + 40 && !(b[p] >= 0x41 && b[p] <= 0x7a && b[p + 1] === 0)) p--;
    b[p] = b[p] === 0x41 ? 0x42 : 0x41;
    const bad = await readBytes(b);
    expect(bad.problems).toEqual([]);
    expect(bad.summary.droppedLiveCopies).toBe(1);
    expect(bad.summary.recoveredRecords).toBe(1);
    const rec = bad.events.filter((e) => e.ref.recovered);
    expect(rec.map((e) => e.ref.offset)).toEqual([changed]);
    const live = good.events.find((e) => e.ref.offset === chunkStart(last) + r.off) as RawEvent;
    expect(rec[0].ref.recordId).toBe(live.ref.recordId);
    expect(rec[0].data).not.toEqual(live.data);
    expect(bad.events.filter((e) => !e.ref.recovered)).toEqual(good.events);
  });

  it('counts a framed slack record whose template is gone as a deleted fragment: no problem, no failure', async () => {
    const last = chunks - 1;
    const recs = recordsOf(generated, last);
    const r = recs.find((x) => x.defOff < x.off) as Rec;
    const slack = zeroSlack(generated, last);
    const b = new Uint8Array(generated);
    b.set(generated.subarray(chunkStart(last) + r.off, chunkStart(last) + r.off + r.size), chunkStart(last) + slack);
    // its template reference now points at bytes that hold no template with its id
    put32(b, chunkStart(last) + slack + 34, slack + 8);
    const bad = await readBytes(b);
    expect(bad.problems).toEqual([]);
    expect(bad.summary.failedRecords).toBe(0);
    expect(bad.summary.deletedFragments).toBe(1);
    expect(bad.summary.recoveredRecords).toBe(0);
    expect(bad.events).toEqual((await readBytes(generated)).events);
  });
});

describe('records of a chunk whose header is gone (generated evidence, seed 4711)', () => {
  it('come back marked recovered, with their data, when the whole 512-byte header is zeroed', async () => {
    const good = await readBytes(generated);
    const b = new Uint8Array(generated);
    b.fill(0, chunkStart(2), chunkStart(2) + 512);
    const bad = await readBytes(b);
    // names and template offsets are relative to the chunk start, which the chunk's position gives
    expect(bad.events).toEqual(good.events.map((e) => (e.ref.chunk === 2 ? marked(e) : e)));
    expect(bad.summary.recoveredRecords).toBe(good.events.filter((e) => e.ref.chunk === 2).length);
    expect(bad.problems.map((p) => [p.code, p.chunk])).toEqual([['BAD_MAGIC', 2]]);
  });

  it('are read as live when only the signature is zeroed and the header CRC32 proves the rest intact', async () => {
    // the free space offset and record range are then trustworthy: the records are allocated ones
    const good = await readBytes(generated);
    const b = new Uint8Array(generated);
    b.fill(0, chunkStart(2), chunkStart(2) + 8);
    const bad = await readBytes(b);
    expect(bad.events).toEqual(good.events);
    expect(bad.summary.recoveredRecords).toBe(0);
  });

  it('drops the records of a duplicated chunk (a headerless copy of another chunk): each is a live record of the file', async () => {
    const good = await readBytes(generated);
    const b = new Uint8Array(generated);
    b.set(generated.subarray(chunkStart(0), chunkStart(1)), chunkStart(2));
    b.fill(0, chunkStart(2), chunkStart(2) + 512);
    const t0 = Date.now();
    const bad = await readBytes(b);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(bad.summary.droppedLiveCopies).toBe(good.events.filter((e) => e.ref.chunk === 0).length);
    expect(bad.summary.recoveredRecords).toBe(0);
    expect(bad.events).toEqual(good.events.filter((e) => e.ref.chunk !== 2));
  });

  it('drops such copies also when a worker reads only the damaged chunk (chunkRange)', async () => {
    const b = new Uint8Array(generated);
    b.set(generated.subarray(chunkStart(0), chunkStart(1)), chunkStart(2));
    b.fill(0, chunkStart(2), chunkStart(2) + 512);
    const g = readEvtx(bytesSource(b), { file: 'x.evtx', onProblem: () => undefined }, { chunkRange: [2, 3] });
    const out: RawEvent[] = [];
    for (;;) {
      const r = await g.next();
      if (r.done) {
        expect(r.value.droppedLiveCopies).toBeGreaterThan(10);
        break;
      }
      out.push(...r.value);
    }
    expect(out).toEqual([]);
  });
});

describe('hostile chunk headers (generated evidence, seed 4711)', () => {
  it('stays bounded when every chunk claims the ids of all before it and half of each chunk is slack', async () => {
    const big = [...generateToMemory({ scenario: 'mixed', seed: 4711, hosts: 1, events: 6000, format: 'evtx' }).files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
    const n = (big.length - FILE_HEADER) / CHUNK;
    expect(n).toBeGreaterThan(30);
    const good = await readBytes(big);
    let b = big;
    for (let i = 0; i < n; i++) {
      const recs = recordsOf(big, i);
      b = deleteTail(b, i, recs, Math.floor(recs.length / 2));
      // every chunk claims the ids from 1 to its last live one: each carved record's id is in the
      // range of every later chunk (a raised last id would instead make the slack look allocated)
      put64(b, chunkStart(i) + 24, 1);
    }
    const t0 = Date.now();
    const bad = await readBytes(b);
    // unbounded, each carved record would decode up to 64 other chunks: 234 s measured, 1.3 s bounded
    expect(Date.now() - t0).toBeLessThan(10_000);
    // no carved record is a copy: all come back, marked
    expect(bad.events.map((e) => e.ref.offset)).toEqual(good.events.map((e) => e.ref.offset));
    expect(bad.summary.droppedLiveCopies).toBe(0);
    expect(bad.summary.recoveredRecords).toBeGreaterThan(n * 10);
  }, 60_000);
});

describe('a finding made from a deleted record (generated evidence, seed 4711)', () => {
  it('carries recovered in its evidence into the JSON report, which validates against the schema', async () => {
    const good = await readBytes(generated);
    const findings = analyzeEvents(good.events.map((e) => normalize(e)).filter((n): n is NormalizedEvent => n !== undefined));
    // a chunk whose records from the finding's on can be deleted (one live record stays before it)
    const f = findings.find((x) => {
      const c = x.evidence.ref.chunk as number;
      return x.evidence.ref.offset !== undefined && x.evidence.ref.offset > chunkStart(c) + 512;
    });
    if (!f) throw new Error('the generated Sysmon log has no finding past its chunk\'s first record');
    const c = f.evidence.ref.chunk as number;
    const recs = recordsOf(generated, c);
    const from = recs.findIndex((r) => chunkStart(c) + r.off === f.evidence.ref.offset);
    const bad = await readBytes(deleteTail(generated, c, recs, from));
    const after = analyzeEvents(bad.events.map((e) => normalize(e)).filter((n): n is NormalizedEvent => n !== undefined));
    const same = after.find((x) => x.evidence.ref.offset === f.evidence.ref.offset);
    expect(same?.evidence.ref.recovered).toBe(true);
    expect(same?.value).toBe(f.value);
    expect(after.filter((x) => x.evidence.ref.recovered !== true).every((x) => (x.evidence.ref.offset as number) < (f.evidence.ref.offset as number) || x.evidence.ref.chunk !== c)).toBe(true);
    const report = buildReport({ findings: after, inputs: [{ file: 'x.evtx', format: 'evtx', records: bad.summary.records, recoveredRecords: bad.summary.recoveredRecords, deletedFragments: bad.summary.deletedFragments }], problems: bad.problems, events: bad.events.length, settings: { minSeverity: 'informational' }, analysisTime: new Date('2024-02-01T10:00:00Z') });
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json.findings.find((x) => x.id === same?.id)?.evidence.ref.recovered).toBe(true);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    // the mark is typed: anything but a boolean is refused
    (json.findings[0].evidence.ref as unknown as Record<string, unknown>).recovered = 'yes';
    expect(validate(json)).toBe(false);
  });
});

describe('a process start carved from slack (generated evidence, seed 4711)', () => {
  it('keeps its recovered mark through the column-wise process table and its batches (writer and ancestor links)', async () => {
    const recs = recordsOf(generated, 1);
    const bad = await readBytes(deleteTail(generated, 1, recs, Math.floor(recs.length / 2)));
    const index = emptyIndex();
    for (const e of bad.events) {
      const n = normalize(e);
      if (n) indexEvent(index, n);
    }
    const starts = index.processes;
    const carved = starts.filter((p) => p.ref.recovered);
    expect(carved.length).toBeGreaterThan(0);
    const t = new ProcessTable();
    for (const p of starts) t.add(p);
    const main = new ProcessTable();
    main.appendBatch(structuredClone(t.toBatch()));
    main.seal();
    expect([...main].map((p) => p.ref)).toEqual(starts.map((p) => p.ref));
  });
});

/** Records `evtxexport -m all` prints (text mode: one "Event number" line per record). */
function evtxexportAll(path: string): Promise<number> {
  return new Promise((resolve) => {
    execFile('evtxexport', ['-m', 'all', path], { maxBuffer: 1 << 30, timeout: 120_000 }, (_err, stdout) => resolve((String(stdout).match(/^Event number\s*:/gm) ?? []).length));
  });
}

const stress = readManifest().filter((r) => r.role === 'PARSER-STRESS' && r.path.endsWith('.evtx'));

describe.skipIf(!HAVE_SAMPLES || !HAVE_EVTXEXPORT)('live + recovered records against evtxexport -m all (PARSER-STRESS samples)', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  else if (!HAVE_EVTXEXPORT) console.warn('[skip] evtxexport (Debian libevtx-utils) is not installed: evtxexport -m all comparison skipped');

  it('has PARSER-STRESS samples', () => {
    expect(stress.length).toBeGreaterThan(10);
  });

  it.each(stress.map((r) => [r.path.split('/').pop() as string, r.path]))('reads at least evtxexport -m all\'s records from %s', async (_name, rel) => {
    const path = join(SAMPLES_DIR, rel);
    const src = fileSource(path);
    try {
      const ours = await readAll(src, rel);
      const ref = await evtxexportAll(path);
      expect(ours.summary.records).toBe(ours.events.length);
      expect(ours.events.filter((e) => e.ref.recovered).length).toBe(ours.summary.recoveredRecords);
      expect(ours.summary.records, rel).toBeGreaterThanOrEqual(ref);
      // a recovered record is no failure: no problem points at one
      const recoveredAt = new Set(ours.events.filter((e) => e.ref.recovered).map((e) => e.ref.offset));
      expect(ours.problems.filter((p) => recoveredAt.has(p.offset))).toEqual([]);
    } finally {
      src.close();
    }
  }, 120_000);
});

describe.skipIf(!HAVE_SAMPLES)('deleted records of real samples', () => {
  it('recovers the 50 deleted records in chunk 7\'s slack of sample_with_a_bad_chunk_magic.evtx (ids 45641-45690)', async () => {
    const src = fileSource(join(SAMPLES_DIR, 'omerbenamram_evtx/samples/sample_with_a_bad_chunk_magic.evtx'));
    try {
      const r = await readAll(src);
      const rec = r.events.filter((e) => e.ref.recovered);
      expect(rec.map((e) => e.ref.headerRecordId ?? e.ref.recordId)).toEqual(Array.from({ length: 50 }, (_, i) => 45641 + i));
      expect(rec.every((e) => e.ref.chunk === 7 && e.system.eventId === 325 && e.system.provider === 'Microsoft-Windows-AppXDeployment')).toBe(true);
      expect(r.summary.records).toBe(348);
    } finally {
      src.close();
    }
  });

  it('counts the slack candidates of Application_no_crc32.evtx and issue_201.evtx whose templates were overwritten as fragments (evtxinfo: 34 and 9 recovered), not problems', async () => {
    for (const [name, n, live] of [['Application_no_crc32.evtx', 34, 17], ['issue_201.evtx', 9, 1]] as const) {
      const src = fileSource(join(SAMPLES_DIR, 'omerbenamram_evtx/samples', name));
      try {
        const r = await readAll(src);
        expect(r.summary.deletedFragments, name).toBe(n);
        expect(r.summary.records, name).toBe(live);
        expect(r.summary.failedRecords, name).toBe(0);
        expect(r.problems, name).toEqual([]);
      } finally {
        src.close();
      }
    }
  });

  it('drops slack copies of live records in a real log (PanacheSysmon_vs_AtomicRedTeam01.evtx) and keeps the live count', async () => {
    const src = fileSource(join(SAMPLES_DIR, 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx'));
    try {
      const r = await readAll(src);
      expect(r.summary.droppedLiveCopies).toBe(31);
      expect(r.summary.recoveredRecords).toBe(0);
      const keys = r.events.map((e) => `${e.ref.headerRecordId ?? e.ref.recordId}|${e.system.timeCreated}`);
      expect(new Set(keys).size).toBe(keys.length);
    } finally {
      src.close();
    }
  });
});
