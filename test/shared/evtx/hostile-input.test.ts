// Hostile input: the reader must answer with Problems, in bounded time, and never throw.
// The fuzz test mutates bytes of real chunks with a seeded generator (seed printed on failure);
// one mutation operator splices in the nesting shape of substitution amplification (template
// instances repeating a BinXML substitution k times at each of D levels).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countEvtxChunks, readEvtx, renderEvtxRecordXml } from '../../../shared/evtx/reader';
import { crc32 } from '../../../shared/bytes/crc32';
import type { Problem } from '../../../shared/model/problems';
import { bytesSource, type ReadSummary } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { DUPLICATE_MEMBER_OPERATORS } from '../archive/zip-builder';
import { scanWantedFields } from '../../../shared/detect/scan-fields';
import { spliceNestedRecords, type NestingShape } from './nested-substitution-record';

/** The nesting shape, from harmless (k = 1) to k^D far past any budget, in either position. */
const nestingShape: fc.Arbitrary<NestingShape> = fc.record({
  k: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 600 })),
  depth: fc.integer({ min: 1, max: 46 }),
  payloadChars: fc.oneof(fc.constant<'fill'>('fill'), fc.integer({ min: 0, max: 3000 })),
  where: fc.constantFrom<NestingShape['where'][]>('data', 'eventdata'),
  dataName: fc.constantFrom('CommandLine', 'TargetObject', 'NotAScanField'),
});

/** Splices the nesting shape into `chunk` of `base` after its first `keep` records (the mutation operator). */
const nestingOperator = fc.record({ shape: nestingShape, chunk: fc.integer({ min: 0, max: 1 }), keep: fc.integer({ min: 0, max: 6 }) });

/** Through the full read path, as a user's file is read: events counted, problems kept. */
async function readEvidenceAll(bytes: Uint8Array, file: string): Promise<{ summary: ReadSummary; problems: Problem[]; n: number }> {
  const problems: Problem[] = [];
  const g = readEvidence(bytesSource(bytes), { file, onProblem: (p) => problems.push(p) });
  let n = 0;
  for (;;) {
    const r = await g.next();
    if (r.done) return { summary: r.value, problems, n };
    n += r.value.length;
  }
}

async function readAll(bytes: Uint8Array, wanted?: ReadonlySet<string>): Promise<{ summary: ReadSummary; problems: Problem[]; n: number }> {
  const problems: Problem[] = [];
  const g = readEvtx(bytesSource(bytes), { file: 'x.evtx', onProblem: (p) => problems.push(p) }, { wantedFields: wanted });
  let n = 0;
  for (;;) {
    const r = await g.next();
    if (r.done) return { summary: r.value, problems, n };
    n += r.value.length;
  }
}

function header(chunkCount: number, lastChunk: number): Uint8Array {
  const b = new Uint8Array(4096);
  b.set([0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]);
  const dv = new DataView(b.buffer);
  dv.setUint32(16, lastChunk, true);
  dv.setUint32(32, 128, true);
  dv.setUint16(36, 1, true);
  dv.setUint16(38, 3, true);
  dv.setUint16(40, 4096, true);
  dv.setUint16(42, chunkCount, true);
  dv.setUint32(124, crc32(b, 0, 120), true);
  return b;
}

describe('EVTX reader on hostile input', () => {
  it('reports an empty file as TRUNCATED', async () => {
    const { summary, problems } = await readAll(new Uint8Array(0));
    expect(summary.records).toBe(0);
    expect(problems.map((p) => [p.code, p.level])).toEqual([['TRUNCATED', 'error']]);
  });

  it('reports random bytes as BAD_MAGIC', async () => {
    let seed = 7;
    const rnd = new Uint8Array(300_000).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    const { summary, problems } = await readAll(rnd);
    expect(summary.records).toBe(0);
    expect(problems.map((p) => p.code)).toEqual(['BAD_MAGIC']);
  });

  it('bounds a header that claims 2^31 chunks by the file size', async () => {
    const h = header(0xffff, 2 ** 31);
    const bytes = new Uint8Array(4096 + 65536);
    bytes.set(h);
    const t0 = Date.now();
    const { summary, problems } = await readAll(bytes);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(summary.records).toBe(0);
    expect(problems.map((p) => p.code)).toEqual(['TRUNCATED']); // header counts 65535, file holds 1
    expect(await countEvtxChunks(bytesSource(bytes), { file: 'x', onProblem: () => {} })).toBe(1);
  });

  it('returns undefined for the XML of a record that is not there', async () => {
    const bytes = new Uint8Array(4096 + 65536);
    bytes.set(header(1, 0));
    expect(await renderEvtxRecordXml(bytesSource(bytes), { chunk: 0, offset: 4096 + 512 })).toBeUndefined();
    expect(await renderEvtxRecordXml(bytesSource(bytes), { chunk: 5, offset: 12 })).toBeUndefined();
  });
});

