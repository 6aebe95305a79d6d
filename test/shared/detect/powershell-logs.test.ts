// PowerShell's own logs as evidence (issue #19 item 3): 4104 script blocks joined by
// ScriptBlockId in every text format, 4103 module logging and the classic 800 on the real Empire
// Run-key sample, and one finding when the script, the process start and the registry event show
// the same write. Evidence is written by the test as text in each format, parts out of order.

import { describe, expect, it } from 'vitest';
import { readBytes, utf8 } from '../readers/read-helpers';
import { normalize } from '../../../shared/normalize/normalize';
import { analyzeEvents, CaseCollector } from '../../../shared/detect/engine';
import type { NormalizedEvent, ScriptEvent } from '../../../shared/model/events';
import { severityRank, type Finding } from '../../../shared/model/finding';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { procStart, regSet, RUN_HKU } from './helpers';
import { moduleLoggingWrites } from '../../../shared/detect/module-logging';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validateReport = ajv.compile(REPORT_SCHEMA);

const BLOCK_ID = '{6c3b2e0a-41d8-4a7e-9f2b-1d0c7e5a9b31}';
const SCRIPT = [
  "$k = 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'",
  ...Array.from({ length: 40 }, (_, i) => `Write-Verbose "step ${i}: checking the update channel"`),
  "Set-ItemProperty -Path $k -Name 'OneDriveSync' -Value 'C:\\Users\\Public\\odsync.exe'",
  'Write-Output done',
].join('\r\n');

