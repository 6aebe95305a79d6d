import { describe, expect, it } from 'vitest';
import { canonicalGuid } from '../../../shared/normalize/canonical-values';
import { normalize } from '../../../shared/normalize/normalize';
import type { ProcessEvent } from '../../../shared/model/events';
import type { RawEvent } from '../../../shared/model/raw-event';
import { SECURITY_PROVIDER, SYSMON_CHANNEL, SYSMON_PROVIDER } from '../../../shared/model/event-schemas';

describe('canonicalGuid', () => {
  it('gives every spelling of a GUID as {lower-case}', () => {
    const want = '{5aa13a44-0d08-68fc-dc1d-000000004002}';
    for (const g of ['{5AA13A44-0D08-68FC-DC1D-000000004002}', '5aa13a44-0d08-68fc-dc1d-000000004002', ' {5aa13a44-0d08-68fc-dc1d-000000004002} ', '5AA13A44-0D08-68FC-DC1D-000000004002']) {
      expect(canonicalGuid(g), g).toBe(want);
    }
  });

  it('leaves anything that is not a GUID as it is', () => {
    for (const s of ['{A}', '', '-', '5aa13a44-0d08-68fc-dc1d-00000000400', '{5aa13a44-0d08-68fc-dc1d-000000004002}x']) expect(canonicalGuid(s)).toBe(s);
  });

  it('makes the ProcessGuids of one process equal whether read from EVTX, evtx_dump or EvtxECmd', () => {
    const raw = (guid: string): RawEvent => ({
      ref: { file: 'a', format: 'json' }, layout: 'windows-event',
      system: { provider: SYSMON_PROVIDER, channel: SYSMON_CHANNEL, eventId: 1, computer: 'H' },
      data: { ProcessGuid: guid, ParentProcessGuid: guid.toLowerCase(), Image: 'C:\\x.exe' },
    });
    const a = normalize(raw('{5AA13A44-0D08-68FC-DC1D-000000004002}')) as ProcessEvent;
    const b = normalize(raw('5AA13A44-0D08-68FC-DC1D-000000004002')) as ProcessEvent;
    expect(a.process.processGuid).toBe('{5aa13a44-0d08-68fc-dc1d-000000004002}');
    expect(b.process.processGuid).toBe(a.process.processGuid);
    expect(b.parent.processGuid).toBe(a.process.processGuid);
  });
});

describe('4688 account of the new process', () => {
  const ev = (target: Record<string, string>): RawEvent => ({
    ref: { file: 's', format: 'xml' }, layout: 'windows-event',
    system: { provider: SECURITY_PROVIDER, channel: 'Security', eventId: 4688, computer: 'H' },
    data: { SubjectUserSid: 'S-1-5-21-1-2-3-1001', SubjectUserName: 'bob', SubjectDomainName: 'CORP', NewProcessId: '0x10', NewProcessName: 'C:\\x.exe', ProcessId: '0x4', ...target },
  });

  it('is the Subject (the creator) when Target is the NULL SID and "-"', () => {
    const n = normalize(ev({ TargetUserSid: 'S-1-0-0', TargetUserName: '-', TargetDomainName: '-' })) as ProcessEvent;
    expect(n.user).toBe('CORP\\bob');
    expect(n.userSid).toBe('S-1-5-21-1-2-3-1001');
  });

  it('is the Target when the new process runs as another account', () => {
    const n = normalize(ev({ TargetUserSid: 'S-1-5-21-1-2-3-500', TargetUserName: 'admin', TargetDomainName: 'CORP' })) as ProcessEvent;
    expect(n.user).toBe('CORP\\admin');
    expect(n.userSid).toBe('S-1-5-21-1-2-3-500');
    expect(n.parent.user).toBe('CORP\\bob');
  });

  it('is the Subject for 4688 version 0/1 that has no Target fields', () => {
    const n = normalize(ev({})) as ProcessEvent;
    expect(n.user).toBe('CORP\\bob');
  });
});
