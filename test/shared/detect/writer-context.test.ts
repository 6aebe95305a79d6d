// Writer context (issue #19 item 4): a write by the Remote Registry service, by WmiPrvSE for a
// remote caller, or under wsmprovhost.exe came over the network; the finding names the rule and
// the 4624 type-3 logon that carried it when the Security log has one.

import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../../shared/detect/engine';
import type { LogonEvent } from '../../../shared/model/events';
import { procStart, regSet, RUN_HKLM } from './helpers';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateReport = ajv.compile(REPORT_SCHEMA);

const SVCHOST = 'C:\\Windows\\system32\\svchost.exe';
const BASE = Date.UTC(2024, 0, 10, 12, 0, 0);

function logon(o: { atSec: number; type?: number; account?: string; ip?: string; host?: string }): LogonEvent {
  const ms = BASE + o.atSec * 1000;
  return {
    kind: 'logon', source: 'security', key: `Security.evtx#r${o.atSec}`, ref: { file: 'Security.evtx', format: 'evtx', recordId: 5000 + o.atSec }, eventId: 4624,
    host: o.host ?? 'WS1', time: new Date(ms).toISOString(), timeMs: ms, logonType: o.type ?? 3, targetUser: o.account ?? 'CORP\\helpdesk',
    ipAddress: o.ip ?? '10.20.30.40', workstation: 'ADMIN-PC', logonId: '0x3e7a1', process: {},
  };
}

const write = (image: string, pid: number, user = 'CORP\\helpdesk') => regSet(`${RUN_HKLM}\\Updater`, 'C:\\ProgramData\\upd.exe', { image, pid, at: 10, user });

describe('writer context', () => {
  it('names a Remote Registry write and the network logon that carried it (source address, workstation, account)', () => {
    const svc = procStart(SVCHOST, 'C:\\Windows\\system32\\svchost.exe -k localService -p -s RemoteRegistry', { pid: 912, at: -3600, parentImage: 'C:\\Windows\\system32\\services.exe' });
    const fs = analyzeEvents([svc, write(SVCHOST, 912), logon({ atSec: 8 }), logon({ atSec: 9, account: 'CORP\\WS9$' }), logon({ atSec: -1200 })]);
    expect(fs).toHaveLength(1);
    const r = fs[0].reasons.find((x) => x.id === 'writer.remote-registry');
    expect(r?.weight).toBe(45);
    expect(r?.attack).toEqual(['T1112', 'T1021']);
    expect(r?.explanation).toContain('10.20.30.40');
    expect(fs[0].correlation.networkLogon).toMatchObject({ sourceIp: '10.20.30.40', workstation: 'ADMIN-PC', account: 'CORP\\helpdesk', logonType: 3, key: 'Security.evtx#r8' });
    expect(fs[0].attack).toEqual(expect.arrayContaining(['T1112', 'T1021']));
    // the report's schema has a place for the logon
    const report = buildReport({ findings: fs, events: 0, analysisTime: new Date(0), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    expect(validateReport(JSON.parse(JSON.stringify(report))), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('names a Remote Registry write without a Security log, and no other svchost service', () => {
    const svc = procStart(SVCHOST, 'svchost.exe -k localService -p -s RemoteRegistry', { pid: 912, at: -60 });
    const fs = analyzeEvents([svc, write(SVCHOST, 912)]);
    expect(fs[0].reasons.some((x) => x.id === 'writer.remote-registry')).toBe(true);
    expect(fs[0].correlation.networkLogon).toBeUndefined();
    const other = procStart(SVCHOST, 'svchost.exe -k netsvcs -p -s Schedule', { pid: 913, at: -60 });
    expect(analyzeEvents([other, write(SVCHOST, 913), logon({ atSec: 8 })])[0].reasons.some((x) => x.id.startsWith('writer.remote'))).toBe(false);
  });

  it('counts WmiPrvSE as remote only with a network logon of the writing account around the write', () => {
    const wmi = 'C:\\Windows\\system32\\wbem\\WmiPrvSE.exe';
    const remote = analyzeEvents([write(wmi, 3300), logon({ atSec: 2 })])[0];
    expect(remote.reasons.find((x) => x.id === 'writer.remote-wmi')?.weight).toBe(40);
    expect(remote.correlation.networkLogon?.sourceIp).toBe('10.20.30.40');
    expect(analyzeEvents([write(wmi, 3300)])[0].reasons.some((x) => x.id === 'writer.remote-wmi')).toBe(false);
    expect(analyzeEvents([write(wmi, 3300), logon({ atSec: 2, account: 'CORP\\someone.else' })])[0].reasons.some((x) => x.id === 'writer.remote-wmi')).toBe(false);
    expect(analyzeEvents([write(wmi, 3300), logon({ atSec: 2, type: 2 })])[0].reasons.some((x) => x.id === 'writer.remote-wmi')).toBe(false);
  });

  it('names a write whose parent chain starts at wsmprovhost.exe a PowerShell-remoting write', () => {
    const host = procStart('C:\\Windows\\system32\\wsmprovhost.exe', 'C:\\Windows\\system32\\wsmprovhost.exe -Embedding', { pid: 2200, guid: '{a1}', at: -30, parentImage: SVCHOST });
    const ps = procStart('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoProfile', { pid: 2300, guid: '{a2}', parentGuid: '{a1}', at: -20, parentImage: 'C:\\Windows\\system32\\wsmprovhost.exe' });
    const reg = procStart('C:\\Windows\\system32\\reg.exe', 'reg.exe add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /d C:\\ProgramData\\upd.exe /f', { pid: 2400, guid: '{a3}', parentGuid: '{a2}', at: 9, parentImage: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' });
    const w = regSet(`${RUN_HKLM}\\Updater`, 'C:\\ProgramData\\upd.exe', { image: 'C:\\Windows\\system32\\reg.exe', pid: 2400, guid: '{a3}', at: 10 });
    const fs = analyzeEvents([host, ps, reg, w]);
    expect(fs).toHaveLength(1);
    const r = fs[0].reasons.find((x) => x.id === 'writer.ps-remoting');
    expect(r?.attack).toEqual(['T1021.006', 'T1059.001']);
    expect(r?.matched).toBe('C:\\Windows\\system32\\wsmprovhost.exe');
    // the same chain under explorer.exe is local
    const local = procStart('C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', { pid: 2200, guid: '{a1}', at: -30 });
    expect(analyzeEvents([local, ps, reg, w])[0].reasons.some((x) => x.id === 'writer.ps-remoting')).toBe(false);
  });
});
