// Substitution amplification: a record whose payload is binary XML nesting template instances
// that repeat a substitution k times at each of D levels (nested-substitution-record.ts) stands
// for k^D payloads in under 64 KiB. Decoding it must fail that record alone as BAD_RECORD, in
// bounded time and memory, on the full decode, the wanted-fields path a scan takes and the XML
// rendering of the raw-record view, while every other record of the file is still read.
// The files are the project's generator output (seed below) with the record spliced into chunk 0.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import { readEvtx, renderEvtxRecordXml } from '../../../shared/evtx/reader';
import { scanWantedFields } from '../../../shared/detect/scan-fields';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { bytesSource, type ReadSummary } from '../../../shared/readers/types';
import { NESTED_EVENT_ID, spliceNestedRecords, type NestingShape, type SplicedFile } from './nested-substitution-record';
import { HAVE_EVTXEXPORT, runEvtxexport } from './reference-parsers';

const SEED = 23;
const { files } = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 300, format: 'evtx' });
const sysmon = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
/** Records of chunk 0 kept before the spliced ones. */
const KEEP = 3;
/** A small record of the same construction that expands nothing: written after the amplified one. */
const BENIGN: NestingShape = { k: 1, depth: 1, payloadChars: 16, where: 'data' };
const MAX_MS = 3000;
const MAX_HEAP_MB = 200;

interface Read {
  events: RawEvent[];
  problems: Problem[];
  summary: ReadSummary;
  ms: number;
  heapMb: number;
}

async function readAll(bytes: Uint8Array, wanted?: ReadonlySet<string>): Promise<Read> {
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const g = readEvtx(bytesSource(bytes), { file: 'nested.evtx', onProblem: (p) => problems.push(p) }, { wantedFields: wanted });
  for (;;) {
    const r = await g.next();
    if (r.done) {
      const ms = performance.now() - t0;
      return { events, problems, summary: r.value, ms, heapMb: (process.memoryUsage().heapUsed - heap0) / 1e6 };
    }
    events.push(...r.value);
  }
}