/** Three parts, the second cut in the middle of "Set-ItemProperty", logged out of order. */
function parts(): Array<{ n: number; text: string }> {
  const cut = SCRIPT.indexOf('ItemProperty -Path $k');
  const a = Math.floor(cut / 2);
  return [
    { n: 3, text: SCRIPT.slice(cut + 4) },
    { n: 1, text: SCRIPT.slice(0, a) },
    { n: 2, text: SCRIPT.slice(a, cut + 4) },
  ];
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function xmlEvidence(): string {
  const events = parts().map((p, i) => `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-PowerShell" Guid="{A0C1853B-5C40-4B15-8766-3CF1C58F985A}"/><EventID>4104</EventID><Level>5</Level><TimeCreated SystemTime="2024-01-10T12:00:0${i}.1234567Z"/><EventRecordID>${100 + i}</EventRecordID><Execution ProcessID="5120" ThreadID="77"/><Channel>Microsoft-Windows-PowerShell/Operational</Channel><Computer>WS1.corp.local</Computer><Security UserID="S-1-5-21-1-2-3-1001"/></System><EventData><Data Name="MessageNumber">${p.n}</Data><Data Name="MessageTotal">3</Data><Data Name="ScriptBlockText">${xmlEscape(p.text)}</Data><Data Name="ScriptBlockId">${BLOCK_ID}</Data><Data Name="Path"></Data></EventData></Event>`);
  return `<?xml version="1.0" encoding="utf-8"?>\r\n<Events>${events.join('\r\n')}</Events>`;
}

function jsonEvidence(): string {
  return parts().map((p, i) => JSON.stringify({
    EventID: 4104, SourceName: 'Microsoft-Windows-PowerShell', Channel: 'Microsoft-Windows-PowerShell/Operational', Hostname: 'WS1.corp.local',
    TimeCreated: `2024-01-10T12:00:0${i}Z`, RecordNumber: 100 + i, ExecutionProcessID: 5120, MessageNumber: String(p.n), MessageTotal: '3',
    ScriptBlockText: p.text, ScriptBlockId: BLOCK_ID, Path: '',
  })).join('\n');
}

function csvEvidence(): string {
  const q = (s: string | number) => `"${String(s).replace(/"/g, '""')}"`;
  const head = 'EventID,Channel,Computer,TimeCreated,RecordNumber,ExecutionProcessID,MessageNumber,MessageTotal,ScriptBlockId,ScriptBlockText';
  const rows = parts().map((p, i) => [4104, 'Microsoft-Windows-PowerShell/Operational', 'WS1.corp.local', `2024-01-10T12:00:0${i}Z`, 100 + i, 5120, p.n, 3, BLOCK_ID, p.text].map(q).join(','));
  return [head, ...rows].join('\r\n');
}

/** Get-WinEvent | ConvertTo-Json: the data by position only (Properties), named by the provider's manifest order. */
function getWinEventEvidence(): string {
  return JSON.stringify(parts().map((p, i) => ({
    Id: 4104, Version: 1, ProviderName: 'Microsoft-Windows-PowerShell', LogName: 'Microsoft-Windows-PowerShell/Operational', MachineName: 'WS1.corp.local',
    RecordId: 100 + i, ProcessId: 5120, ThreadId: 77, TimeCreated: `2024-01-10T12:00:0${i}.000Z`,
    Properties: [{ Value: p.n }, { Value: 3 }, { Value: p.text }, { Value: BLOCK_ID }, { Value: '' }],
  })), null, 2);
}

async function eventsOf(text: string, file: string): Promise<NormalizedEvent[]> {
  const { events } = await readBytes(utf8(text), file);
  return events.flatMap((raw) => {
    const ev = normalize(raw);
    return ev ? [ev] : [];
  });
}

const atLeast = (f: Finding, s: Parameters<typeof severityRank>[0]) => severityRank(f.severity) >= severityRank(s);

describe('PowerShell 4104 script blocks', () => {
  it.each([
    ['xml', 'blocks.xml', xmlEvidence],
    ['json', 'blocks.json', jsonEvidence],
    ['csv', 'blocks.csv', csvEvidence],
    ['Get-WinEvent json', 'blocks-getwinevent.json', getWinEventEvidence],
  ])('joins a three-part block by ScriptBlockId in %s and finds the Run write straddling two parts', async (_fmt, file, make) => {
    const evs = await eventsOf(make(), file);
    const scripts = evs.filter((e): e is ScriptEvent => e.kind === 'script');
    expect(scripts.map((s) => [s.messageNumber, s.messageTotal, s.scriptBlockId?.toLowerCase(), s.process.pid])).toEqual([
      [3, 3, BLOCK_ID, 5120], [1, 3, BLOCK_ID, 5120], [2, 3, BLOCK_ID, 5120],
    ]);
    // no part alone holds the write
    for (const s of scripts) expect(s.scriptText?.includes('Set-ItemProperty -Path $k')).toBe(false);
    const fs = analyzeEvents(evs);
    expect(fs).toHaveLength(1);
    const f = fs[0];
    expect([f.basis, f.location, f.valueName, f.value]).toEqual(['script', 'run', 'OneDriveSync', 'C:\\Users\\Public\\odsync.exe']);
    expect(f.registryKey).toBe('HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(atLeast(f, 'medium'), f.severity).toBe(true);
    expect(f.attack).toContain('T1059.001');
    // cited by its first part, the other two as its corroborating records
    expect(f.evidence.ref.recordId ?? f.evidence.ref.line).toBeDefined();
    expect(f.evidence.source).toBe('powershell');
    expect(f.alsoSeenIn?.length).toBe(2);
    expect(f.reasons.find((r) => r.id === 'basis.script')?.explanation).toMatch(/3 parts/);
    const report = buildReport({ findings: fs, events: 0, analysisTime: new Date(0), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    expect(validateReport(JSON.parse(JSON.stringify(report))), JSON.stringify(validateReport.errors)).toBe(true);
  });

  it('reads a block whose parts sit in different workers (indexes merged before the case stage)', async () => {
    const evs = await eventsOf(jsonEvidence(), 'blocks.json');
    const a = new CaseCollector();
    const b = new CaseCollector();
    evs.forEach((e, i) => (i % 2 ? a : b).add(e));
    const { mergeIndexes, analyzeCase } = await import('../../../shared/detect/engine');
    const fs = analyzeCase({ candidates: [...a.candidates, ...b.candidates], index: mergeIndexes([a.index, b.index]) });
    expect(fs.map((f) => [f.basis, f.valueName])).toEqual([['script', 'OneDriveSync']]);
  });

  it('reads a one-part block on its own, and a part whose siblings are missing from those present', async () => {
    const one = JSON.stringify({
      EventID: 4104, SourceName: 'Microsoft-Windows-PowerShell', Channel: 'Microsoft-Windows-PowerShell/Operational', Hostname: 'WS2',
      TimeCreated: '2024-01-10T12:00:00Z', RecordNumber: 7, ExecutionProcessID: 640, MessageNumber: '1', MessageTotal: '1', ScriptBlockId: '{1}',
      ScriptBlockText: "New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce' -Name Setup2 -Value 'C:\\ProgramData\\s2.exe' -Force",
    });
    const partial = jsonEvidence().split('\n').filter((l) => !l.includes('"MessageNumber":"2"')).join('\n');
    const fs = analyzeEvents([...(await eventsOf(one, 'one.json')), ...(await eventsOf(partial, 'partial.json'))]);
    expect(fs.map((f) => [f.basis, f.location, f.valueName]).sort()).toEqual([['script', 'runonce', 'Setup2']]);
  });
});

describe('PowerShell module logging (4103 / 800)', () => {
  it('reads the bound Path, Name and Value of Set-ItemProperty, variables already resolved', () => {
    const payload = 'CommandInvocation(Set-ItemProperty): "Set-ItemProperty"\r\nParameterBinding(Set-ItemProperty): name="Path"; value="HKCU:Software\\Microsoft\\Windows\\CurrentVersion\\Run\\"\r\n'
      + 'ParameterBinding(Set-ItemProperty): name="Name"; value="Updater"\r\nParameterBinding(Set-ItemProperty): name="Value"; value=""C:\\x\\a.exe" -c "line one\r\nline two""\r\n';
    const w = moduleLoggingWrites(payload);
    expect(w.map((x) => [x.kind, x.location?.id, x.registryKey, x.valueName, x.data])).toEqual([
      ['registry', 'run', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'Updater', '"C:\\x\\a.exe" -c "line one\r\nline two"'],
    ]);
    // a read is no write
    expect(moduleLoggingWrites('CommandInvocation(Get-ItemProperty): "Get-ItemProperty"\r\nParameterBinding(Get-ItemProperty): name="Path"; value="HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"')).toEqual([]);
  });

  it.skipIf(!HAVE_SAMPLES)('folds the Empire Run write\'s 4103 and 800 records into its Sysmon 13 finding (one finding, three records)', async () => {
    if (!HAVE_SAMPLES) console.warn(NO_SAMPLES_REASON);
    const rel = 'OTRF_Security-Datasets/datasets/atomic/windows/persistence/host/empire_persistence_registry_modification_run_keys_standard_user.zip';
    const all = new CaseCollector();
    const psOnly = new CaseCollector();
    for await (const batch of readEvidenceFile(samplePath(rel), { onProblem: () => undefined })) for (const raw of batch) {
      const ev = normalize(raw);
      if (!ev) continue;
      all.add(ev);
      if (ev.source === 'powershell') psOnly.add(ev);
    }
    const fs = all.analyze().filter((f) => f.valueName === 'Updater');
    expect(fs).toHaveLength(1);
    expect(fs[0].basis).toBe('registry');
    expect(fs[0].alsoSeenIn?.filter((s) => s.source === 'powershell').map((s) => s.eventId).sort()).toEqual([4103, 800]);
    // the PowerShell logs alone show it: one finding read off 4103 (bound values), at critical
    const ps = psOnly.analyze();
    expect(ps.map((f) => [f.basis, f.location, f.valueName, f.evidence.eventId, f.severity])).toEqual([['script', 'run', 'Updater', 4103, 'critical']]);
    expect(ps[0].value).toContain('-enc $x');
    expect(ps[0].alsoSeenIn?.map((s) => s.eventId)).toEqual([800]);
  }, 120_000);
});

describe('a script and the process start of the same PowerShell', () => {
  const CMD = "powershell.exe -NoP -c \"Set-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name Sync -Value 'C:\\Users\\Public\\sync.exe'\"";
  const script = (o: { pid?: number; host?: string; atMs?: number; eventId?: number; hostApplication?: string }): ScriptEvent => ({
    kind: 'script', source: 'powershell', key: `ps.evtx#r${o.eventId ?? 4104}${o.pid ?? 0}`, ref: { file: 'ps.evtx', format: 'evtx', recordId: 9 }, eventId: o.eventId ?? 4104,
    host: o.host ?? 'WS1', time: new Date(Date.UTC(2024, 0, 10, 12, 0, 0) + (o.atMs ?? 3000)).toISOString(), timeMs: Date.UTC(2024, 0, 10, 12, 0, 0) + (o.atMs ?? 3000),
    scriptText: o.eventId === 400 ? undefined : "Set-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name Sync -Value 'C:\\Users\\Public\\sync.exe'",
    messageNumber: 1, messageTotal: 1, scriptBlockId: '{9}',
    contextInfo: o.hostApplication ? `HostApplication=${o.hostApplication}` : undefined,
    process: { pid: o.pid, commandLine: o.hostApplication },
  });

  it('is one finding (basis script) with the start as its command-line sighting, matched by pid', () => {
    const start = procStart('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CMD, { pid: 5120 });
    const fs = analyzeEvents([start, script({ pid: 5120 })]);
    expect(fs.map((f) => [f.basis, f.valueName, f.correlation.commandLineSightings?.length])).toEqual([['script', 'Sync', 1]]);
    expect(fs[0].correlation.writerProcess?.key).toBe(start.key);
  });

  it('is one finding when the classic 400 names the start\'s command line as its HostApplication (no pid logged)', () => {
    const start = procStart('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CMD, { pid: 5120 });
    const fs = analyzeEvents([start, script({ eventId: 400, hostApplication: CMD })]);
    expect(fs.map((f) => [f.basis, f.evidence.eventId, f.correlation.commandLineSightings?.length])).toEqual([['script', 400, 1]]);
  });

  it('stays two findings for another process, and folds into the Sysmon 13 of the write when there is one', () => {
    const start = procStart('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CMD, { pid: 5120 });
    expect(analyzeEvents([start, script({ pid: 6000, atMs: 30 * 60_000 })]).map((f) => f.basis).sort()).toEqual(['command-line', 'script']);
    const write = regSet(`${RUN_HKU}\\Sync`, 'C:\\Users\\Public\\sync.exe', { pid: 5120, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', at: 4 });
    const fs = analyzeEvents([start, script({ pid: 5120 }), write]);
    expect(fs.map((f) => [f.basis, f.alsoSeenIn?.map((s) => s.source), f.correlation.commandLineSightings?.length])).toEqual([['registry', ['powershell'], 1]]);
  });
});
