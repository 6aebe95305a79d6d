// A value past the value limit (1 Mi characters as written) is cut, not held: a 40 MB single-value
// XML / JSON / CSV export is read in a child process with a 64 MB old space (the old readers held
// the value several times over: 1.2-1.5 GB for XML, 270-330 MB for JSON and CSV at 60 MB, and
// crash there); the cut value, the TOO_LARGE warning, the other fields and the next event are
// asserted. In-process tests drive the text readers with a small limit to check the cut points
// (entity, escape, "" pair, surrogate pair), the line numbers after a cut and chunk independence.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { readXmlText } from '../../../shared/readers/xml-reader';
import { readJsonText } from '../../../shared/readers/json-reader';
import { readCsvText } from '../../../shared/readers/csv-reader';
import { DEFAULT_MAX_VALUE_CHARS, VALUE_CUTS_REPORTED, type TextCounts, type TextReaderOptions } from '../../../shared/readers/reader-kit';
import { SYSMON13_XML } from './read-helpers';
import type { HugeFormat, HugeReport } from './huge-value-child';

const run = promisify(execFile);
const MiB = 1024 * 1024;
const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';

async function readHugeInChild(format: HugeFormat, mb: number): Promise<HugeReport> {
  const { stdout } = await run(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', 'test/shared/readers/huge-value-child.ts', format, String(mb)], {
    maxBuffer: 16 * MiB,
    timeout: 120_000,
  });
  return JSON.parse(stdout) as HugeReport;
}

type Reader = (text: AsyncIterable<string>, ctx: Parameters<typeof readXmlText>[1], opts?: TextReaderOptions) => AsyncGenerator<RawEvent[], TextCounts>;
const READERS: Record<HugeFormat, Reader> = { xml: readXmlText, json: readJsonText, csv: readCsvText, 'xml-attribute': readXmlText };

/** Reads `text` fed in pieces of `piece` characters (the whole text at once when 0). */
async function readText(format: HugeFormat, text: string, opts: TextReaderOptions, piece = 0): Promise<{ events: RawEvent[]; problems: Problem[] }> {
  async function* pieces() {
    if (piece <= 0) yield text;
    else for (let i = 0; i < text.length; i += piece) yield text.slice(i, i + piece);
  }
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  for await (const b of READERS[format](pieces(), { file: `t.${format}`, onProblem: (p) => problems.push(p) }, opts)) events.push(...b);
  return { events, problems };
}

const codes = (ps: Problem[]) => ps.map((p) => [p.code, p.level, p.line]);