const splice = (shape: NestingShape): SplicedFile => spliceNestedRecords(sysmon, 0, KEEP, [shape, BENIGN]);
const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('EVTX substitution amplification', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rkh-nesting-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reads the nesting shape when it expands little (the generator writes valid binary XML)', async () => {
    const data = splice({ k: 2, depth: 3, payloadChars: 5, where: 'data' });
    const full = await readAll(data.bytes);
    expect(full.problems).toEqual([]);
    expect(full.summary.records).toBe(data.otherRecords + 2);
    const nested = full.events.find((e) => e.ref.offset === data.records[0].offset) as RawEvent;
    expect(nested.system.eventId).toBe(NESTED_EVENT_ID);
    expect(count(String(nested.data.CommandLine), '<Payload>AAAAA</Payload>')).toBe(8);
    const fast = await readAll(data.bytes, scanWantedFields());
    expect(fast.events.find((e) => e.ref.offset === data.records[0].offset)?.data).toEqual(nested.data);
    const xml = (await renderEvtxRecordXml(bytesSource(data.bytes), { chunk: 0, offset: data.records[0].offset })) ?? '';
    expect(count(xml, '<Payload>AAAAA</Payload>')).toBe(8);

    // expanded as nested EventData: each payload is one more value of the same name
    const ed = splice({ k: 2, depth: 3, payloadChars: 5, where: 'eventdata' });
    const r = await readAll(ed.bytes);
    expect(r.problems).toEqual([]);
    expect(r.events.find((e) => e.ref.offset === ed.records[0].offset)?.data).toEqual({ Payload: Array(8).fill('AAAAA') });
  });

  it.skipIf(!HAVE_EVTXEXPORT)('writes the nesting shape as evtxexport reads it', async () => {
    const data = splice({ k: 2, depth: 3, payloadChars: 5, where: 'data' });
    const path = join(tmp, 'nesting-2x3.evtx');
    writeFileSync(path, data.bytes);
    const { stdout } = await runEvtxexport(path);
    const blocks = stdout.match(/<Event xmlns[^>]*>[\s\S]*?\n<\/Event>/g) ?? [];
    expect(blocks.length).toBe(data.otherRecords + 2);
    const ours = blocks.find((b) => b.includes('Hostile-Nesting')) ?? '';
    expect(count(ours, '<Payload>AAAAA</Payload>')).toBe(8);
    expect(count(ours, '<Level>')).toBe(2 + 4);
  });

  it('decodes a chunk-sized record of plain text that escapes 4-fold, on every path', async () => {
    const f = splice({ k: 1, depth: 1, payloadChars: 'fill', where: 'data', payloadChar: '<' });
    expect(f.records[0].size).toBeGreaterThan(50_000);
    for (const wanted of [undefined, scanWantedFields()]) {
      const r = await readAll(f.bytes, wanted);
      expect(r.problems).toEqual([]);
      const e = r.events.find((x) => x.ref.offset === f.records[0].offset) as RawEvent;
      expect(String(e.data.CommandLine).length).toBeGreaterThan(100_000);
    }
    const xml = await renderEvtxRecordXml(bytesSource(f.bytes), { chunk: 0, offset: f.records[0].offset });
    expect(count(xml ?? '', '&lt;')).toBeGreaterThan(25_000);
  });

  // [what, shape]: each stands for at least 2^24 payloads; the Data ones of up to 29,000 characters
  const AMPLIFIED: [string, NestingShape][] = [
    ['2 repeats x 12 levels, a payload filling the chunk, as Data text', { k: 2, depth: 12, payloadChars: 'fill', where: 'data' }],
    ['16 repeats x 6 levels, as Data text', { k: 16, depth: 6, payloadChars: 'fill', where: 'data' }],
    ['3,000 repeats x 2 levels, as Data text', { k: 3000, depth: 2, payloadChars: 'fill', where: 'data' }],
    ['2 repeats x 40 levels of 1 character, as nested EventData', { k: 2, depth: 40, payloadChars: 1, where: 'eventdata' }],
    ['64 repeats x 5 levels of 1 character, as nested EventData', { k: 64, depth: 5, payloadChars: 1, where: 'eventdata' }],
  ];

  for (const [what, shape] of AMPLIFIED) {
    it(`fails a record of ${what} alone as BAD_RECORD, on the full decode and the wanted-fields path`, async () => {
      const f = splice(shape);
      const bad = f.records[0];
      for (const wanted of [undefined, scanWantedFields()]) {
        const r = await readAll(f.bytes, wanted);
        expect(r.ms).toBeLessThan(MAX_MS);
        expect(r.heapMb).toBeLessThan(MAX_HEAP_MB);
        expect(r.problems.map((p) => [p.code, p.level, p.file, p.chunk, p.record])).toEqual([['BAD_RECORD', 'warning', 'nested.evtx', 0, bad.recordId]]);
        const off = r.problems[0].offset as number;
        expect(off >= bad.offset && off < bad.offset + bad.size).toBe(true);
        expect(r.summary.failedRecords).toBe(1);
        // every other record is read: the kept ones, the one after it in its chunk, the other chunks
        expect(r.summary.records).toBe(f.otherRecords + 1);
        expect(r.events.some((e) => e.ref.offset === f.records[1].offset && e.system.eventId === NESTED_EVENT_ID)).toBe(true);
        expect(r.events.filter((e) => e.ref.chunk === 0).length).toBe(KEEP + 1);
      }
    });
  }

  it('renders no XML for an amplified record, in bounded time, and the next record as usual', async () => {
    for (const [, shape] of AMPLIFIED) {
      const f = splice(shape);
      const src = bytesSource(f.bytes);
      const heap0 = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      expect(await renderEvtxRecordXml(src, { chunk: 0, offset: f.records[0].offset })).toBeUndefined();
      expect(performance.now() - t0).toBeLessThan(MAX_MS);
      expect((process.memoryUsage().heapUsed - heap0) / 1e6).toBeLessThan(MAX_HEAP_MB);
      expect(await renderEvtxRecordXml(src, { chunk: 0, offset: f.records[1].offset })).toContain('<Payload>AAAAAAAAAAAAAAAA</Payload>');
    }
  });
});
