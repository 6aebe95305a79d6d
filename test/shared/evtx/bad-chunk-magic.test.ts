// Chunks whose "ElfChnk\0" signature is damaged (carved or partly overwritten evidence) are
// salvaged instead of dropped: the records that validate come out exactly as from the undamaged
// chunk, the chunk is reported BAD_MAGIC, and records whose template is gone fail one by one.
// Records salvaged by signature scan (the header is not trusted) are marked ref.recovered: without
// the free space offset, allocated and deleted records cannot be told apart.
// Damage is applied in memory to generated files and to a real Sysmon log; expectations come from
// reading the undamaged bytes and from walking the chunk's record framing here in the test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readEvtx } from '../../../shared/evtx/reader';
import { generateToMemory } from '../../../shared/generator/generate';
import { countByCode, type Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { bytesSource, type ReadSummary } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';

const FILE_HEADER = 4096;
const CHUNK = 65536;

async function readAll(bytes: Uint8Array): Promise<{ events: RawEvent[]; summary: ReadSummary; problems: Problem[] }> {
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  const g = readEvtx(bytesSource(bytes), { file: 'x.evtx', onProblem: (p) => problems.push(p) });
  for (;;) {
    const r = await g.next();
    if (r.done) return { events, summary: r.value, problems };
    events.push(...r.value);
  }
}

const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
const chunkStart = (i: number) => FILE_HEADER + i * CHUNK;
const inChunk = (events: RawEvent[], i: number) => events.filter((e) => e.ref.chunk === i);
const notInChunk = (events: RawEvent[], i: number) => events.filter((e) => e.ref.chunk !== i);
/** `events` as a signature scan gives them: the records of chunks `chunks` marked recovered. */
const asCarved = (events: RawEvent[], ...chunks: number[]) =>
  events.map((e) => (chunks.includes(e.ref.chunk as number) ? { ...e, ref: { ...e.ref, recovered: true } } : e));

/** A copy of `file` whose chunk `i` has its signature (and, with `header`, bytes 8-512: fields, CRCs, string and template tables) overwritten. */
function damage(file: Uint8Array, i: number, header: boolean): Uint8Array {
  const b = new Uint8Array(file);
  const at = chunkStart(i);
  b.fill(0x00, at, at + 8);
  if (header) for (let o = 8; o < 512; o++) b[at + o] = (o * 151 + 7) & 0xff;
  return b;
}

/** Walks the records of an undamaged chunk by their framing: offset (in the chunk), size, header id (below 2^32 here), and the template definition offset of the record's template instance. */
function recordsOf(file: Uint8Array, i: number): { off: number; size: number; id: number; defOff: number }[] {
  const base = chunkStart(i);
  const free = u32(file, base + 48);
  const out: { off: number; size: number; id: number; defOff: number }[] = [];
  for (let off = 512; off < free; ) {
    expect(u32(file, base + off)).toBe(0x2a2a);
    const size = u32(file, base + off + 4);
    // fragment header (4 bytes) then TemplateInstance: token, 1 byte, u32 id, u32 definition offset
    expect(file[base + off + 28] & 0xbf).toBe(0x0c);
    out.push({ off, size, id: u32(file, base + off + 8), defOff: u32(file, base + off + 34) });
    off += size;
  }
  return out;
}

const { files } = generateToMemory({ scenario: 'mixed', seed: 4711, hosts: 1, events: 500, format: 'evtx' });
const generated = [...files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;

describe('EVTX chunk with a bad signature (generated evidence)', () => {
  it('has several chunks to damage', () => {
    expect(generated).toBeDefined();
    expect((generated.length - FILE_HEADER) / CHUNK).toBeGreaterThanOrEqual(3);
  });

  it('reads a chunk whose signature alone is damaged exactly as the undamaged chunk, reporting BAD_MAGIC', async () => {
    const good = await readAll(generated);
    expect(good.problems).toEqual([]);
    expect(inChunk(good.events, 1).length).toBeGreaterThan(10);
    const bad = await readAll(damage(generated, 1, false));
    expect(bad.events).toEqual(good.events);
    expect(bad.summary.records).toBe(good.summary.records);
    expect(bad.summary.failedRecords).toBe(0);
    expect(bad.problems.map((p) => [p.code, p.level, p.chunk, p.offset, p.file])).toEqual([['BAD_MAGIC', 'warning', 1, chunkStart(1), 'x.evtx']]);
  });

  it('salvages every record of a chunk whose whole header (signature, fields, CRCs, string and template tables) is damaged', async () => {
    const good = await readAll(generated);
    const bad = await readAll(damage(generated, 1, true));
    // the generator zero-fills past the free space, so a signature scan finds the same records
    expect(bad.events).toEqual(asCarved(good.events, 1));
    expect(countByCode(bad.problems)).toEqual({ BAD_MAGIC: 1 });
    expect(bad.problems[0].chunk).toBe(1);
    expect(bad.problems[0].offset).toBe(chunkStart(1));
  });

  it('fails, one problem each, the records whose template or names were overwritten; the others come out unchanged', async () => {
    const good = await readAll(generated);
    const recs = recordsOf(generated, 1);
    // overwrite the header and a record that defines a template inline which later records reuse
    const first = recs.find((r, k) => k > 0 && r.defOff > r.off && r.defOff < r.off + r.size && recs.some((x) => x.off > r.off && x.defOff === r.defOff));
    if (!first) throw new Error('the generated chunk has no reused template defined after its first record');
    const b = damage(generated, 1, true);
    b.fill(0x00, chunkStart(1) + first.off, chunkStart(1) + first.off + first.size);
    const usesLostTemplate = recs.filter((r) => r !== first && r.defOff >= first.off && r.defOff < first.off + first.size);
    expect(usesLostTemplate.length).toBeGreaterThan(0);
    const bad = await readAll(b);
    const failures = bad.problems.filter((p) => p.code !== 'BAD_MAGIC');
    expect(countByCode(bad.problems).BAD_MAGIC).toBe(1);
    expect(bad.summary.failedRecords).toBe(failures.length);
    // a missing template is BAD_TEMPLATE; a template defined later whose element names lived in
    // the overwritten record is BAD_STRING: never garbage, never an exception
    for (const p of failures) expect(['BAD_TEMPLATE', 'BAD_STRING']).toContain(p.code);
    for (const r of usesLostTemplate) expect(failures.find((p) => p.record === r.id)?.code).toBe('BAD_TEMPLATE');
    // every record but the overwritten one either fails with its own problem (inside the record) or is read as before
    const offsetOf = new Map(recs.map((r) => [r.id, chunkStart(1) + r.off]));
    for (const p of failures) {
      const at = offsetOf.get(p.record as number) as number;
      expect(p.offset).toBeGreaterThanOrEqual(at);
      expect(p.offset).toBeLessThan(at + (recs.find((r) => r.id === p.record)?.size ?? 0));
    }
    const failedAt = new Set(failures.map((p) => offsetOf.get(p.record as number)));
    const readAt = inChunk(bad.events, 1).map((e) => e.ref.offset as number);
    expect(failedAt.size).toBe(failures.length);
    expect([...failedAt, ...readAt].sort((x, y) => (x as number) - (y as number))).toEqual(recs.filter((r) => r !== first).map((r) => chunkStart(1) + r.off));
    expect(readAt.length).toBeGreaterThan(0);
    const byOffset = new Map(asCarved(good.events, 1).map((e) => [e.ref.offset, e]));
    for (const e of inChunk(bad.events, 1)) expect(e).toEqual(byOffset.get(e.ref.offset));
    expect(notInChunk(bad.events, 1)).toEqual(notInChunk(good.events, 1));
  });

  it('reads the other chunks when two chunks lose their signature, header and first record', async () => {
    const b = damage(damage(generated, 0, true), 2, true);
    for (const i of [0, 2]) b.fill(0x41, chunkStart(i) + 512, chunkStart(i) + 512 + 700);
    const good = await readAll(generated);
    const t0 = Date.now();
    const bad = await readAll(b);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(bad.problems.filter((p) => p.code === 'BAD_MAGIC').map((p) => p.chunk)).toEqual([0, 2]);
    const failures = bad.problems.filter((p) => p.code !== 'BAD_MAGIC');
    expect(failures.length).toBeGreaterThan(0);
    expect(bad.summary.failedRecords).toBe(failures.length);
    for (const i of [1, 3]) expect(inChunk(bad.events, i)).toEqual(inChunk(good.events, i));
    // every salvaged record of a damaged chunk is one the undamaged file holds, value for value
    const byOffset = new Map(asCarved(good.events, 0, 2).map((e) => [e.ref.offset, e]));
    for (const e of [...inChunk(bad.events, 0), ...inChunk(bad.events, 2)]) expect(e).toEqual(byOffset.get(e.ref.offset));
  });
});

describe.skipIf(!HAVE_SAMPLES)('EVTX chunk with a bad signature (real Sysmon log)', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  const sysmon = HAVE_SAMPLES ? new Uint8Array(readFileSync(samplePath('omerbenamram_evtx/samples/sysmon.evtx'))) : new Uint8Array(0);

  it('reads a real chunk whose signature is damaged exactly as the undamaged one', async () => {
    const good = await readAll(sysmon);
    expect(inChunk(good.events, 2).length).toBeGreaterThan(10);
    const bad = await readAll(damage(sysmon, 2, false));
    expect(bad.events).toEqual(good.events);
    expect(bad.summary).toEqual(good.summary);
    const added = bad.problems.filter((p) => !good.problems.some((q) => q.code === p.code && q.offset === p.offset));
    expect(added.map((p) => [p.code, p.chunk, p.offset])).toEqual([['BAD_MAGIC', 2, chunkStart(2)]]);
  });

  it('salvages the records of a real chunk whose signature and header tables are damaged, and reads the rest of the file', async () => {
    const good = await readAll(sysmon);
    const bad = await readAll(damage(sysmon, 2, true));
    // the slack of this chunk past its free space holds no record signature (checked here), so
    // the signature scan finds exactly the chunk's records
    const free = u32(sysmon, chunkStart(2) + 48);
    expect(Buffer.from(sysmon.subarray(chunkStart(2) + free, chunkStart(3))).indexOf(Buffer.from([0x2a, 0x2a, 0, 0]))).toBe(-1);
    expect(inChunk(bad.events, 2)).toEqual(asCarved(inChunk(good.events, 2), 2));
    expect(notInChunk(bad.events, 2)).toEqual(notInChunk(good.events, 2));
    expect(bad.summary.failedRecords).toBe(good.summary.failedRecords);
    expect(bad.summary.recoveredRecords).toBe((good.summary.recoveredRecords ?? 0) + inChunk(good.events, 2).length);
    expect(countByCode(bad.problems)).toEqual({ ...countByCode(good.problems), BAD_MAGIC: 1 });
  });
});
