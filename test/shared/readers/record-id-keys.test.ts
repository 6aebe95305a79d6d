// Exports of many hosts repeat record ids (each host's log numbers its own records): one NDJSON or
// CSV file then holds several events with the same EventRecordID. Their keys must differ, or the
// case would take two hosts' writes for one event.
import { describe, expect, it } from 'vitest';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource } from '../../../shared/readers/types';
import { normalize } from '../../../shared/normalize/normalize';
import { analyzeEvents } from '../../../shared/detect/engine';
import type { NormalizedEvent } from '../../../shared/model/events';

/** A Sysmon Run-key write as Winlogbeat ships it, from `host`, with the same record id everywhere. */
const doc = (host: string) => ({
  '@timestamp': '2024-05-01T10:00:00.000Z',
  host: { name: host },
  event: { code: '13', provider: 'Microsoft-Windows-Sysmon' },
  winlog: {
    channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 13, provider_name: 'Microsoft-Windows-Sysmon', record_id: 4711, computer_name: host,
    event_data: { EventType: 'SetValue', TargetObject: 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater', Details: `C:\\Users\\Public\\${host}.exe`, Image: 'C:\\Windows\\System32\\reg.exe', ProcessId: '42', UtcTime: '2024-05-01 10:00:00.000' },
  },
});

describe('event keys of exports from many hosts', () => {
  it('tell apart events of one NDJSON file that share a record id, and the case keeps each host\'s write', async () => {
    const hosts = ['WS1', 'WS2', 'WS3'];
    const text = hosts.map((h) => JSON.stringify(doc(h))).join('\n') + '\n';
    const events: NormalizedEvent[] = [];
    for await (const b of readEvidence(bytesSource(new TextEncoder().encode(text)), { file: 'fleet.ndjson', onProblem: () => undefined })) {
      for (const raw of b) {
        const ev = normalize(raw);
        if (ev) events.push(ev);
      }
    }
    expect(events.map((e) => e.ref.recordId)).toEqual([4711, 4711, 4711]);
    expect(new Set(events.map((e) => e.key)).size).toBe(3);
    const findings = analyzeEvents(events);
    expect(findings.map((f) => f.host).sort()).toEqual(hosts);
    expect(new Set(findings.map((f) => f.evidence.key)).size).toBe(3);
  });
});
