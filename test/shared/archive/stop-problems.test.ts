// One accurate problem for each way an archive stream stops early: a refused bomb is one
// ARCHIVE_LIMIT (not also "the file is empty", "member cut short" or "the tar ends inside a
// header", which the layers inside would otherwise add for the end the refusal made); a gzip cut
// off in its header is one TRUNCATED at the header's offset (not a CRC mismatch plus "empty");
// a gzip cut off inside its compressed data is one TRUNCATED with the offset where it ends.

import { describe, expect, it } from 'vitest';
import { gzipSync, zipSync } from 'fflate';
import { makeTar, readBytes, utf8, type ReadResult } from '../readers/read-helpers';
import { concat, localMember, zipWithDirectory } from './zip-builder';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const ndjson = (from: number, n: number) =>
  utf8(Array.from({ length: n }, (_, i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: from + i, TargetObject: RUN })).join('\n') + '\n');
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

const where = (r: ReadResult) => r.problems.map((p) => [p.code, p.level, p.member, p.offset]);

const ZEROS_16M = new Uint8Array(16 * 1024 * 1024);
const GZ_BOMB = gzipSync(ZEROS_16M); // ~16 KB

describe('a refused bomb gives exactly one ARCHIVE_LIMIT problem', () => {
  it('gzip bomb: one ARCHIVE_LIMIT error, no "empty" problem', async () => {
    const r = await readBytes(GZ_BOMB, 'bomb.json.gz', { limits: { ratioFloorBytes: 1024 * 1024 } });
    expect(where(r)).toEqual([['ARCHIVE_LIMIT', 'error', undefined, undefined]]);
    expect(r.events).toEqual([]);
  });

  it('gzip past the total expansion budget: one ARCHIVE_LIMIT error', async () => {
    const r = await readBytes(GZ_BOMB, 'bomb.gz', { limits: { maxTotalBytes: 4096 } });
    expect(r.problems.map((p) => p.code)).toEqual(['ARCHIVE_LIMIT']);
  });

  it('zip member that declares a harmless size but inflates like a bomb: one ARCHIVE_LIMIT naming it; the next member is read', async () => {
    const zip = zipWithDirectory([{ name: 'bomb.json', data: ZEROS_16M }, { name: 'ok.json', data: ndjson(1, 3) }], (p) => [{ ...p[0], size: 1000 }, p[1]]);
    const r = await readBytes(zip, 'liar.zip', { limits: { ratioFloorBytes: 1024 * 1024 } });
    expect(where(r)).toEqual([['ARCHIVE_LIMIT', 'error', 'bomb.json', undefined]]);
    expect(r.events.map((e) => e.ref.recordId)).toEqual(ids(1, 3));
  });

  it('tar.gz bomb: one ARCHIVE_LIMIT, not also a truncated tar or a cut member', async () => {
    const tgz = gzipSync(makeTar([['zeros.json', ZEROS_16M], ['after.json', ndjson(1, 3)]]));
    const r = await readBytes(tgz, 'bomb.tgz', { limits: { ratioFloorBytes: 1024 * 1024 } });
    expect(r.problems.map((p) => p.code)).toEqual(['ARCHIVE_LIMIT']);
  });

  it('gzip bomb inside a zip: one ARCHIVE_LIMIT naming the member', async () => {
    const r = await readBytes(zipSync({ 'in.json.gz': [GZ_BOMB, { level: 0 }] }), 'outer.zip', { limits: { ratioFloorBytes: 1024 * 1024 } });
    expect(where(r)).toEqual([['ARCHIVE_LIMIT', 'error', 'in.json.gz', undefined]]);
  });

  it('still says "the file is empty" for a gzip of nothing (no layer stopped it)', async () => {
    const r = await readBytes(gzipSync(new Uint8Array(0)), 'empty.gz');
    expect(r.problems.map((p) => [p.code, p.level])).toEqual([['UNKNOWN_FORMAT', 'error']]);
  });
});

describe('a gzip cut off early gives one TRUNCATED problem saying where', () => {
  const gz = gzipSync(ndjson(1, 50));
  const named = gzipSync(ndjson(1, 50), { filename: 'events-from-host-7.json' });

  it('cut inside the fixed 10-byte header: one TRUNCATED error at offset 0', async () => {
    for (const n of [3, 5, 9]) {
      const r = await readBytes(gz.subarray(0, n), 'cut.json.gz');
      expect(where(r)).toEqual([['TRUNCATED', 'error', undefined, 0]]);
    }
  });

  it('cut inside the stored file name, or right after the header: one TRUNCATED error at offset 0', async () => {
    const headerEnd = 10 + 'events-from-host-7.json'.length + 1;
    for (const n of [12, headerEnd - 1, headerEnd]) {
      const r = await readBytes(named.subarray(0, n), 'cut.json.gz');
      expect(where(r)).toEqual([['TRUNCATED', 'error', undefined, 0]]);
    }
    // a few bytes of compressed data that expand to nothing yet: cut there, still nothing read
    const r = await readBytes(named.subarray(0, headerEnd + 5), 'cut.json.gz');
    expect(where(r)).toEqual([['TRUNCATED', 'error', undefined, headerEnd + 5]]);
  });

  it('cut inside the second member header: the first member is read, one TRUNCATED warning at the second header', async () => {
    const a = gzipSync(ndjson(1, 30));
    const b = gzipSync(ndjson(31, 30), { filename: 'b.json' });
    for (const n of [1, 4, 12]) {
      const r = await readBytes(concat([a, b.subarray(0, n)]), 'two.json.gz');
      expect(r.events.map((e) => e.ref.recordId)).toEqual(ids(1, 30));
      expect(where(r)).toEqual([['TRUNCATED', 'warning', undefined, a.length]]);
    }
  });

  it('cut inside the compressed data: the lines before are kept, one TRUNCATED warning at the end', async () => {
    const big = gzipSync(ndjson(1, 2000), { level: 1 });
    const cut = big.subarray(0, Math.floor(big.length / 2));
    const r = await readBytes(cut, 'half.json.gz');
    expect(r.events.length).toBeGreaterThan(100);
    expect(r.events.map((e) => e.ref.recordId)).toEqual(ids(1, r.events.length));
    const truncated = r.problems.filter((p) => p.code === 'TRUNCATED');
    expect(truncated.map((p) => [p.level, p.offset])).toEqual([['warning', cut.length]]);
    // the partial last line may be reported as such by the JSON reader; nothing else
    expect(r.problems.every((p) => p.code === 'TRUNCATED' || p.code === 'BAD_JSON')).toBe(true);
  });

  it('a cut gzip inside a zip is reported on the member', async () => {
    const zip = zipWithDirectory([{ name: 'logs/a.json.gz', data: gz.subarray(0, 7), method: 0 }, { name: 'b.json', data: ndjson(7, 2) }]);
    const r = await readBytes(zip, 'case.zip');
    expect(where(r)).toEqual([['TRUNCATED', 'error', 'logs/a.json.gz', 0]]);
    expect(r.events.map((e) => e.ref.recordId)).toEqual([7, 8]);
    expect(localMember({ name: 'b.json', data: ndjson(7, 2) }).entry.method).toBe(8);
  });
});
