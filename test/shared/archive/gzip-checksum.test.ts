import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { readBytes, utf8 } from '../readers/read-helpers';
import { concat } from './zip-builder';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const ndjson = (from: number, n: number) =>
  utf8(Array.from({ length: n }, (_, i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: from + i, TargetObject: RUN, Details: 'C:\\a.exe' })).join('\n') + '\n');

describe('gzip members are checked against their CRC-32 / size trailer', () => {
  it('reads a clean gzip without problems', async () => {
    const r = await readBytes(gzipSync(ndjson(1, 50)), 'a.json.gz');
    expect(r.problems).toEqual([]);
    expect(r.events.length).toBe(50);
  });

  it('warns BAD_CHECKSUM when the CRC trailer is wrong, and keeps every event', async () => {
    const gz = gzipSync(ndjson(1, 50));
    gz[gz.length - 8] ^= 0xff;
    const r = await readBytes(gz, 'a.json.gz');
    expect(r.events.map((e) => e.ref.recordId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(r.problems.map((p) => [p.code, p.level])).toEqual([['BAD_CHECKSUM', 'warning']]);
  });

  it('warns BAD_CHECKSUM when a stored block was altered (deflate itself stays valid), keeping what was read', async () => {
    const gz = gzipSync(ndjson(1, 20), { level: 0 });
    // a digit of a RecordNumber inside the stored block: the JSON still parses, the data is wrong
    const text = new TextDecoder('latin1').decode(gz);
    const at = text.indexOf('"RecordNumber":7,') + '"RecordNumber":'.length;
    gz[at] = '8'.charCodeAt(0);
    const r = await readBytes(gz, 'a.json.gz');
    expect(r.events.length).toBe(20);
    expect(r.events[6].ref.recordId).toBe(8);
    expect(r.problems.map((p) => p.code)).toEqual(['BAD_CHECKSUM']);
  });

  it('warns BAD_CHECKSUM when the size trailer is wrong', async () => {
    const gz = gzipSync(ndjson(1, 5));
    gz[gz.length - 1] ^= 0x01;
    const r = await readBytes(gz, 'a.json.gz');
    expect(r.events.length).toBe(5);
    expect(r.problems.map((p) => p.code)).toEqual(['BAD_CHECKSUM']);
  });

  it('checks each member of a multi-member gzip and reads the members after a bad one', async () => {
    const a = gzipSync(ndjson(1, 30));
    const b = gzipSync(ndjson(31, 30));
    const clean = await readBytes(concat([a, b]), 'two.json.gz');
    expect(clean.problems).toEqual([]);
    expect(clean.events.length).toBe(60);
    a[a.length - 6] ^= 0x10; // first member's CRC
    const r = await readBytes(concat([a, b]), 'two.json.gz');
    expect(r.events.length).toBe(60);
    expect(r.problems.map((p) => p.code)).toEqual(['BAD_CHECKSUM']);
    expect(r.problems[0].message).toMatch(/member 1/);
  });

  it('checks the gzip layer of a .tar.gz the same way', async () => {
    const { makeTar } = await import('../readers/read-helpers');
    const gz = gzipSync(makeTar([['x/a.json', ndjson(1, 10)]]));
    gz[gz.length - 7] ^= 0x01;
    const r = await readBytes(gz, 't.tgz');
    expect(r.events.length).toBe(10);
    expect(r.problems.map((p) => p.code)).toEqual(['BAD_CHECKSUM']);
  });
});
