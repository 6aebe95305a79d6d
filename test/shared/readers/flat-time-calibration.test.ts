// The 'flat' layout (OTRF / nxlog / Splunk) learns how far a stream's TimeCreated is from UTC from
// Sysmon events that carry both TimeCreated and their own UtcTime, and corrects the events that
// have only TimeCreated (Security), including the ones read before the first Sysmon event.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { normalize } from '../../../shared/normalize/normalize';
import type { RawEvent } from '../../../shared/model/raw-event';
import { readBytes, utf8 } from './read-helpers';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

const security = (record: number, timeCreated: string) => ({
  EventID: 4657, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', Hostname: 'WS1', RecordNumber: record, TimeCreated: timeCreated,
  ObjectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', ObjectValueName: 'X', NewValue: 'C:\\x.exe', OperationType: '%%1904',
  ProcessId: '0x10', ProcessName: 'C:\\Windows\\System32\\reg.exe', SubjectUserName: 'bob', SubjectDomainName: 'CORP',
});
const sysmon = (record: number, timeCreated: string, utc: string) => ({
  EventID: 13, Channel: SYSMON, SourceName: 'Microsoft-Windows-Sysmon', Hostname: 'WS1', RecordNumber: record, TimeCreated: timeCreated, UtcTime: utc,
  EventType: 'SetValue', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\X', Details: 'C:\\x.exe', Image: 'C:\\Windows\\System32\\reg.exe', ProcessId: '16',
});

async function read(objects: object[]): Promise<RawEvent[]> {
  const r = await readBytes(utf8(objects.map((o) => JSON.stringify(o)).join('\n')), 'flat.json');
  expect(r.problems).toEqual([]);
  return r.events;
}

const timeOf = (events: RawEvent[], record: number) => events.find((e) => e.ref.recordId === record)?.system.timeCreated;

describe('flat layout: TimeCreated calibrated against Sysmon UtcTime', () => {
  it('corrects Security events read before and after the first Sysmon event by the learned offset (TimeCreated written in local time with a "Z")', async () => {
    const events = await read([
      security(1, '2024-05-01T12:00:00.250Z'),
      security(2, '2024-05-01T12:00:01.999Z'),
      sysmon(3, '2024-05-01T12:00:02.000Z', '2024-05-01 10:00:01.998'), // logged 2 ms after it happened, 2 h off
      security(4, '2024-05-01T12:00:05.5Z'),
    ]);
    expect(events.map((e) => e.ref.recordId)).toEqual([1, 2, 3, 4]);
    expect(timeOf(events, 1)).toBe('2024-05-01T10:00:00.250Z');
    expect(timeOf(events, 2)).toBe('2024-05-01T10:00:01.999Z');
    expect(timeOf(events, 3)).toBe('2024-05-01T10:00:01.998Z'); // Sysmon: its own UtcTime
    expect(timeOf(events, 4)).toBe('2024-05-01T10:00:05.5Z'); // the source's precision is kept
    const n = normalize(events[0]);
    expect(n).toMatchObject({ kind: 'registry', time: '2024-05-01T10:00:00.250Z', timeMs: Date.UTC(2024, 4, 1, 10, 0, 0, 250) });
  });

  it('learns offsets that are not whole hours (+05:30, rounded to the quarter hour) from TimeCreated without a zone', async () => {
    const events = await read([
      security(1, '2024-05-01 15:30:00.1234567'),
      sysmon(2, '2024-05-01 15:30:00.9000000', '2024-05-01 10:00:00.880'),
    ]);
    expect(timeOf(events, 1)).toBe('2024-05-01T10:00:00.1234567Z');
  });

  it('leaves TimeCreated as written when the stream has no Sysmon event to learn from, or the offset is zero', async () => {
    expect(timeOf(await read([security(1, '2024-05-01T12:00:00.250Z')]), 1)).toBe('2024-05-01T12:00:00.250Z');
    const same = await read([security(1, '2024-05-01T10:00:00.250Z'), sysmon(2, '2024-05-01T10:00:01.000Z', '2024-05-01 10:00:00.999')]);
    expect(timeOf(same, 1)).toBe('2024-05-01T10:00:00.250Z');
  });
});

const d = HAVE_SAMPLES ? describe : describe.skip;
if (!HAVE_SAMPLES) console.warn(`[skip] OTRF time-calibration test: ${NO_SAMPLES_REASON}`);

d('flat layout calibration on a real OTRF export', () => {
  it('psh_mshta (TimeCreated is local time marked "Z", 4 h off): Sysmon times equal UtcTime, Security times land in the Sysmon window', async () => {
    const rel = 'OTRF_Security-Datasets/datasets/atomic/windows/defense_evasion/host/psh_mshta_html_application_execution.zip';
    const r = await readBytes(new Uint8Array(readFileSync(samplePath(rel))), rel);
    expect(r.problems).toEqual([]);
    const sys = r.events.filter((e) => e.system.channel === SYSMON);
    const sec = r.events.filter((e) => e.system.channel === 'Security');
    expect(sys.length).toBeGreaterThan(1000);
    expect(sec.length).toBeGreaterThan(200);
    for (const e of sys) expect(e.system.timeCreated).toBe(`${String(e.data.UtcTime).replace(' ', 'T')}Z`);
    const sysMs = sys.map((e) => Date.parse(e.system.timeCreated ?? '')).sort((a, b) => a - b);
    const [lo, hi] = [sysMs[0], sysMs[sysMs.length - 1]];
    expect(hi - lo).toBeLessThan(60_000); // one short atomic test
    for (const e of sec) {
      const t = Date.parse(e.system.timeCreated ?? '');
      expect(t).toBeGreaterThanOrEqual(lo - 60_000);
      expect(t).toBeLessThanOrEqual(hi + 60_000);
    }
    // the file's own first line: the audit log cleared at "03:52:01.720Z", which was 07:52:01.720 UTC
    const cleared = sec.find((e) => e.system.eventId === 1102);
    expect(cleared?.ref.line).toBe(1);
    expect(cleared?.system.timeCreated).toBe('2020-10-22T07:52:01.720Z');
    expect(normalize(sys.find((e) => e.system.eventId === 1) as RawEvent)?.time).toMatch(/^2020-10-22T07:52:\d\d\.\d{3}Z$/);
  });
});
