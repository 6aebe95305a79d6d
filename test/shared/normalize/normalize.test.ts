import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/normalize/normalize';
import type { RawEvent } from '../../../shared/model/raw-event';
import type { ProcessEvent, RegistryEvent, FileEvent } from '../../../shared/model/events';
import { SECURITY_PROVIDER, SYSMON_PROVIDER, SYSMON_CHANNEL } from '../../../shared/model/event-schemas';

const sid = 'S-1-5-21-1-2-3-1001';
function sysmon(eventId: number, data: Record<string, string>): RawEvent {
  return {
    ref: { file: 'x.evtx', format: 'evtx', recordId: 7 },
    layout: 'windows-event',
    system: { provider: SYSMON_PROVIDER, eventId, channel: SYSMON_CHANNEL, computer: 'WS1', timeCreated: '2026-01-05T06:29:01.0862530Z' },
    data,
  };
}

describe('normalize', () => {
  it('turns Sysmon 13 into a registry set-value with key and value split', () => {
    const ev = normalize(sysmon(13, {
      EventType: 'SetValue', UtcTime: '2026-01-05 06:29:01.070', ProcessGuid: '{A}', ProcessId: '9524',
      Image: 'C:\\Windows\\System32\\reg.exe', TargetObject: `HKU\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater`,
      Details: 'C:\\Users\\bob\\AppData\\Roaming\\u.exe', User: 'CORP\\bob',
    })) as RegistryEvent;
    expect(ev.kind).toBe('registry');
    expect(ev.action).toBe('set-value');
    expect(ev.registryKey).toBe(`HKU\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`);
    expect(ev.valueName).toBe('Updater');
    expect(ev.details).toBe('C:\\Users\\bob\\AppData\\Roaming\\u.exe');
    expect(ev.process).toEqual({ image: 'C:\\Windows\\System32\\reg.exe', pid: 9524, processGuid: '{A}' });
    expect(ev.host).toBe('WS1');
    expect(ev.user).toBe('CORP\\bob');
    expect(ev.time).toBe('2026-01-05T06:29:01.0862530Z');
    expect(ev.key).toBe('x.evtx#r7');
  });

  it('keeps the empty name of a value hidden from regedit ("...\\Run\\")', () => {
    const ev = normalize(sysmon(13, { EventType: 'SetValue', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\', Details: 'c:\\x.exe', Image: 'x' })) as RegistryEvent;
    expect(ev.registryKey).toBe('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(ev.valueName).toBe('');
  });

  it('keeps a created key as a key', () => {
    const ev = normalize(sysmon(12, { EventType: 'CreateKey', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce', Image: 'x' })) as RegistryEvent;
    expect(ev.action).toBe('create-key');
    expect(ev.registryKey).toBe('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce');
    expect(ev.valueName).toBeUndefined();
  });

  it('reads Security 4657 with hex pid, \\REGISTRY path and OperationType', () => {
    const ev = normalize({
      ref: { file: 's.xml', format: 'xml', recordId: 1 }, layout: 'windows-event',
      system: { provider: SECURITY_PROVIDER, eventId: 4657, channel: 'Security', computer: 'DC1', timeCreated: '2025-01-01T00:00:00.000Z' },
      data: {
        SubjectUserSid: sid, SubjectUserName: 'bob', SubjectDomainName: 'CORP', ObjectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
        ObjectValueName: 'Evil', OperationType: '%%1904', NewValue: 'C:\\evil.exe', ProcessId: '0x1a2c', ProcessName: 'C:\\Windows\\regedit.exe',
      },
    }) as RegistryEvent;
    expect(ev.source).toBe('security');
    expect(ev.targetObject).toBe('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Evil');
    expect(ev.process.pid).toBe(0x1a2c);
    expect(ev.user).toBe('CORP\\bob');
    expect(ev.details).toBe('C:\\evil.exe');
    expect(ev.originalPath).toBe('\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Evil');
  });

  it('reads a Defender registry row and canonicalises HKEY_CURRENT_USER\\<SID>', () => {
    const ev = normalize({
      ref: { file: 'd.csv', format: 'csv', line: 2 }, layout: 'defender', table: 'DeviceRegistryEvents', system: {},
      data: {
        Timestamp: '2026-03-01T17:01:50.000Z', DeviceName: 'CORP-WS-001', ActionType: 'RegistryValueSet',
        RegistryKey: `HKEY_CURRENT_USER\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`, RegistryValueName: 'x',
        RegistryValueData: 'mshta http://e/x', InitiatingProcessFileName: 'powershell.exe', InitiatingProcessFolderPath: 'c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe',
        InitiatingProcessAccountDomain: 'corp', InitiatingProcessAccountName: 'jsmith', InitiatingProcessId: '4074', InitiatingProcessSHA1: 'abc',
      },
    }) as RegistryEvent;
    expect(ev.registryKey).toBe(`HKU\\${sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`);
    expect(ev.process.image).toBe('c:\\windows\\system32\\windowspowershell\\v1.0\\powershell.exe');
    expect(ev.process.pid).toBe(4074);
    expect(ev.process.hashes).toBe('SHA1=abc');
    expect(ev.user).toBe('corp\\jsmith');
    expect(ev.timeMs).toBe(Date.UTC(2026, 2, 1, 17, 1, 50));
  });

  it('reads Sysmon 1 with parent', () => {
    const ev = normalize(sysmon(1, {
      ProcessGuid: '{P}', ProcessId: '10', Image: 'C:\\Windows\\System32\\reg.exe', CommandLine: 'reg add HKCU\\...\\Run',
      ParentProcessGuid: '{Q}', ParentProcessId: '9', ParentImage: 'C:\\Windows\\System32\\cmd.exe', User: 'CORP\\bob', Hashes: 'SHA256=AA',
    })) as ProcessEvent;
    expect(ev.kind).toBe('process');
    expect(ev.process.commandLine).toBe('reg add HKCU\\...\\Run');
    expect(ev.parent).toEqual({ image: 'C:\\Windows\\System32\\cmd.exe', pid: 9, processGuid: '{Q}' });
    expect(ev.process.hashes).toBe('SHA256=AA');
  });

  it('reads 4688 with hex ids and the target account', () => {
    const ev = normalize({
      ref: { file: 's.evtx', format: 'evtx', recordId: 2 }, layout: 'windows-event',
      system: { provider: SECURITY_PROVIDER, eventId: 4688, channel: 'Security', computer: 'H' },
      data: { NewProcessId: '0x10', NewProcessName: 'C:\\x.exe', ProcessId: '0xf', ParentProcessName: 'C:\\p.exe', CommandLine: 'x', TargetUserName: 'bob', TargetDomainName: 'CORP', SubjectUserName: 'SYSTEM', SubjectDomainName: 'NT AUTHORITY' },
    }) as ProcessEvent;
    expect(ev.process.pid).toBe(16);
    expect(ev.parent.pid).toBe(15);
    expect(ev.user).toBe('CORP\\bob');
  });

  it('reads Sysmon 11 file creations', () => {
    const ev = normalize(sysmon(11, { TargetFilename: 'C:\\Users\\b\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.lnk', Image: 'C:\\x.exe', ProcessId: '5' })) as FileEvent;
    expect(ev.kind).toBe('file');
    expect(ev.action).toBe('create');
    expect(ev.process.pid).toBe(5);
  });

  it('ignores events the engine does not use', () => {
    expect(normalize(sysmon(3, { Image: 'x' }))).toBeUndefined();
    expect(normalize({ ref: { file: 'a', format: 'json' }, layout: 'flat', system: { eventId: 4625, channel: 'Security' }, data: {} })).toBeUndefined();
    // 4624 is used now (network logons carry remote writes); PowerShell's other records are not
    expect(normalize({ ref: { file: 'a', format: 'json' }, layout: 'flat', system: { eventId: 4105, provider: 'Microsoft-Windows-PowerShell' }, data: {} })).toBeUndefined();
  });
});
