// The text readers are resumable: wherever the text is cut into chunks, the same events come out.
// Tried exhaustively (every cut position) on small XML, JSON and CSV exports, and with every chunk
// one character.

import { describe, expect, it } from 'vitest';
import { readXmlText } from '../../../shared/readers/xml-reader';
import { readJsonText } from '../../../shared/readers/json-reader';
import { readCsvText } from '../../../shared/readers/csv-reader';
import type { ReaderContext } from '../../../shared/readers/types';
import type { Problem } from '../../../shared/model/problems';
import type { RawEvent } from '../../../shared/model/raw-event';
import { SYSMON13_XML } from './read-helpers';

const RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X';
const DOC = `<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n${SYSMON13_XML(1, RUN)}\r\n<!-- between -->\r\n${SYSMON13_XML(2, RUN)}\r\n</Events>\r\n`;

type TextReader = (text: AsyncIterable<string>, ctx: ReaderContext) => AsyncGenerator<RawEvent[], unknown>;

async function readChunks(chunks: string[], reader: TextReader = readXmlText): Promise<{ events: RawEvent[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const events: RawEvent[] = [];
  async function* text() {
    for (const c of chunks) yield c;
  }
  for await (const b of reader(text(), { file: 'x', onProblem: (p) => problems.push(p) })) events.push(...b);
  return { events, problems };
}

const flat = (i: number) => ({ EventID: 13, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'H', RecordNumber: i, TargetObject: `${RUN}"\\{[`, UtcTime: '2024-05-01 10:00:00.123' });
const TEXTS: ReadonlyArray<readonly [string, string, TextReader]> = [
  ['NDJSON', [1, 2, 3].map((i) => JSON.stringify(flat(i))).join('\r\n') + '\r\n', readJsonText],
  ['a pretty-printed array', JSON.stringify([flat(1), flat(2)], null, 2), readJsonText],
  ['EvtxECmd CSV with quoted payloads', 'RecordNumber,EventRecordId,TimeCreated,EventId,Provider,Channel,Computer,Payload\r\n' +
    [1, 2].map((i) => `${i},${i},2024-05-01 10:00:0${i}.1234567,13,Microsoft-Windows-Sysmon,Microsoft-Windows-Sysmon/Operational,H,"{""EventData"":{""Data"":[{""@Name"":""TargetObject"",""#text"":""a\r\nb""}]}}"`).join('\r\n') + '\r\n', readCsvText],
];

describe('text readers across chunk boundaries', () => {
  it('gives the same events wherever the text is cut in two (including inside the <Event> start tag)', async () => {
    const whole = await readChunks([DOC]);
    expect(whole.problems).toEqual([]);
    expect(whole.events.map((e) => e.ref.recordId)).toEqual([1, 2]);
    for (let k = 1; k < DOC.length; k++) {
      const r = await readChunks([DOC.slice(0, k), DOC.slice(k)]);
      expect(r.problems, `cut at ${k}`).toEqual([]);
      expect(r.events, `cut at ${k}`).toEqual(whole.events);
    }
  });

  it('gives the same events when every chunk is one character', async () => {
    const whole = await readChunks([DOC]);
    const r = await readChunks([...DOC]);
    expect(r.problems).toEqual([]);
    expect(r.events).toEqual(whole.events);
  });

  for (const [what, doc, reader] of TEXTS) {
    it(`reads ${what} the same wherever it is cut in two, and one character at a time`, async () => {
      const whole = await readChunks([doc], reader);
      expect(whole.problems).toEqual([]);
      expect(whole.events.length).toBeGreaterThan(1);
      for (let k = 1; k < doc.length; k++) {
        const r = await readChunks([doc.slice(0, k), doc.slice(k)], reader);
        expect(r.problems, `cut at ${k}`).toEqual([]);
        expect(r.events, `cut at ${k}`).toEqual(whole.events);
      }
      expect(await readChunks([...doc], reader)).toEqual(whole);
    });
  }
});
