// The text writers' quoting and escaping: RFC 4180 CSV, XML escaping of attacker-chosen strings,
// one NDJSON document per line.

import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { XMLParser } from 'fast-xml-parser';
import { csvField } from '../../../shared/generator/writers/csv-writer';
import { escapeXml } from '../../../shared/generator/writers/xml-writer';
import { generateToMemory } from '../../../shared/generator/generate';

describe('text writers', () => {
  it('quotes CSV fields with commas, quotes and line breaks and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    const row = ['rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";x', '=cmd|x', 'ok'];
    const parsed = Papa.parse<string[]>(row.map(csvField).join(','), { header: false });
    expect(parsed.data[0]).toEqual(row);
  });

  it('escapes markup in XML text and attributes', () => {
    expect(escapeXml(`<a href='x'>&"`)).toBe('&lt;a href=&apos;x&apos;&gt;&amp;&quot;');
  });

  it('writes Defender CSV that papaparse reads back with the header columns and every row complete', () => {
    const { files, key } = generateToMemory({ scenario: 'defender-fleet', seed: 5, hosts: 2, events: 200, format: 'csv' });
    const text = new TextDecoder().decode(files.get('DeviceRegistryEvents.csv'));
    const parsed = Papa.parse<Record<string, string>>(text.trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.length).toBe(key.files.find((f) => f.file === 'DeviceRegistryEvents.csv')?.records);
    const rundll = parsed.data.find((r) => r.RegistryValueData.startsWith('rundll32.exe javascript:'));
    expect(rundll?.RegistryKey).toMatch(/^HKEY_CURRENT_USER\\S-1-5-21-[\d-]+\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce$/);
  });

  it('writes XML that parses as one <Events> document and NDJSON with one JSON object per line', () => {
    const xml = generateToMemory({ scenario: 'classroom-basics', seed: 5, events: 100, format: 'xml' });
    for (const [name, bytes] of xml.files) {
      if (!name.endsWith('.xml')) continue;
      const doc = new XMLParser({ ignoreAttributes: false }).parse(new TextDecoder().decode(bytes)) as { Events: { Event: unknown[] } };
      expect(doc.Events.Event.length).toBe(xml.key.files.find((f) => f.file === name)?.records);
    }
    const nd = generateToMemory({ scenario: 'classroom-basics', seed: 5, events: 100, format: 'ndjson' });
    const lines = new TextDecoder().decode(nd.files.get('events.ndjson')).trimEnd().split('\n');
    for (const l of lines) expect((JSON.parse(l) as { winlog: { event_data: object } }).winlog.event_data).toBeTypeOf('object');
  });
});
