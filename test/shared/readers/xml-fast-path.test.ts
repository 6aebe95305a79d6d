// The XML fast path (xml-event-fast.ts) must give exactly what the fast-xml-parser path gives, and
// must decline everything outside its subset. Compared on every record of the SigmaHQ regression
// EVTX files rendered to XML by our EVTX reader, and on hand-written edge cases.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { parseEventXml, parseEventXmlFull } from '../../../shared/readers/xml-event';
import { scanEventLeaves } from '../../../shared/readers/xml-event-fast';
import { renderEvtxRecordXml } from '../../../shared/evtx/reader';
import { bytesSource } from '../../../shared/readers/types';
import { readBytes } from './read-helpers';

const NS = 'xmlns="http://schemas.microsoft.com/win/2004/08/events/event"';

describe('XML fast path', () => {
  const taken = [
    `<Event ${NS}><System><Provider Name="A &amp; B" Guid='{1}'/><EventID Qualifiers="16384">7036</EventID><TimeCreated SystemTime="2024-01-01T00:00:00.123456789Z"/></System><EventData><Data Name="x">  a &lt; b &#x41;&#65; </Data><Data Name="e"/><Data Name="w">   </Data><Data>unnamed</Data><Data>second</Data><Data Name="x">again</Data><Binary>0A0B</Binary></EventData><RenderingInfo Culture="en-US"><Message>m <b>x</b></Message></RenderingInfo></Event>`,
    `<e:Event xmlns:e="http://x">\r\n <e:System>\r\n  <e:EventID>4</e:EventID>\r\n  <e:Computer> host </e:Computer>\r\n </e:System>\r\n <e:EventData>\r\n  <e:Data e:Name="q">v</e:Data>\r\n </e:EventData>\r\n</e:Event>`,
    `<Event><EventData>text only &amp; more</EventData></Event>`,
    `<Event><System><EventID>1</EventID></System><EventData/></Event>`,
    `<Event/>`,
  ];
  const declined = [
    `<Event><UserData><Foo xmlns="urn:x"><Bar>1</Bar></Foo></UserData></Event>`,
    `<Event><EventData><Data Name="a"><![CDATA[<x>]]></Data></EventData></Event>`,
    `<Event><!-- c --><System/></Event>`,
    `<Event><EventData><ComplexData Name="c"><Data Name="a">1</Data></ComplexData></EventData></Event>`,
    `<Event><System><EventID>1</EventID></System></Evnt>`,
    `<Event><System><EventID>1</System></Event>`,
    `<Event><System></System>`,
    `<Event><System><Provider Name=A/></System></Event>`,
    `<Events><Event/></Events>`,
    ``,
    `<Event/><Event/>`,
  ];

  it('takes the fast path for plain event XML and gives what fast-xml-parser gives', () => {
    for (const x of taken) {
      expect(scanEventLeaves(x), x).toBeDefined();
      expect(parseEventXml(x), x).toEqual(parseEventXmlFull(x));
    }
    expect(parseEventXml(taken[0]).data).toMatchObject({ x: ['  a < b AA ', 'again'], e: '', w: '   ', Data0: 'unnamed', Data1: 'second', Binary: '0A0B' });
    expect(parseEventXml(taken[0]).system).toMatchObject({ provider: 'A & B', eventId: 7036, qualifiers: 16384, timeCreated: '2024-01-01T00:00:00.1234567Z' });
  });

  it('declines comments, CDATA, UserData, nested data and malformed tags (the full parser decides)', () => {
    for (const x of declined) expect(scanEventLeaves(x), x).toBeUndefined();
    expect(parseEventXml(declined[0]).data).toEqual({ Bar: '1' });
    expect(parseEventXml(declined[1]).data).toEqual({ a: '<x>' });
  });
});

const d = HAVE_SAMPLES ? describe : describe.skip;
if (!HAVE_SAMPLES) console.warn(`[skip] XML fast-path comparison on real records: ${NO_SAMPLES_REASON}`);

function evtxFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) evtxFiles(p, out);
    else if (n.endsWith('.evtx')) out.push(p);
  }
  return out;
}

d('XML fast path on real records', () => {
  it('gives the same System and EventData as fast-xml-parser for every SigmaHQ regression record rendered to XML', async () => {
    let compared = 0;
    let fast = 0;
    for (const f of evtxFiles(samplePath('SigmaHQ_sigma/regression_data'))) {
      const bytes = new Uint8Array(readFileSync(f));
      const r = await readBytes(bytes, f);
      // the allocated records (carved slack records, ref.recovered, are other events of other logs)
      for (const e of r.events.filter((x) => !x.ref.recovered)) {
        const xml = await renderEvtxRecordXml(bytesSource(bytes), { chunk: e.ref.chunk ?? 0, offset: e.ref.offset ?? 0 });
        expect(xml, f).toBeDefined();
        if (!xml) continue;
        if (scanEventLeaves(xml)) fast++;
        expect(parseEventXml(xml), `${f} record ${e.ref.recordId}`).toEqual(parseEventXmlFull(xml));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
    expect(fast).toBeGreaterThan(compared * 0.9);
  }, 60_000);
});
