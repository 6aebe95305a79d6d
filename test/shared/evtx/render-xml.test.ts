// renderEvtxRecordXml gives well-formed XML whose fields agree with the extracted RawEvent.
import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readEvtx, renderEvtxRecordXml } from '../../../shared/evtx/reader';
import { collect } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { fileSource } from './reference-parsers';

describe.skipIf(!HAVE_SAMPLES)('EVTX record XML rendering', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);

  it('renders well-formed Sysmon records whose fields match the extracted event', async () => {
    const src = fileSource(samplePath('omerbenamram_evtx/samples/sysmon.evtx'));
    try {
      const events = await collect(readEvtx(src, { file: 'sysmon.evtx', onProblem: () => {} }));
      const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, processEntities: true, trimValues: false });
      const picks = [0, 1, 57, 200, events.length - 1].map((i) => events[i]);
      for (const e of picks) {
        const xml = await renderEvtxRecordXml(src, { chunk: e.ref.chunk!, offset: e.ref.offset! });
        expect(xml).toBeDefined();
        expect(XMLValidator.validate(xml!)).toBe(true);
        const doc = parser.parse(xml!) as { Event: { '@xmlns': string; System: Record<string, unknown>; EventData: { Data: { '@Name': string; '#text'?: string }[] } } };
        expect(doc.Event['@xmlns']).toBe('http://schemas.microsoft.com/win/2004/08/events/event');
        const sys = doc.Event.System as { EventID: string; Computer: string; EventRecordID: string; TimeCreated: { '@SystemTime': string } };
        expect(Number(sys.EventID)).toBe(e.system.eventId);
        expect(sys.Computer).toBe(e.system.computer);
        expect(Number(sys.EventRecordID)).toBe(e.system.recordId);
        expect(sys.TimeCreated['@SystemTime']).toBe(e.system.timeCreated);
        const data = Object.fromEntries(doc.Event.EventData.Data.map((d) => [d['@Name'], d['#text'] ?? '']));
        expect(data).toEqual(e.data);
      }
    } finally {
      src.close();
    }
  });
});