describe('a value past the value limit is cut as it is scanned, and its event kept', () => {
  for (const format of ['xml', 'json', 'csv'] as const) {
    it(`reads a 40 MB single-value ${format} export in a 64 MB heap: value cut at 1 Mi, TOO_LARGE, the rest intact`, async () => {
      const r = await readHugeInChild(format, 40);
      expect(r.events.map((e) => e.recordId)).toEqual([1, 2]);
      const [first, second] = r.events;
      expect(first.fields.ScriptBlockText).toEqual({ length: DEFAULT_MAX_VALUE_CHARS, fillerOk: true });
      expect(first.fields.MessageNumber).toBe('1');
      expect(first.fields.ScriptBlockId).toBe('{aaaa}');
      expect(first.fields.Path).toBe('C:\\x.ps1');
      expect(second.fields.ScriptBlockText).toBe('small');
      expect(r.problems.map((p) => [p.code, p.level, p.file])).toEqual([['TOO_LARGE', 'warning', `huge.${format}`]]);
      expect(r.problems[0].line).toBe(format === 'xml' ? 4 : format === 'json' ? 1 : 2);
      expect(r.problems[0].message).toContain('ScriptBlockText'); // names the field
      // what the reader holds: a few times the limit (2 bytes a character at most) plus a margin for the runtime
      expect(r.peakGrowth).toBeLessThan(8 * 2 * DEFAULT_MAX_VALUE_CHARS + 64 * MiB);
    });
  }

  it('reads a 40 MB XML attribute in a 64 MB heap: the attribute cut at 1 Mi, TOO_LARGE naming it, the element text and the rest intact', async () => {
    const r = await readHugeInChild('xml-attribute', 40);
    expect(r.events.map((e) => [e.recordId, e.fields.ScriptBlockText, e.fields.Path])).toEqual([[1, 'script', 'C:\\x.ps1'], [2, 'small', undefined]]);
    expect(r.problems.map((p) => [p.code, p.level, p.file, p.line])).toEqual([['TOO_LARGE', 'warning', 'huge.xml', 4]]);
    expect(r.problems[0].message).toContain('Data.Hint');
    expect(r.peakGrowth).toBeLessThan(8 * 2 * DEFAULT_MAX_VALUE_CHARS + 64 * MiB);
  });

  it('keeps values up to the limit byte for byte, with no problem', async () => {
    const xml = `<Events>${[1, 2, 3].map((i) => SYSMON13_XML(i, `${RUN}${'é'.repeat(i * 40)}`)).join('\n')}</Events>`;
    const whole = await readText('xml', xml, { maxValueChars: Number.MAX_SAFE_INTEGER });
    // the longest value as written is TargetObject of record 3
    const longest = RUN.length + 120;
    const atLimit = await readText('xml', xml, { maxValueChars: longest }, 97);
    expect(atLimit.problems).toEqual([]);
    expect(atLimit.events).toEqual(whole.events);
    const below = await readText('xml', xml, { maxValueChars: longest - 1 });
    expect(codes(below.problems)).toEqual([['TOO_LARGE', 'warning', 61 + 24]]); // record 3's TargetObject line
    expect(below.events[2].data.TargetObject).toBe(`${RUN}${'é'.repeat(119)}`);
    expect(below.events.map((e) => e.data.Image)).toEqual(whole.events.map((e) => e.data.Image));
  });

  it('cuts XML text before an entity reference or a surrogate pair it would split, and names the Data field (all names shorter than the limit)', async () => {
    const ev = (v: string) => `<Event><System><EventID>1</EventID><EventRecordID>7</EventRecordID></System><EventData><Data Name="Cmd">${v}</Data><Data Name="User">u</Data></EventData></Event>`;
    // "a&amp;" is 6 characters as written: a limit of 10 would end inside the second reference
    const r = await readText('xml', ev('a&amp;'.repeat(50)), { maxValueChars: 10 });
    expect(r.events[0].data.Cmd).toBe('a&a');
    expect(r.events[0].data.User).toBe('u');
    expect(codes(r.problems)).toEqual([['TOO_LARGE', 'warning', 1]]);
    expect(r.problems[0].message).toContain('Cmd');
    const emoji = await readText('xml', ev('x😀😀😀😀'), { maxValueChars: 4 });
    expect(emoji.events[0].data.Cmd).toBe('x😀');
    const attr = await readText('xml', ev('v').replace('<Data Name="Cmd">', `<Data Name="Cmd" Note='${'n&amp;'.repeat(50)}'>`), { maxValueChars: 10 });
    expect(attr.events[0].data).toEqual({ Cmd: 'v', User: 'u' });
    expect(codes(attr.problems)).toEqual([['TOO_LARGE', 'warning', 1]]);
    expect(attr.problems[0].message).toContain('Data.Note');
    const cdata = await readText('xml', ev(`<![CDATA[${'<b>'.repeat(100)}]]>`), { maxValueChars: 9 });
    expect(cdata.events[0].data.Cmd).toBe('<b><b><b>');
    expect(cdata.events[0].data.User).toBe('u');
  });

  it('keeps the line numbers of the XML events after a cut value spanning lines, however the text is chunked', async () => {
    const big = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n');
    const xml = `<Events>\n${SYSMON13_XML(1, RUN).replace('<Data Name="User">DOM\\bob</Data>', `<Data Name="User">${big}</Data>`)}\n${SYSMON13_XML(2, RUN)}\n</Events>\n`;
    const expectedLine = 2 + SYSMON13_XML(1, RUN).split('\n').length + 399;
    for (const piece of [0, 1, 13, 256, 4096]) {
      const r = await readText('xml', xml, { maxValueChars: 100 }, piece);
      expect(r.events.map((e) => [e.ref.recordId, e.ref.line])).toEqual([[1, 2], [2, expectedLine]]);
      expect(r.events[0].data.User).toBe(big.slice(0, 100));
      expect(r.events[1].data.User).toBe('DOM\\bob');
      expect(codes(r.problems)).toEqual([['TOO_LARGE', 'warning', 2 + 26]]); // the User line
    }
  });

  it('cuts a JSON string outside its escapes, names its key path and reads the next items, however the text is chunked', async () => {
    const value = 'é\\u00e9\\\\\\"\\ud83d\\ude00'.repeat(40); // as written: 1 + 6 + 2 + 2 + 12 = 23 characters a repeat
    const doc = `{"winlog":{"event_id":4104,"channel":"Microsoft-Windows-PowerShell/Operational","computer_name":"h","record_id":1,"event_data":{"ScriptBlockText":"${value}","Path":"p"}}}\n{"winlog":{"event_id":4104,"channel":"Microsoft-Windows-PowerShell/Operational","computer_name":"h","record_id":2,"event_data":{"ScriptBlockText":"s","Path":"q"}}}\n`;
    const decoded = JSON.parse(`"${value}"`) as string;
    // every cut point in one repeat, past the other values (the channel has 40 characters)
    for (let limit = 46; limit < 46 + 23; limit++) {
      for (const piece of [0, 1, 7, 64]) {
        const r = await readText('json', doc, { maxValueChars: limit }, piece);
        expect(r.events.map((e) => [e.ref.recordId, e.ref.line])).toEqual([[1, 1], [2, 2]]);
        const kept = r.events[0].data.ScriptBlockText as string;
        expect(decoded.startsWith(kept)).toBe(true);
        expect(kept).not.toMatch(/[\ud800-\udbff]$/); // no half of a surrogate pair
        expect(JSON.stringify(kept).length - 2).toBeLessThanOrEqual(limit + 6); // re-escaped, ≤ the limit as written
        expect(kept.length).toBeGreaterThan(limit / 7);
        expect(r.events[0].data.Path).toBe('p');
        expect(r.events[1].data.ScriptBlockText).toBe('s');
        expect(codes(r.problems)).toEqual([['TOO_LARGE', 'warning', 1]]);
        expect(r.problems[0].message).toContain('winlog.event_data.ScriptBlockText');
      }
    }
  });

  it('cuts a CSV field without splitting a "" pair, so the row keeps its fields, however the text is chunked', async () => {
    const head = 'EventID,Channel,Computer,RecordNumber,CommandLine,User\r\n';
    const cmd = 'a""b'.repeat(30);
    const text = `${head}1,Security,h,1,"${cmd}\r\nnext line",bob\r\n1,Security,h,2,${'z'.repeat(50)},amy\r\n1,Security,h,3,small,eve\r\n`;
    for (const limit of [21, 22, 23, 24]) {
      for (const piece of [0, 1, 5, 64]) {
        const r = await readText('csv', text, { maxValueChars: limit }, piece);
        expect(r.events.map((e) => [e.ref.recordId, e.ref.line, e.data.User])).toEqual([[1, 2, 'bob'], [2, 4, 'amy'], [3, 5, 'eve']]);
        const kept = r.events[0].data.CommandLine as string;
        expect(`${cmd.replace(/""/g, '"')}\r\nnext line`.startsWith(kept)).toBe(true);
        expect(kept.length).toBeGreaterThanOrEqual(limit / 2 - 1);
        expect(r.events[1].data.CommandLine).toBe('z'.repeat(limit));
        expect(r.events[2].data.CommandLine).toBe('small');
        expect(codes(r.problems)).toEqual([['TOO_LARGE', 'warning', 2], ['TOO_LARGE', 'warning', 4]]);
        expect(r.problems[0].message).toContain('CommandLine');
      }
    }
  });

  it('reports the first truncated values one by one and counts the rest', async () => {
    const n = VALUE_CUTS_REPORTED + 5;
    const lines = Array.from({ length: n }, (_, i) => JSON.stringify({ EventID: 1, Channel: 'Security', Hostname: 'h', RecordNumber: i + 1, CommandLine: 'x'.repeat(40) }));
    const r = await readText('json', lines.join('\n'), { maxValueChars: 16 });
    expect(r.events.map((e) => e.data.CommandLine)).toEqual(Array.from({ length: n }, () => 'x'.repeat(16)));
    expect(r.problems.map((p) => [p.code, p.level])).toEqual(Array.from({ length: VALUE_CUTS_REPORTED + 1 }, () => ['TOO_LARGE', 'warning']));
    expect(r.problems.slice(0, VALUE_CUTS_REPORTED).map((p) => p.line)).toEqual(Array.from({ length: VALUE_CUTS_REPORTED }, (_, i) => i + 1));
    expect(r.problems[VALUE_CUTS_REPORTED].message).toContain(String(n));
  });
});
