// Test helpers: read bytes through readEvidence and collect events, problems and the summary;
// build small evidence (XML / JSON / CSV text, tar archives) from strings written in the tests.

import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { readEvidence, type ReadEvidenceOptions } from '../../../shared/readers/read-evidence';
import { bytesSource, type ByteSource, type ReadSummary } from '../../../shared/readers/types';

export interface ReadResult {
  events: RawEvent[];
  problems: Problem[];
  summary: ReadSummary;
}

export async function readSource(src: ByteSource, file = 'evidence.bin', opts?: ReadEvidenceOptions): Promise<ReadResult> {
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  const gen = readEvidence(src, { file, onProblem: (p) => problems.push(p) }, opts);
  for (;;) {
    const r = await gen.next();
    if (r.done) return { events, problems, summary: r.value };
    events.push(...r.value);
  }
}

export function readBytes(bytes: Uint8Array, file = 'evidence.bin', opts?: ReadEvidenceOptions): Promise<ReadResult> {
  return readSource(bytesSource(bytes), file, opts);
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

export function utf16(s: string, le: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((s.length + (bom ? 1 : 0)) * 2);
  let o = 0;
  const put = (c: number) => {
    out[o++] = le ? c & 0xff : c >> 8;
    out[o++] = le ? c >> 8 : c & 0xff;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
  return out;
}

export function withUtf8Bom(s: string): Uint8Array {
  const b = utf8(s);
  const out = new Uint8Array(b.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(b, 3);
  return out;
}

/** A ustar archive of the given files. */
export function makeTar(files: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, data] of files) {
    const h = new Uint8Array(512);
    const put = (s: string, off: number) => h.set(utf8(s), off);
    put(name, 0);
    put('0000644\0', 100);
    put('0000000\0', 108);
    put('0000000\0', 116);
    put(data.length.toString(8).padStart(11, '0') + '\0', 124);
    put('00000000000\0', 136);
    h[156] = 0x30;
    put('ustar\0', 257);
    put('00', 263);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const x of h) sum += x;
    put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h);
    const body = new Uint8Array(Math.ceil(data.length / 512) * 512);
    body.set(data);
    blocks.push(body);
  }
  blocks.push(new Uint8Array(1024));
  const total = blocks.reduce((s, b) => s + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}

export const SYSMON13_XML = (record: number, target: string) => `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}" />
    <EventID>13</EventID>
    <Version>2</Version>
    <Level>4</Level>
    <Task>13</Task>
    <Opcode>0</Opcode>
    <Keywords>0x8000000000000000</Keywords>
    <TimeCreated SystemTime="2024-05-01T10:00:0${record % 10}.1234567Z" />
    <EventRecordID>${record}</EventRecordID>
    <Correlation />
    <Execution ProcessID="3000" ThreadID="4000" />
    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>
    <Computer>HOST-Ä1</Computer>
    <Security UserID="S-1-5-18" />
  </System>
  <EventData>
    <Data Name="RuleName">T1547 &amp; run</Data>
    <Data Name="EventType">SetValue</Data>
    <Data Name="UtcTime">2024-05-01 10:00:00.123</Data>
    <Data Name="ProcessGuid">{11111111-2222-3333-4444-555555555555}</Data>
    <Data Name="ProcessId">1234</Data>
    <Data Name="Image">C:\\Users\\bob\\evil.exe</Data>
    <Data Name="TargetObject">${target}</Data>
    <Data Name="Details"><![CDATA[C:\\evil.exe -a "<x>"]]></Data>
    <Data Name="User">DOM\\bob</Data>
  </EventData>
  <RenderingInfo Culture="en-US"><Message>Registry value set</Message></RenderingInfo>
</Event>`;
