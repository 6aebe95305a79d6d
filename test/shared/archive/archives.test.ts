import { describe, expect, it } from 'vitest';
import { gzipSync, zipSync } from 'fflate';
import { makeTar, readBytes, SYSMON13_XML, utf8 } from '../readers/read-helpers';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const json = utf8([1, 2, 3].map((i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: i, TargetObject: RUN })).join('\n'));
const xml = utf8(`<Events>${SYSMON13_XML(10, RUN)}${SYSMON13_XML(11, RUN)}</Events>`);

describe('archives are read in place, each member through the same dispatch', () => {
  it('reads JSON and XML members of a zip and names the member', async () => {
    const r = await readBytes(zipSync({ 'logs/a.json': json, 'b.xml': xml, 'dir/': new Uint8Array(0) }), 'evidence.zip');
    expect(r.problems).toEqual([]);
    expect(r.summary).toMatchObject({ format: 'archive', records: 5 });
    expect(r.events.filter((e) => e.ref.member === 'logs/a.json').map((e) => e.ref.recordId)).toEqual([1, 2, 3]);
    expect(r.events.filter((e) => e.ref.member === 'b.xml').map((e) => e.ref.format)).toEqual(['xml', 'xml']);
  });

  it('reads stored (uncompressed) zip members', async () => {
    const r = await readBytes(zipSync({ 'a.json': [json, { level: 0 }] }), 'e.zip');
    expect(r.events.length).toBe(3);
  });

  it('reads tar, tar.gz and gz', async () => {
    const tar = makeTar([['x/a.json', json], ['b.xml', xml]]);
    for (const [name, bytes] of [['t.tar', tar], ['t.tgz', gzipSync(tar)]] as const) {
      const r = await readBytes(bytes, name);
      expect(r.problems).toEqual([]);
      expect(r.events.length).toBe(5);
      expect(new Set(r.events.map((e) => e.ref.member))).toEqual(new Set(['x/a.json', 'b.xml']));
    }
    const gz = await readBytes(gzipSync(json), 'a.json.gz');
    expect(gz.events.length).toBe(3);
    expect(gz.summary.format).toBe('json');
  });

  it('reads archives nested in archives and names the path through them', async () => {
    const inner = zipSync({ 'in.json': json });
    const r = await readBytes(zipSync({ 'outer/inner.zip': inner, 'also.tgz': gzipSync(makeTar([['t.xml', xml]])) }), 'e.zip');
    expect(r.problems).toEqual([]);
    expect(new Set(r.events.map((e) => e.ref.member))).toEqual(new Set(['outer/inner.zip!in.json', 'also.tgz!t.xml']));
  });

  it('keeps the good member and warns once when another member is corrupt', async () => {
    const z = zipSync({ 'good.json': json, 'bad.json': [utf8('{"EventID":1,"Channel":"Security"}\n'.repeat(2000)), { level: 9 }] });
    // damage the deflate stream of the second member in the middle
    const text = new TextDecoder('latin1').decode(z);
    const at = text.indexOf('bad.json') + 'bad.json'.length + 40;
    for (let i = 0; i < 30; i++) z[at + i] ^= 0xa5;
    const r = await readBytes(z, 'e.zip');
    expect(r.events.filter((e) => e.ref.member === 'good.json').length).toBe(3);
    const bad = r.problems.filter((p) => p.code === 'BAD_ARCHIVE');
    expect(bad.length).toBe(1);
    expect(bad[0]).toMatchObject({ member: 'bad.json', level: 'warning', file: 'e.zip' });
  });

  it('refuses a zip bomb without expanding it', async () => {
    const zeros = new Uint8Array(48 * 1024 * 1024); // deflates to ~47 KB
    const z = zipSync({ 'bomb.json': zeros, 'ok.json': json });
    const before = process.memoryUsage().heapUsed;
    const t0 = Date.now();
    const r = await readBytes(z, 'bomb.zip');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(r.problems.filter((p) => p.code === 'ARCHIVE_LIMIT').map((p) => p.member)).toEqual(['bomb.json']);
    expect(r.events.length).toBe(3);
  });

  it('stops a gzip bomb while streaming (no size is declared up front)', async () => {
    const bomb = gzipSync(new Uint8Array(16 * 1024 * 1024));
    const r = await readBytes(bomb, 'x.gz', { limits: { ratioFloorBytes: 1024 * 1024 } });
    expect(r.problems.map((p) => p.code)).toContain('ARCHIVE_LIMIT');
  });

  it('enforces the total expansion budget across members', async () => {
    const big = utf8('{"EventID":1,"Channel":"Security","Hostname":"h"}\n'.repeat(20000));
    const r = await readBytes(zipSync({ 'a.json': big, 'b.json': big, 'c.json': big }), 'e.zip', { limits: { maxTotalBytes: big.length * 2 - 10 } });
    expect(r.problems.filter((p) => p.code === 'ARCHIVE_LIMIT').length).toBe(1);
    expect(r.events.length).toBeLessThan(60000);
    expect(r.events.length).toBeGreaterThanOrEqual(20000);
  });

  it('refuses archives nested past the depth limit', async () => {
    let a: Uint8Array = json;
    for (let i = 0; i < 8; i++) a = zipSync({ [`l${i}.zip`]: a });
    const r = await readBytes(a, 'deep.zip');
    expect(r.problems.map((p) => p.code)).toEqual(['ARCHIVE_LIMIT']);
    expect(r.events.length).toBe(0);
  });

  it('refuses members past the member limit', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 12; i++) files[`m${i}.json`] = json;
    const r = await readBytes(zipSync(files), 'many.zip', { limits: { maxMembers: 10 } });
    expect(r.problems.map((p) => p.code)).toEqual(['ARCHIVE_LIMIT']);
    expect(r.events.length).toBe(30);
  });

  it('reports a truncated zip (no central directory) as BAD_ARCHIVE', async () => {
    const z = zipSync({ 'a.json': json });
    const r = await readBytes(z.subarray(0, z.length - 30), 'cut.zip');
    expect(r.problems.map((p) => [p.code, p.level])).toEqual([['BAD_ARCHIVE', 'error']]);
  });
});
