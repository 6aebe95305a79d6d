// Which events a rule sees (logsource → kind and action, Security form vs taxonomy), how Security
// 4657 / 4688 events answer Sysmon-named rules through the field table, how hits become findings,
// and the exported-rule check.

import { describe, expect, it } from 'vitest';
import { checkExportedRule, evaluate, loadRuleset, sigmaHitToFinding } from '../../../shared/sigma';
import type { RawEvent } from '../../../shared/model/raw-event';
import { norm, PROCESS, ruleText, securityRaw, sysmonRaw } from './rule-helpers';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';

const RUN = 'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
const regDetection = "    selection:\n        TargetObject|contains: '\\CurrentVersion\\Run'\n    condition: selection";
const rule = (category: string, detection = regDetection): string => ruleText(`    product: windows\n    category: ${category}`, detection);

const setValue = sysmonRaw(13, { EventType: 'SetValue', Image: 'C:\\Temp\\evil.exe', TargetObject: `${RUN}\\Updater`, Details: 'C:\\Temp\\evil.exe' });
const createKey = sysmonRaw(12, { EventType: 'CreateKey', Image: 'C:\\Temp\\evil.exe', TargetObject: RUN });
const deleteValue = sysmonRaw(12, { EventType: 'DeleteValue', Image: 'C:\\Temp\\evil.exe', TargetObject: `${RUN}\\Updater` });
const renameKey = sysmonRaw(14, { EventType: 'RenameKey', Image: 'C:\\Temp\\evil.exe', TargetObject: RUN, NewName: `${RUN}2` });

function fires(text: string, raw: RawEvent, withRaw = true): boolean {
  const { ruleset, unsupported } = loadRuleset([{ path: 'r.yml', text }]);
  expect(unsupported).toEqual([]);
  return evaluate(ruleset, norm(raw), withRaw ? raw : undefined).length > 0;
}

describe('Sigma logsource routing', () => {
  it.each([
    ['registry_set', [true, false, false, false]],
    ['registry_add', [false, true, false, false]],
    ['registry_delete', [false, false, true, false]],
    ['registry_rename', [false, false, false, true]],
    ['registry_event', [true, true, true, true]],
  ])('%s sees only its event types (SetValue, CreateKey, DeleteValue, RenameKey)', (category, expected) => {
    expect([setValue, createKey, deleteValue, renameKey].map((e) => fires(rule(category), e))).toEqual(expected);
  });

  it('file_event sees file creations, file_delete sees deletions', () => {
    const det = "    selection:\n        TargetFilename|endswith: '.lnk'\n    condition: selection";
    const created = sysmonRaw(11, { Image: 'C:\\x.exe', TargetFilename: 'C:\\Users\\a\\Start Menu\\Programs\\Startup\\x.lnk' });
    const deleted = sysmonRaw(23, { Image: 'C:\\x.exe', TargetFilename: 'C:\\Users\\a\\Start Menu\\Programs\\Startup\\x.lnk' });
    expect([fires(rule('file_event', det), created), fires(rule('file_event', det), deleted)]).toEqual([true, false]);
    expect([fires(rule('file_delete', det), created), fires(rule('file_delete', det), deleted)]).toEqual([false, true]);
  });

  it('a registry rule never sees process events', () => {
    const proc = sysmonRaw(1, { Image: 'C:\\Windows\\reg.exe', CommandLine: `reg add ${RUN}` });
    expect(fires(rule('registry_event', "    selection:\n        Image|endswith: '\\reg.exe'\n    condition: selection"), proc)).toBe(false);
  });

  it('reads the normalized event when the raw event is not given', () => {
    expect(fires(rule('registry_set', "    selection:\n        TargetObject|endswith: '\\Run\\Updater'\n        Details|contains: '\\Temp\\'\n    condition: selection"), setValue, false)).toBe(true);
  });
});

describe('Sigma rules on Security auditing events', () => {
  const sec4657 = securityRaw(4657, {
    SubjectUserSid: 'S-1-5-21-1-2-3-1001', SubjectUserName: 'bob', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7',
    ObjectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', ObjectValueName: 'Updater', OperationType: '%%1905',
    NewValueType: '%%1873', NewValue: 'C:\\Users\\Public\\u.exe', ProcessId: '0x1a2c', ProcessName: 'C:\\Windows\\System32\\reg.exe',
  });
  const sec4688 = securityRaw(4688, {
    SubjectUserName: 'bob', SubjectDomainName: 'CORP', SubjectLogonId: '0x3e7', NewProcessId: '0x1b00', NewProcessName: 'C:\\Windows\\System32\\reg.exe',
    ProcessId: '0x1a2c', CommandLine: 'reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v U /d x', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
    TargetUserName: 'bob', TargetDomainName: 'CORP',
  });

  it('a registry_set rule matches a 4657 write through the canonical TargetObject, Details and Image', () => {
    const det = "    selection:\n        TargetObject|startswith: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\'\n        Details|contains: '\\Users\\Public\\'\n        Image|endswith: '\\reg.exe'\n    condition: selection";
    expect(fires(rule('registry_set', det), sec4657)).toBe(true);
  });

  it('a process_creation rule matches a 4688 start through Image, ParentImage and CommandLine', () => {
    const det = "    selection:\n        Image|endswith: '\\reg.exe'\n        ParentImage|endswith: '\\cmd.exe'\n        CommandLine|contains|all:\n            - ' add '\n            - '\\CurrentVersion\\Run'\n    condition: selection";
    expect(fires(rule('process_creation', det), sec4688)).toBe(true);
  });

  it('a Security-form rule reads the Security field names and only Security events', () => {
    const text = ruleText('    product: windows\n    service: security', "    selection:\n        EventID: 4657\n        ObjectName|contains: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'\n        ObjectValueName: 'Updater'\n    condition: selection");
    expect(fires(text, sec4657)).toBe(true);
    const sysmonSame = sysmonRaw(13, { EventType: 'SetValue', Image: 'C:\\reg.exe', TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', Details: 'x', ObjectName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', ObjectValueName: 'Updater' });
    expect(fires(text, sysmonSame)).toBe(false);
  });

  it('a Security-form rule without the raw event reads the table spelling in reverse', () => {
    const text = ruleText('    product: windows\n    service: security', "    selection:\n        EventID: 4688\n        NewProcessName|endswith: '\\reg.exe'\n    condition: selection");
    expect(fires(text, sec4688, false)).toBe(true);
  });
});

