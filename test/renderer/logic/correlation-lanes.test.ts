import { describe, expect, it } from 'vitest';
import type { EventLink } from '../../../shared/model/finding';
import { correlationLanes, laneTimes, sightingLabel, sightingText } from '../../../renderer/logic/correlation-lanes';
import { finding } from './fixtures';

const created: EventLink = {
  key: 'e.evtx#k1',
  kind: 'registry',
  time: '2024-03-01T09:59:50.000Z',
  ref: { file: 'e.evtx', format: 'evtx', recordId: 7 },
  summary: 'regedit.exe created HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\New Key #1',
};

const security4657 = { key: 'sec.evtx#55', ref: { file: 'sec.evtx', format: 'evtx' as const, recordId: 55 }, eventId: 4657, source: 'security' };
const defenderRow = { key: 'dev.csv#3', ref: { file: 'dev.csv', format: 'csv' as const, line: 3 }, source: 'defender' };

describe('correlation lanes', () => {
  it('adds no key-created lane when the key was not renamed into place', () => {
    const ids = correlationLanes(finding({ id: 'a' })).map((l) => l.id);
    expect(ids).toEqual(['process', 'payload', 'write', 'execution', 'deletion']);
  });

  it('puts the creation of a renamed key in its own lane just before the write', () => {
    const f = finding({ id: 'b', correlation: { writerAncestors: [], payloadCreated: [], executions: [], deletions: [], keyCreated: [created] } });
    const lanes = correlationLanes(f);
    expect(lanes.map((l) => l.id)).toEqual(['process', 'payload', 'key-created', 'write', 'execution', 'deletion']);
    const lane = lanes.find((l) => l.id === 'key-created');
    expect(lane?.items).toHaveLength(1);
    expect(lane?.items[0].role).toBe('key-created');
    expect(lane?.items[0].link.key).toBe('e.evtx#k1');
    expect(laneTimes(lanes)).toContain(Date.parse(created.time));
  });

  it('marks the write with every other source that logged it', () => {
    const f = finding({ id: 'c', evidence: { key: 'e.evtx#c', ref: { file: 'e.evtx', format: 'evtx', recordId: 9 }, eventId: 13, source: 'sysmon' }, alsoSeenIn: [security4657, defenderRow] });
    const write = correlationLanes(f).find((l) => l.id === 'write')?.items[0];
    expect(write?.alsoSeen).toEqual(['Security 4657', 'Defender']);
    expect(write?.link.alsoSeenIn?.map((s) => s.key)).toEqual(['sec.evtx#55', 'dev.csv#3']);
  });

  it('carries the other sources of linked events too', () => {
    const proc: EventLink = { ...created, key: 'e.evtx#p', kind: 'process', summary: 'reg.exe add', alsoSeenIn: [{ ...security4657, key: 'sec.evtx#60', eventId: 4688 }] };
    const f = finding({ id: 'd', correlation: { writerProcess: proc, writerAncestors: [], payloadCreated: [], executions: [], deletions: [] } });
    const chain = correlationLanes(f).find((l) => l.id === 'process')?.items;
    expect(chain?.map((i) => i.alsoSeen)).toEqual([['Security 4688']]);
    expect(correlationLanes(finding({ id: 'e' })).find((l) => l.id === 'write')?.items[0].alsoSeen).toEqual([]);
  });
});

describe('sighting text', () => {
  it('names the log, event id, file and record or line', () => {
    expect(sightingText(security4657)).toBe('also seen in Security 4657, file sec.evtx, record 55');
    expect(sightingText(defenderRow)).toBe('also seen in Defender, file dev.csv, line 3');
    expect(sightingLabel({ source: 'sysmon', eventId: 13 })).toBe('Sysmon 13');
    expect(sightingLabel({ source: 'powershell', eventId: 4104 })).toBe('PowerShell 4104');
  });

  it('shows a write read off a PowerShell log as the process that ran it, with its other parts', () => {
    const part2 = { key: 'ps.evtx#2', ref: { file: 'ps.evtx', format: 'evtx' as const, recordId: 2 }, eventId: 4104, source: 'powershell' };
    const f = finding({ id: 's', basis: 'script', evidence: { key: 'ps.evtx#1', ref: { file: 'ps.evtx', format: 'evtx', recordId: 1 }, eventId: 4104, source: 'powershell' }, alsoSeenIn: [part2] });
    const write = correlationLanes(f).find((l) => l.id === 'write')?.items[0];
    expect(write?.link.kind).toBe('process');
    expect(write?.alsoSeen).toEqual(['PowerShell 4104']);
  });
});
