import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../../shared/readers/read-evidence';
import { gzipSync, zipSync } from 'fflate';
import { makeTar, readBytes, SYSMON13_XML, utf16, utf8, withUtf8Bom } from './read-helpers';

const RUN = 'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater';
const XML = `<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n${SYSMON13_XML(7, RUN)}\r\n${SYSMON13_XML(8, RUN + '2')}\r\n</Events>\r\n`;
const JSON_TEXT = [1, 2].map((i) => JSON.stringify({ EventID: 13, Channel: 'microsoft-windows-sysmon/operational', Hostname: 'HOST-Ä1', SourceName: 'Microsoft-Windows-Sysmon', RecordNumber: i, UtcTime: '2024-05-01 10:00:00.123', TargetObject: RUN, Details: 'C:\\evil.exe', Image: 'C:\\evil.exe', '@version': '1', port: 5 })).join('\n') + '\n';
const CSV = 'Timestamp,DeviceName,ActionType,RegistryKey,RegistryValueName,RegistryValueData,InitiatingProcessFileName\r\n' +
  '2026-03-01T17:01:50.123Z,WS-Ä1,RegistryValueSet,HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run,Updater,"mshta ""http://x""\r\nsecond line",explorer.exe\r\n' +
  '2026-03-01T17:01:51Z,WS-Ä1,RegistryValueSet,HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run,Other,x,explorer.exe\r\n';

const encodings: Array<[string, (s: string) => Uint8Array]> = [
  ['UTF-8', utf8],
  ['UTF-8 BOM', withUtf8Bom],
  ['UTF-16LE BOM', (s) => utf16(s, true, true)],
  ['UTF-16BE BOM', (s) => utf16(s, false, true)],
  ['UTF-16LE without BOM', (s) => utf16(s, true, false)],
];

describe('the same evidence in every text encoding gives the same events', () => {
  for (const [what, text] of [['XML', XML], ['JSON', JSON_TEXT], ['CSV', CSV]] as const) {
    it(`reads ${what} identically in UTF-8, UTF-8 BOM, UTF-16 LE / BE`, async () => {
      const results = await Promise.all(encodings.map(([, enc]) => readBytes(enc(text), 'x.dat')));
      const base = results[0];
      expect(base.problems).toEqual([]);
      expect(base.events.length).toBe(2);
      for (const r of results.slice(1)) {
        expect(r.problems).toEqual([]);
        expect(r.events).toEqual(base.events);
      }
    });
  }

  it('maps the XML System header, EventData (entities, CDATA) and drops RenderingInfo', async () => {
    const { events } = await readBytes(utf16(XML, true, true), 'x.log');
    const e = events[0];
    expect(e.layout).toBe('windows-event');
    expect(e.ref).toMatchObject({ format: 'xml', line: 3, recordId: 7 });
    expect(events[1].ref.line).toBe(3 + SYSMON13_XML(7, RUN).split('\n').length);
    expect(e.system).toMatchObject({ provider: 'Microsoft-Windows-Sysmon', eventId: 13, timeCreated: '2024-05-01T10:00:07.1234567Z', processId: 3000, threadId: 4000, computer: 'HOST-Ä1', userSid: 'S-1-5-18', channel: 'Microsoft-Windows-Sysmon/Operational' });
    expect(e.data.RuleName).toBe('T1547 & run');
    expect(e.data.Details).toBe('C:\\evil.exe -a "<x>"');
    expect(e.data.TargetObject).toBe(RUN);
    expect(e.data.Message).toBeUndefined();
  });

  it('maps CSV rows with quoted newlines and keeps later line numbers right', async () => {
    const { events } = await readBytes(utf8(CSV), 'x.txt');
    expect(events.map((e) => e.ref.line)).toEqual([2, 4]);
    expect(events[0].data.RegistryValueData).toBe('mshta "http://x"\r\nsecond line');
    expect(events[0].table).toBe('DeviceRegistryEvents');
    expect(events[0].system).toEqual({ computer: 'WS-Ä1', timeCreated: '2026-03-01T17:01:50.123Z' });
  });

  it('canonicalises lower-case channels and drops collector metadata in flat JSON', async () => {
    const { events } = await readBytes(utf8(JSON_TEXT), 'x');
    expect(events[0].system.channel).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(events[0].data['@version']).toBeUndefined();
    expect(events[0].data.port).toBeUndefined();
    expect(events[0].system.timeCreated).toBe('2024-05-01T10:00:00.123Z');
  });
});

describe('format sniffing looks at content, not the name', () => {
  const xml = utf8(XML);
  const json = utf8(JSON_TEXT);
  const cases: Array<[string, Uint8Array, string]> = [
    ['XML named .csv', xml, 'xml'],
    ['wevtutil XML without a root', utf8(SYSMON13_XML(1, RUN)), 'xml'],
    ['JSON named .xml', json, 'json'],
    ['JSON array', utf8('[\n {"EventID": 1}]'), 'json'],
    ['CSV named .json', utf8(CSV), 'csv'],
    ['zip named .json', zipSync({ 'a.json': json }), 'zip'],
    ['gzip named .evtx', gzipSync(json), 'gzip'],
    ['tar named .zip', makeTar([['a.json', json]]), 'tar'],
    ['EVTX signature', utf8('ElfFile\0' + ' '.repeat(120)), 'evtx'],
    ['UTF-16LE XML without BOM', utf16(XML, true, false), 'xml'],
    ['plain prose', utf8('hello, this is not evidence\n'), 'unknown'],
    ['nothing', new Uint8Array(0), 'empty'],
  ];
  for (const [what, bytes, format] of cases) {
    it(`recognises ${what} as ${format}`, () => {
      expect(sniffFormat(bytes).format).toBe(format);
    });
  }
});
