// Child process of huge-value.test.ts (and a measuring script on its own):
//   node --import tsx test/shared/readers/huge-value-child.ts xml|json|csv|xml-attribute MB
// reads a generated export whose first event holds one value of MB megabytes (ScriptBlockText; for
// xml-attribute, an attribute of its <Data> element),
// followed by a second, small event, through readEvidence, and prints one JSON line: the peak RSS
// growth (the kernel's maxRSS after minus the RSS before), the events' shape and the problems.
// The evidence is generated on demand by the ByteSource, so the input itself is never in memory:
// what grows is what the reader holds.

import { readEvidence } from '../../../shared/readers/read-evidence';
import type { ByteSource } from '../../../shared/readers/types';
import type { Problem } from '../../../shared/model/problems';
import type { RawValue } from '../../../shared/model/raw-event';

export type HugeFormat = 'xml' | 'json' | 'csv' | 'xml-attribute';

/** The value's text: printable, no character any of the formats escapes, not one repeated byte. */
export function fillerAt(i: number): number {
  return 0x41 + ((i * 7) % 26); // A..Z
}

/** Head and tail around the huge value, and the event after it, per format. */
export function hugeLayout(format: HugeFormat): { head: string; tail: string } {
  switch (format) {
    case 'xml': {
      const sys = (rid: number) =>
        `<System><Provider Name="Microsoft-Windows-PowerShell"/><EventID>4104</EventID><TimeCreated SystemTime="2024-05-01T10:00:0${rid}.0000000Z"/><EventRecordID>${rid}</EventRecordID><Channel>Microsoft-Windows-PowerShell/Operational</Channel><Computer>HOST1</Computer></System>`;
      return {
        head: `<?xml version="1.0" encoding="utf-8"?>\n<Events>\n<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${sys(1)}\n<EventData><Data Name="MessageNumber">1</Data><Data Name="ScriptBlockText">`,
        tail: `</Data><Data Name="ScriptBlockId">{aaaa}</Data><Data Name="Path">C:\\x.ps1</Data></EventData></Event>\n<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">${sys(2)}<EventData><Data Name="ScriptBlockText">small</Data></EventData></Event>\n</Events>\n`,
      };
    }
    case 'xml-attribute': {
      const { head, tail } = hugeLayout('xml');
      return { head: head.replace(/>$/, ' Hint="'), tail: `">script${tail}` };
    }
    case 'json':
      return {
        head: '{"EventID":4104,"Channel":"Microsoft-Windows-PowerShell/Operational","Hostname":"HOST1","RecordNumber":1,"MessageNumber":"1","ScriptBlockText":"',
        tail: '","ScriptBlockId":"{aaaa}","Path":"C:\\\\x.ps1"}\n{"EventID":4104,"Channel":"Microsoft-Windows-PowerShell/Operational","Hostname":"HOST1","RecordNumber":2,"ScriptBlockText":"small"}\n',
      };
    case 'csv':
      return {
        head: 'EventID,Channel,Computer,RecordNumber,MessageNumber,ScriptBlockText,ScriptBlockId,Path\n4104,Microsoft-Windows-PowerShell/Operational,HOST1,1,1,"',
        tail: '",{aaaa},C:\\x.ps1\n4104,Microsoft-Windows-PowerShell/Operational,HOST1,2,1,small,{bbbb},C:\\y.ps1\n',
      };
  }
}

/** A ByteSource of head + `valueBytes` filler + tail, made on demand. */
export function hugeSource(format: HugeFormat, valueBytes: number): ByteSource {
  const { head, tail } = hugeLayout(format);
  const h = new TextEncoder().encode(head);
  const t = new TextEncoder().encode(tail);
  const size = h.length + valueBytes + t.length;
  return {
    size,
    read: async (offset, length) => {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k++) {
        const i = offset + k;
        out[k] = i < h.length ? h[i] : i < h.length + valueBytes ? fillerAt(i - h.length) : t[i - h.length - valueBytes];
      }
      return out;
    },
  };
}

export interface HugeReport {
  rssBefore: number;
  peakGrowth: number;
  ms: number;
  events: Array<{ recordId: number | undefined; fields: Record<string, { length: number; fillerOk?: boolean } | RawValue> }>;
  problems: Problem[];
}

async function main(): Promise<void> {
  const format = process.argv[2] as HugeFormat;
  const mb = Number(process.argv[3] ?? '60');
  const valueBytes = Math.round(mb * 1024 * 1024);
  const src = hugeSource(format, valueBytes);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const problems: Problem[] = [];
  const events: HugeReport['events'] = [];
  const t0 = Date.now();
  for await (const batch of readEvidence(src, { file: `huge.${format.replace('-attribute', '')}`, onProblem: (p) => problems.push(p) })) {
    for (const e of batch) {
      const fields: HugeReport['events'][number]['fields'] = {};
      for (const [k, v] of Object.entries(e.data)) {
        if (typeof v === 'string' && v.length > 64) {
          let ok = true;
          for (let i = 0; i < v.length && ok; i++) ok = v.charCodeAt(i) === fillerAt(i);
          fields[k] = { length: v.length, fillerOk: ok };
        } else fields[k] = v;
      }
      events.push({ recordId: e.system.recordId, fields });
    }
  }
  const ms = Date.now() - t0;
  // ru_maxrss is the kernel's own peak, so no sampling can miss it (kilobytes)
  const peakGrowth = process.resourceUsage().maxRSS * 1024 - rssBefore;
  const report: HugeReport = { rssBefore, peakGrowth, ms, events, problems };
  process.stdout.write(JSON.stringify(report) + '\n');
}

if (process.argv[1]?.endsWith('huge-value-child.ts')) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String((err as Error).stack ?? err)}\n`);
    process.exit(1);
  });
}