describe.skipIf(!HAVE_SAMPLES)('EVTX reader on damaged real files', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  const sysmon = HAVE_SAMPLES ? new Uint8Array(readFileSync(samplePath('omerbenamram_evtx/samples/sysmon.evtx'))) : new Uint8Array(0);

  it('reads the whole chunks of a file cut mid-chunk and reports TRUNCATED', async () => {
    const full = await readAll(sysmon);
    const cut = sysmon.subarray(0, 4096 + 65536 * 3 + 30_000);
    const { summary, problems } = await readAll(cut);
    const truncated = problems.filter((p) => p.code === 'TRUNCATED');
    expect(truncated.length).toBe(1);
    expect(truncated[0].chunk).toBe(3);
    expect(summary.records).toBeGreaterThan(0);
    expect(summary.records).toBeLessThan(full.summary.records);
    // records wholly inside the cut part of chunk 3 are still read (those cut off are lost)
    const first3 = await readAll(sysmon.subarray(0, 4096 + 65536 * 3));
    expect(summary.records).toBeGreaterThan(first3.summary.records);
  });

  it('survives random byte mutations of real chunks without throwing or hanging', async () => {
    const base = sysmon.subarray(0, 4096 + 65536 * 2);
    const deadline = Date.now() + 15_000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }),
        fc.option(nestingOperator, { nil: undefined, freq: 3 }),
        async (muts, nest) => {
          if (Date.now() > deadline) return;
          runs++;
          const b = nest ? spliceNestedRecords(base, nest.chunk, nest.keep, [nest.shape]).bytes : new Uint8Array(base);
          for (const [i, v] of muts) b[i] = v;
          const t0 = Date.now();
          const { summary } = await readAll(b);
          expect(Date.now() - t0).toBeLessThan(5000);
          expect(summary.records + summary.failedRecords).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 20240601, numRuns: 400 },
    );
    expect(runs).toBeGreaterThan(10);
  }, 60_000);

  it('reads mutated chunks once when a zip lists them again or points inside them (duplicate-member operators)', async () => {
    const base = sysmon.subarray(0, 4096 + 65536 * 2);
    const deadline = Date.now() + 15_000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 0, maxLength: 20 }),
        fc.integer({ min: 0, max: DUPLICATE_MEMBER_OPERATORS.length - 1 }),
        fc.integer({ min: 2, max: 40 }),
        async (muts, which, times) => {
          if (Date.now() > deadline) return;
          runs++;
          const b = new Uint8Array(base);
          for (const [i, v] of muts) b[i] = v;
          const alone = await readEvidenceAll(b, 'x.evtx');
          const op = DUPLICATE_MEMBER_OPERATORS[which];
          const { zip, refused } = op.build(b, times);
          const t0 = Date.now();
          const inZip = await readEvidenceAll(zip, 'x.zip');
          expect(Date.now() - t0).toBeLessThan(5000);
          // the member's records once: exactly what the same bytes give as a file of their own
          expect(inZip.n).toBe(alone.n);
          expect(inZip.summary.records).toBe(alone.summary.records);
          expect(inZip.problems.filter((p) => p.code === 'BAD_ARCHIVE').length).toBe(refused);
          for (const p of inZip.problems) expect(p.file).toBe('x.zip');
        },
      ),
      { seed: 20261208, numRuns: 150 },
    );
    expect(runs).toBeGreaterThan(10);
  }, 60_000);

  it('reads the nesting shape in bounded time on every path, failing only that record, mutated or not', async () => {
    const base = sysmon.subarray(0, 4096 + 65536 * 2);
    const clean = await readAll(base);
    const wanted = scanWantedFields();
    const deadline = Date.now() + 20_000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(nestingOperator, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), async ({ shape, chunk, keep }, muts) => {
        if (Date.now() > deadline) return;
        runs++;
        const f = spliceNestedRecords(base, chunk, keep, [shape]);
        const nested = f.records[0];
        // byte mutations inside the nested record only: its counts, types, sizes and offsets
        for (const [i, v] of muts) f.bytes[nested.offset + (i % nested.size)] = v;
        for (const w of [undefined, wanted]) {
          const t0 = Date.now();
          const r = await readAll(f.bytes, w);
          expect(Date.now() - t0).toBeLessThan(5000);
          for (const p of r.problems) expect(p.code).not.toBe('INTERNAL');
          if (muts.length > 0) continue;
          // intact: the nested record decodes or fails alone; every other record is read
          expect(r.problems.filter((p) => p.code !== 'DIRTY_HEADER')).toEqual(r.problems.filter((p) => p.record === nested.recordId));
          expect(r.problems.filter((p) => p.record === nested.recordId).length).toBeLessThanOrEqual(1);
          expect(r.problems.filter((p) => p.code === 'DIRTY_HEADER')).toEqual(clean.problems);
          expect(r.summary.records + r.summary.failedRecords).toBe(f.otherRecords + 1);
          expect(r.summary.records).toBeGreaterThanOrEqual(f.otherRecords);
          expect(f.otherRecords).toBeLessThanOrEqual(clean.summary.records);
        }
        const t0 = Date.now();
        await renderEvtxRecordXml(bytesSource(f.bytes), { chunk, offset: nested.offset });
        expect(Date.now() - t0).toBeLessThan(5000);
      }),
      { seed: 20261223, numRuns: 300 },
    );
    expect(runs).toBeGreaterThan(10);
  }, 60_000);

  it('survives mutations concentrated in record binary XML', async () => {
    // mutate only the records area of chunk 0, where template and value parsing happen
    const base = sysmon.subarray(0, 4096 + 65536);
    const deadline = Date.now() + 10_000;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 4096 + 512, max: 4096 + 65535 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 8 }), async (at, v, len) => {
        if (Date.now() > deadline) return;
        const b = new Uint8Array(base);
        for (let i = 0; i < len && at + i < b.length; i++) b[at + i] = (v + i * 37) & 255;
        const { summary, problems } = await readAll(b);
        expect(summary.records).toBeGreaterThanOrEqual(0);
        for (const p of problems) expect(p.file).toBe('x.evtx');
      }),
      { seed: 424242, numRuns: 600 },
    );
  }, 60_000);
});