describe('Sigma hits as findings', () => {
  it('carries the rule, its level as severity, a sigma reason and the ATT&CK ids of its tags', () => {
    const { ruleset } = loadRuleset([{ path: 'rules/run.yml', text: rule('registry_set') }]);
    const ev = norm(setValue);
    const [hit] = evaluate(ruleset, ev, setValue);
    const f = sigmaHitToFinding(hit, ev);
    expect(f).toMatchObject({
      basis: 'sigma', severity: 'high', host: 'host1', value: 'C:\\Temp\\evil.exe', action: 'set-value',
      sigmaRule: { id: '00000000-0000-0000-0000-000000000001', title: 'Test rule', level: 'high', tags: ['attack.persistence', 'attack.t1547.001'], path: 'rules/run.yml' },
      evidence: { key: ev.key, eventId: 13, source: 'sysmon' },
    });
    expect(f.reasons.map((r) => r.id)).toEqual(['sigma:00000000-0000-0000-0000-000000000001']);
    expect(f.attack).toEqual(['T1547.001']);
    expect(f.writer.image).toBe('C:\\Temp\\evil.exe');
  });

  it('names the writer of a hit on a process start by its identity only, so the report stays schema-valid', () => {
    const { ruleset } = loadRuleset([{ path: 'rules/vss.yml', text: ruleText(PROCESS, "    selection:\n        Image|endswith: '\\vssadmin.exe'\n    condition: selection") }]);
    const raw = sysmonRaw(1, {
      Image: 'C:\\Windows\\System32\\vssadmin.exe', CommandLine: 'vssadmin.exe delete shadows /all /quiet', ProcessId: 77,
      ProcessGuid: '{365abb72-1efa-5cc8-0000-0010d3de1c00}', User: 'WS1\\bob', Hashes: 'SHA256=AB',
      CurrentDirectory: 'C:\\Users\\bob\\', IntegrityLevel: 'High', OriginalFileName: 'VSSADMIN.EXE',
      ParentImage: 'C:\\Windows\\System32\\cmd.exe', ParentCommandLine: 'cmd.exe /c x.bat',
    });
    const ev = norm(raw);
    expect(ev.kind === 'process' && ev.process.integrityLevel).toBe('High');
    const [hit] = evaluate(ruleset, ev, raw);
    const f = sigmaHitToFinding(hit, ev);
    expect(Object.entries(f.writer).filter(([, v]) => v !== undefined)).toEqual([
      ['image', 'C:\\Windows\\System32\\vssadmin.exe'], ['pid', 77], ['processGuid', '{365abb72-1efa-5cc8-0000-0010d3de1c00}'],
      ['commandLine', 'vssadmin.exe delete shadows /all /quiet'], ['hashes', 'SHA256=AB'],
      ['parentImage', 'C:\\Windows\\System32\\cmd.exe'], ['parentCommandLine', 'cmd.exe /c x.bat'],
    ]);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const report = buildReport({ findings: [f], events: 1, analysisTime: new Date(0), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    expect(ajv.validate(REPORT_SCHEMA, JSON.parse(JSON.stringify(report))), JSON.stringify(ajv.errors)).toBe(true);
  });
});

describe('checking an exported rule', () => {
  const exported = rule('registry_set', "    selection:\n        TargetObject|endswith: '\\CurrentVersion\\Run\\Updater'\n        Details: 'C:\\Temp\\evil.exe'\n    condition: selection");
  const other = sysmonRaw(13, { EventType: 'SetValue', Image: 'C:\\x.exe', TargetObject: `${RUN}\\OneDrive`, Details: 'C:\\OneDrive.exe' });
  const twin = sysmonRaw(13, { EventType: 'SetValue', Image: 'C:\\y.exe', TargetObject: `${RUN}\\Updater`, Details: 'C:\\Temp\\evil.exe' });

  it('confirms a rule that matches its event and no other', () => {
    const r = checkExportedRule(exported, { event: norm(setValue), raw: setValue }, [other, createKey].map((x) => ({ event: norm(x), raw: x })));
    expect(r).toEqual({ compiled: true, matchesSource: true, falseMatches: [], unsupported: [] });
  });

  it('lists the other events a too-broad rule matches', () => {
    const r = checkExportedRule(exported, { event: norm(setValue), raw: setValue }, [other, twin].map((x) => ({ event: norm(x), raw: x })));
    expect(r.falseMatches).toEqual([norm(twin).key]);
  });

  it('says so when the rule does not match its own event', () => {
    expect(checkExportedRule(exported, { event: norm(other), raw: other }, []).matchesSource).toBe(false);
  });

  it('says so when the rule does not compile', () => {
    const r = checkExportedRule(exported.replace('TargetObject|endswith', 'TargetObject|nope'), { event: norm(setValue) }, []);
    expect(r.compiled).toBe(false);
    expect(r.unsupported.map((u) => u.code)).toEqual(['UNKNOWN_MODIFIER']);
  });
});
