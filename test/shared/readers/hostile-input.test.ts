import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../shared/readers/types';
import { readBytes, readSource, SYSMON13_XML, utf8 } from './read-helpers';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';

describe('hostile and damaged input gives a clear problem, bounded memory and no hang', () => {
  it('reports random bytes as UNKNOWN_FORMAT naming the file', async () => {
    let seed = 12345; // LCG with a fixed seed
    const b = new Uint8Array(4096).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    b[0] = 0x93; // not a signature byte of any format
    const r = await readBytes(b, 'random.bin');
    expect(r.problems.map((p) => [p.code, p.level, p.file])).toEqual([['UNKNOWN_FORMAT', 'error', 'random.bin']]);
    expect(r.events).toEqual([]);
  });

  it('reports a zero-length file as UNKNOWN_FORMAT', async () => {
    const r = await readBytes(new Uint8Array(0), 'empty.evtx');
    expect(r.problems.map((p) => p.code)).toEqual(['UNKNOWN_FORMAT']);
  });

  it('never expands a billion-laughs DOCTYPE', async () => {
    const ents = ['<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i - 1 || ''};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE Events [\n${ents.join('\n')}\n]>\n<Events>${SYSMON13_XML(1, RUN).replace('<Data Name="User">DOM\\bob</Data>', '<Data Name="User">&lol9;</Data>')}</Events>`;
    const t0 = Date.now();
    const r = await readBytes(utf8(xml), 'lol.xml');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.events.length).toBe(1);
    expect(r.events[0].data.User).toBe('&lol9;');
    expect(r.problems.map((p) => p.code)).toEqual(['BAD_XML']);
  });

  it('skips a 100 MB JSON string as TOO_LARGE without holding it', async () => {
    const size = 100 * 1024 * 1024;
    const tail = utf8('"\n{"EventID":4688,"Channel":"Security","Hostname":"h"}\n');
    const body = size - tail.length;
    // generated on demand: the input itself is never in memory
    const src: ByteSource = {
      size,
      read: async (offset, length) => {
        const n = Math.max(0, Math.min(length, size - offset));
        const out = new Uint8Array(n).fill(0x61);
        if (offset === 0 && n > 0) out[0] = 0x22;
        for (let i = Math.max(offset, body); i < offset + n; i++) out[i - offset] = tail[i - body];
        return out;
      },
    };
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - before)), 5);
    const r = await readSource(src, 'huge.json', { maxItemChars: 16 * 1024 * 1024 });
    clearInterval(timer);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['TOO_LARGE', 1]]);
    expect(r.events.map((e) => e.system.eventId)).toEqual([4688]);
    expect(r.events[0].ref.line).toBe(2);
    expect(peak).toBeLessThan(150 * 1024 * 1024);
  });

  it('keeps the events before a truncation in JSON and says where', async () => {
    const lines = [1, 2, 3].map((i) => JSON.stringify({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'h', RecordNumber: i, TargetObject: RUN }));
    const text = lines.join('\n') + '\n' + lines[0].slice(0, 40);
    const r = await readBytes(utf8(text), 'cut.json');
    expect(r.events.map((e) => e.ref.recordId)).toEqual([1, 2, 3]);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['BAD_JSON', 4]]);
    expect(r.summary.failedRecords).toBe(1);
  });

  it('resynchronises NDJSON after a broken line', async () => {
    const ok = (i: number) => JSON.stringify({ EventID: 1, Channel: 'Security', Hostname: 'h', RecordNumber: i });
    const r = await readBytes(utf8([ok(1), ok(2).slice(0, 20), ok(3), 'garbage', ok(4)].join('\n')), 'n.json');
    expect(r.events.map((e) => e.ref.recordId)).toEqual([1, 3, 4]);
    expect(r.events.map((e) => e.ref.line)).toEqual([1, 3, 5]);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['BAD_JSON', 2], ['BAD_JSON', 4]]);
  });

  it('keeps the events before a truncation in XML and reports a malformed event with its line', async () => {
    const ev = SYSMON13_XML(1, RUN);
    const bad = SYSMON13_XML(2, RUN).replace('</System>', '</Sistem>');
    const text = `<Events>\n${ev}\n${bad}\n${SYSMON13_XML(3, RUN)}\n${ev.slice(0, 200)}`;
    const r = await readBytes(utf8(text), 'cut.xml');
    expect(r.events.map((e) => e.ref.recordId)).toEqual([1, 3]);
    const lines = ev.split('\n').length;
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['BAD_XML', 2 + lines], ['BAD_XML', 2 + 3 * lines]]);
  });

  it('reports JSON objects of unknown layout as counted warnings, not fatal', async () => {
    const text = Array.from({ length: 8 }, (_, i) => JSON.stringify({ hello: i })).join('\n') + '\n' + JSON.stringify({ EventID: 1, Channel: 'Security', Hostname: 'h' });
    const r = await readBytes(utf8(text), 'odd.json');
    expect(r.events.length).toBe(1);
    expect(r.problems.every((p) => p.code === 'UNKNOWN_LAYOUT' && p.level === 'warning')).toBe(true);
    expect(r.problems.length).toBe(6); // 5 with their line, then one summary
  });

  it('reports a CSV header of no known export as BAD_CSV_HEADER and a short row as BAD_CSV_ROW', async () => {
    const ok = 'Timestamp,DeviceName,ActionType\n2026-01-01T00:00:00Z,h,RegistryValueSet\nshort\n2026-01-01T00:00:01Z,h,RegistryValueSet\n';
    const r = await readBytes(utf8(ok), 'a.csv');
    expect(r.events.map((e) => e.ref.line)).toEqual([2, 4]);
    expect(r.problems.map((p) => [p.code, p.line])).toEqual([['BAD_CSV_ROW', 3]]);
    const { readCsvText } = await import('../../../shared/readers/csv-reader');
    const problems: string[] = [];
    const gen = readCsvText((async function* () { yield 'a,b,c\n1,2,3\n'; })(), { file: 'b.csv', onProblem: (p) => problems.push(p.code) });
    for await (const _ of gen) void _;
    expect(problems).toEqual(['BAD_CSV_HEADER']);
  });
});
