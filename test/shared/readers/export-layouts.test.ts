// The same seven events (Sysmon 1, 11, 12, 13, 14; Security 4657, 4688) written the way four
// exporters really write them, read through readEvidence and normalized. Shapes follow the tools'
// own output: Winlogbeat 7/8 documents (the Sysmon module moves Image, ProcessId, User ... out of
// winlog.event_data into ECS fields, as in Elastic's golden files), Elasticsearch hits wrapping
// them in _source, Get-WinEvent | ConvertTo-Json from Windows PowerShell 5.1 (default depth 2:
// nested values become strings, TimeCreated "\/Date(ms)\/", a top-level array) and PowerShell 7
// (local time with offset), EvtxECmd --json lines (EventRecordId as a string, TimeCreated
// "+00:00", Payload holding EventData as Newtonsoft's XML-as-JSON, GUIDs without braces) and
// EvtxECmd --csv (CRLF, 27 columns, TimeCreated without zone, Payload column).

import { describe, expect, it } from 'vitest';
import { normalize } from '../../../shared/normalize/normalize';
import type { NormalizedEvent } from '../../../shared/model/events';
import { eventKey, type RawEvent, type RawLayout } from '../../../shared/model/raw-event';
import { EVENT_SCHEMAS, SECURITY_PROVIDER, SYSMON_PROVIDER } from '../../../shared/model/event-schemas';
import { readBytes, utf16, utf8 } from './read-helpers';
import { readJsonText } from '../../../shared/readers/json-reader';
import { collect } from '../../../shared/readers/types';

const HOST = 'WS01.corp.local';
const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';
const SYSMON_CH = 'Microsoft-Windows-Sysmon/Operational';
const RUN_HKU = `HKU\\${SID}\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run`;
const RUN_HKLM = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
const REG = 'C:\\Windows\\System32\\reg.exe';
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const PAYLOAD = 'C:\\Users\\bob\\AppData\\Roaming\\upd.exe';
const REG_CMDLINE = `reg  add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run" /v Updater /d "${PAYLOAD}" /f`;
const GUID_REG = '5aa13a44-0d08-68fc-dc1d-000000004002';
const GUID_CMD = '5aa13a44-0cf0-68fc-d91d-000000004002';
const GUID_PS = '5aa13a44-0d0a-68fc-e01d-000000004002';
const GUID_REGEDIT = '5aa13a44-0e11-68fc-f31d-000000004002';

/** One event as the provider wrote it: System header and EventData in manifest order. */
interface Truth {
  provider: string;
  channel: string;
  id: number;
  version: number;
  record: number;
  /** TimeCreated, FILETIME precision. */
  time: string;
  data: ReadonlyArray<readonly [string, string | number]>;
  /** Sysmon's UtcTime (ms) where there is one: Winlogbeat's Sysmon module makes it @timestamp. */
  utc?: string;
}

const sysmonHead = (utc: string, guid: string, pid: number, image: string) =>
  [['RuleName', '-'], ['UtcTime', utc], ['ProcessGuid', `{${guid}}`], ['ProcessId', pid], ['Image', image]] as const;

const TRUTH: readonly Truth[] = [
  {
    provider: SYSMON_PROVIDER, channel: SYSMON_CH, id: 1, version: 5, record: 1001, time: '2024-05-01T10:00:01.1234567Z', utc: '2024-05-01 10:00:01.120',
    data: [
      ...sysmonHead('2024-05-01 10:00:01.120', GUID_REG, 7760, REG),
      ['FileVersion', '10.0.19041.1 (WinBuild.160101.0800)'], ['Description', 'Registry Console Tool'], ['Product', 'Microsoft® Windows® Operating System'],
      ['Company', 'Microsoft Corporation'], ['OriginalFileName', 'reg.exe'], ['CommandLine', REG_CMDLINE], ['CurrentDirectory', 'C:\\Users\\bob\\'],
      ['User', 'CORP\\bob'], ['LogonGuid', '{5aa13a44-0a1b-68fc-a1b2-0600000000ff}'], ['LogonId', '0x6b2a1'], ['TerminalSessionId', 1], ['IntegrityLevel', 'Medium'],
      ['Hashes', 'SHA1=429DF8371B437209D79DC97978C33157D1A71C4B,MD5=227F63E1D9008B36BDBCC4B397780BE4,SHA256=C0DB341DEFA8EF40C03ED769A9001D600E0F4DAE8D0DA1A3C1E2C57C2A8C1C38,IMPHASH=9E1F3B8D4C8F3A6B2F8F5E8C1D5B0A7F'],
      ['ParentProcessGuid', `{${GUID_CMD}}`], ['ParentProcessId', 6120], ['ParentImage', CMD], ['ParentCommandLine', '"C:\\Windows\\system32\\cmd.exe" '], ['ParentUser', 'CORP\\bob'],
    ],
  },
  {
    provider: SYSMON_PROVIDER, channel: SYSMON_CH, id: 11, version: 2, record: 1002, time: '2024-05-01T10:00:02.4567891Z', utc: '2024-05-01 10:00:02.450',
    data: [...sysmonHead('2024-05-01 10:00:02.450', GUID_PS, 5204, PS), ['TargetFilename', PAYLOAD], ['CreationUtcTime', '2024-05-01 10:00:02.450'], ['User', 'CORP\\bob']],
  },
  {
    provider: SYSMON_PROVIDER, channel: SYSMON_CH, id: 12, version: 2, record: 1003, time: '2024-05-01T10:00:03.0000001Z', utc: '2024-05-01 10:00:03.000',
    data: [['RuleName', 'T1547,RunKey'], ['EventType', 'CreateKey'], ['UtcTime', '2024-05-01 10:00:03.000'], ['ProcessGuid', `{${GUID_REG}}`], ['ProcessId', 7760], ['Image', REG], ['TargetObject', RUN_HKU], ['User', 'CORP\\bob']],
  },
  {
    provider: SYSMON_PROVIDER, channel: SYSMON_CH, id: 13, version: 2, record: 1004, time: '2024-05-01T10:00:03.0100000Z', utc: '2024-05-01 10:00:03.010',
    data: [['RuleName', 'T1547,RunKey'], ['EventType', 'SetValue'], ['UtcTime', '2024-05-01 10:00:03.010'], ['ProcessGuid', `{${GUID_REG}}`], ['ProcessId', 7760], ['Image', REG], ['TargetObject', `${RUN_HKU}\\Updater`], ['Details', PAYLOAD], ['User', 'CORP\\bob']],
  },
  {
    provider: SYSMON_PROVIDER, channel: SYSMON_CH, id: 14, version: 2, record: 1005, time: '2024-05-01T10:00:04.9999999Z', utc: '2024-05-01 10:00:04.999',
    data: [['RuleName', '-'], ['EventType', 'RenameKey'], ['UtcTime', '2024-05-01 10:00:04.999'], ['ProcessGuid', `{${GUID_REGEDIT}}`], ['ProcessId', 4321], ['Image', 'C:\\Windows\\regedit.exe'], ['TargetObject', `${RUN_HKLM}Tmp`], ['NewName', RUN_HKLM], ['User', 'CORP\\admin']],
  },
  {
    provider: SECURITY_PROVIDER, channel: 'Security', id: 4657, version: 0, record: 2001, time: '2024-05-01T10:00:06.2345678Z',
    data: [
      ['SubjectUserSid', SID], ['SubjectUserName', 'bob'], ['SubjectDomainName', 'CORP'], ['SubjectLogonId', '0x6b2a1'],
      ['ObjectName', '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'], ['ObjectValueName', 'Updater'], ['HandleId', '0x2b4'],
      ['OperationType', '%%1904'], ['OldValueType', '-'], ['OldValue', ''], ['NewValueType', '%%1873'], ['NewValue', 'C:\\ProgramData\\upd.exe'],
      ['ProcessId', '0x1e50'], ['ProcessName', REG],
    ],
  },
  {
    provider: SECURITY_PROVIDER, channel: 'Security', id: 4688, version: 2, record: 2002, time: '2024-05-01T10:00:00.9876543Z',
    data: [
      ['SubjectUserSid', SID], ['SubjectUserName', 'bob'], ['SubjectDomainName', 'CORP'], ['SubjectLogonId', '0x6b2a1'], ['NewProcessId', '0x1e50'],
      ['NewProcessName', REG], ['TokenElevationType', '%%1938'], ['ProcessId', '0x17e8'], ['CommandLine', REG_CMDLINE], ['TargetUserSid', 'S-1-0-0'],
      ['TargetUserName', '-'], ['TargetDomainName', '-'], ['TargetLogonId', '0x0'], ['ParentProcessName', CMD], ['MandatoryLabel', 'S-1-16-8192'],
    ],
  },
];

const dataOf = (t: Truth) => Object.fromEntries(t.data) as Record<string, string | number>;
const ms = (iso: string) => Date.parse(iso);
const msIso = (iso: string) => new Date(ms(iso)).toISOString();
const utcIso = (utc: string) => `${utc.replace(' ', 'T')}Z`;

// --- the exporters ---------------------------------------------------------------------------

/** Winlogbeat 8 (modules on): what `winlog.event_data` keeps, and the ECS fields the Sysmon module fills. */
function winlogbeatDoc(t: Truth): Record<string, unknown> {
  const d = dataOf(t);
  const winlog: Record<string, unknown> = {
    api: 'wineventlog', channel: t.channel, computer_name: HOST, event_id: String(t.id), provider_name: t.provider,
    provider_guid: t.provider === SYSMON_PROVIDER ? '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}' : '{54849625-5478-4994-a5ba-3e3b0328c30d}',
    record_id: t.record, process: { pid: t.provider === SYSMON_PROVIDER ? 3000 : 4, thread: { id: 4000 } }, version: t.version,
    user: { identifier: 'S-1-5-18', domain: 'NT AUTHORITY', name: 'SYSTEM', type: 'Well Known Group' },
    keywords: t.provider === SYSMON_PROVIDER ? [] : ['Audit Success'], opcode: 'Info',
  };
  const doc: Record<string, unknown> = {
    '@timestamp': t.utc ? msIso(utcIso(t.utc)) : msIso(t.time),
    agent: { type: 'winlogbeat', version: '8.13.4', name: 'WS01' },
    ecs: { version: '8.0.0' }, host: { name: HOST.toLowerCase() }, log: { level: 'information' },
    event: { code: String(t.id), kind: 'event', provider: t.provider, created: '2024-05-01T10:05:00.000Z', module: t.provider === SYSMON_PROVIDER ? 'sysmon' : 'security' },
    winlog,
  };
  if (t.provider !== SYSMON_PROVIDER) {
    // the Security module adds ECS fields but leaves event_data as Windows rendered it
    winlog.event_data = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, String(v)]));
    doc.process = { pid: parseInt(String(d.NewProcessId ?? d.ProcessId), 16), executable: d.NewProcessName ?? d.ProcessName };
    return doc;
  }
  const moved = new Set(['UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'CommandLine', 'CurrentDirectory', 'OriginalFileName', 'User', 'Hashes',
    'ParentProcessGuid', 'ParentProcessId', 'ParentImage', 'ParentCommandLine', 'TargetFilename']);
  winlog.event_data = Object.fromEntries(Object.entries(d).filter(([k]) => !moved.has(k)).map(([k, v]) => [k, String(v)]));
  const [domain, name] = String(d.User).split('\\');
  doc.user = { domain, name };
  const image = String(d.Image);
  const process: Record<string, unknown> = { entity_id: d.ProcessGuid, pid: d.ProcessId, executable: image, name: image.slice(image.lastIndexOf('\\') + 1) };
  if (t.id === 1) {
    Object.assign(process, {
      command_line: d.CommandLine, working_directory: d.CurrentDirectory, pe: { original_file_name: d.OriginalFileName, company: d.Company },
      args: String(d.CommandLine).split(/\s+/), hash: { sha1: '429df8371b437209d79dc97978c33157d1a71c4b', md5: '227f63e1d9008b36bdbcc4b397780be4' },
      parent: { entity_id: d.ParentProcessGuid, pid: d.ParentProcessId, executable: d.ParentImage, command_line: d.ParentCommandLine, name: 'cmd.exe' },
    });
    doc.hash = {
      sha1: '429df8371b437209d79dc97978c33157d1a71c4b', md5: '227f63e1d9008b36bdbcc4b397780be4',
      sha256: 'c0db341defa8ef40c03ed769a9001d600e0f4dae8d0da1a3c1e2c57c2a8c1c38', imphash: '9e1f3b8d4c8f3a6b2f8f5e8c1d5b0a7f',
    };
  }
  doc.process = process;
  if (t.id === 11) doc.file = { path: d.TargetFilename, directory: 'C:\\Users\\bob\\AppData\\Roaming', name: 'upd.exe', extension: 'exe' };
  if (t.id >= 12 && t.id <= 14) doc.registry = { path: d.TargetObject, hive: 'HKU', key: String(d.TargetObject).replace(/^HK\w+\\/, '') };
  return doc;
}

/** A Get-WinEvent EventLogRecord through ConvertTo-Json. ps5: Windows PowerShell 5.1 at the default depth. */
function getWinEventObject(t: Truth, ps5: boolean): Record<string, unknown> {
  const fields = EVENT_SCHEMAS.find((s) => s.provider === t.provider && s.eventId === t.id)?.fields ?? [];
  const d = dataOf(t);
  const propValue = (name: string): unknown => {
    const v = d[name];
    if (typeof v === 'number') return v; // UInt32 / UInt16 stay numbers
    if (/Guid$/.test(name) && typeof v === 'string') return v.replace(/[{}]/g, ''); // System.Guid → its ToString()
    if (/^(NewProcessId|ProcessId|HandleId)$/.test(name) && t.provider === SECURITY_PROVIDER) return parseInt(String(v), 16); // win:Pointer → a number
    if (name === 'LogonId' || name === 'SubjectLogonId' || name === 'TargetLogonId') return parseInt(String(v), 16); // HexInt64 → UInt64
    return v;
  };
  const created = ps5 ? `/Date(${ms(t.time)})/` : new Date(ms(t.time) + 2 * 3600_000).toISOString().slice(0, 19) + t.time.slice(19, 27) + '+02:00';
  return {
    Id: t.id, Version: t.version, Qualifiers: null, Level: t.provider === SYSMON_PROVIDER ? 4 : 0, Task: t.id === 4688 ? 13312 : t.id, Opcode: 0,
    Keywords: t.provider === SYSMON_PROVIDER ? -9223372036854775808 : -9214364837600034816, RecordId: t.record, ProviderName: t.provider,
    ProviderId: t.provider === SYSMON_PROVIDER ? '5770385f-c22a-43e0-bf4c-06f5698ffbd9' : '54849625-5478-4994-a5ba-3e3b0328c30d',
    LogName: t.channel, ProcessId: t.provider === SYSMON_PROVIDER ? 3000 : 4, ThreadId: 4000, MachineName: HOST,
    UserId: t.provider === SYSMON_PROVIDER ? (ps5 ? { BinaryLength: 12, AccountDomainSid: null, Value: 'S-1-5-18' } : 'S-1-5-18') : null,
    TimeCreated: created, ActivityId: null, RelatedActivityId: null, ContainerLog: t.channel, MatchedQueryIds: [], Bookmark: {},
    LevelDisplayName: 'Information', OpcodeDisplayName: 'Info', TaskDisplayName: 'Registry value set (rule: RegistryEvent)', KeywordsDisplayNames: [],
    Properties: fields.filter((f) => f in d).map((f) => ({ Value: propValue(f) })),
    Message: 'Registry value set:\r\nRuleName: -\r\n...',
  };
}

/** PowerShell 5.1's ConvertTo-Json layout: 4-space indent, two spaces after the colon, "\/" escaped. */
function ps5Json(v: unknown): string {
  return JSON.stringify(v, null, 4).replace(/": /g, '":  ').replace(/\//g, '\\/');
}

/** EvtxECmd's Payload: EventData through Newtonsoft's SerializeXmlNode (an empty Data has no #text; GUID values lose their braces). */
function evtxecmdPayload(t: Truth): string {
  const items = t.data.map(([name, v]) => {
    const text = typeof v === 'string' && /^\{[0-9a-f-]{36}\}$/i.test(v) ? v.slice(1, -1) : String(v);
    return text === '' ? { '@Name': name } : { '@Name': name, '#text': text };
  });
  return JSON.stringify({ EventData: { Data: items } });
}

function evtxecmdJsonLine(t: Truth): string {
  const d = dataOf(t);
  return JSON.stringify({
    PayloadData1: t.provider === SYSMON_PROVIDER ? `ProcessID: ${d.ProcessId}, ProcessGUID: ${String(d.ProcessGuid).replace(/[{}]/g, '')}` : `Target: ${d.SubjectDomainName}\\${d.SubjectUserName}`,
    PayloadData2: t.id === 13 ? 'EventType: SetValue' : '',
    UserName: String(d.User ?? `${d.SubjectDomainName}\\${d.SubjectUserName}`),
    ExecutableInfo: String(d.Image ?? d.NewProcessName ?? d.ProcessName),
    MapDescription: t.provider === SYSMON_PROVIDER ? 'Registry value set' : 'A registry value was modified',
    ChunkNumber: 0, Computer: HOST, Payload: evtxecmdPayload(t), UserId: t.provider === SYSMON_PROVIDER ? 'S-1-5-18' : undefined,
    Channel: t.channel, Provider: t.provider, EventId: t.id, EventRecordId: String(t.record), ProcessId: t.provider === SYSMON_PROVIDER ? 3000 : 4, ThreadId: 4000,
    Level: t.provider === SYSMON_PROVIDER ? 'Info' : 'LogAlways', Keywords: t.provider === SYSMON_PROVIDER ? 'Classic' : 'Audit success',
    SourceFile: t.provider === SYSMON_PROVIDER ? 'C:\\Triage\\Microsoft-Windows-Sysmon%4Operational.evtx' : 'C:\\Triage\\Security.evtx',
    ExtraDataOffset: 0, HiddenRecord: false, TimeCreated: t.time.replace('Z', '+00:00'), RecordNumber: t.record,
  });
}

const EVTXECMD_CSV_HEADER = 'RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel,ProcessId,ThreadId,Computer,ChunkNumber,UserId,MapDescription,UserName,RemoteHost,PayloadData1,PayloadData2,PayloadData3,PayloadData4,PayloadData5,PayloadData6,ExecutableInfo,HiddenRecord,SourceFile,Keywords,ExtraDataOffset,Payload';

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function evtxecmdCsvRow(t: Truth): string {
  const d = dataOf(t);
  const sysmon = t.provider === SYSMON_PROVIDER;
  return [
    t.record, t.record, t.time.replace('T', ' ').replace('Z', ''), t.id, sysmon ? 'Info' : 'LogAlways', t.provider, t.channel, sysmon ? 3000 : 4, 4000, HOST, 0,
    sysmon ? 'S-1-5-18' : '', sysmon ? 'Registry value set' : 'A registry value was modified', String(d.User ?? `${d.SubjectDomainName}\\${d.SubjectUserName}`), '',
    `ProcessID: ${d.ProcessId ?? d.NewProcessId}`, '', '', '', '', '', String(d.Image ?? d.NewProcessName ?? d.ProcessName), 'False',
    sysmon ? 'C:\\Triage\\Microsoft-Windows-Sysmon%4Operational.evtx' : 'C:\\Triage\\Security.evtx', sysmon ? 'Classic' : 'Audit success', 0, evtxecmdPayload(t),
  ].map(csvCell).join(',');
}

// --- what every layout must give -------------------------------------------------------------

/** The normalized fields that do not depend on the exporter. */
const EXPECTED: Record<number, Record<string, unknown>> = {
  1: {
    kind: 'process', source: 'sysmon', eventId: 1, host: HOST, user: 'CORP\\bob',
    process: { image: REG, pid: 7760, processGuid: `{${GUID_REG}}`, commandLine: REG_CMDLINE, currentDirectory: 'C:\\Users\\bob\\', originalFileName: 'reg.exe' },
    parent: { image: CMD, pid: 6120, processGuid: `{${GUID_CMD}}` },
  },
  11: { kind: 'file', source: 'sysmon', action: 'create', host: HOST, user: 'CORP\\bob', targetFilename: PAYLOAD, process: { image: PS, pid: 5204, processGuid: `{${GUID_PS}}` } },
  12: { kind: 'registry', source: 'sysmon', action: 'create-key', host: HOST, registryKey: RUN_HKU, targetObject: RUN_HKU, process: { image: REG, pid: 7760, processGuid: `{${GUID_REG}}` } },
  13: {
    kind: 'registry', source: 'sysmon', action: 'set-value', host: HOST, user: 'CORP\\bob', registryKey: RUN_HKU, valueName: 'Updater',
    targetObject: `${RUN_HKU}\\Updater`, details: PAYLOAD, process: { image: REG, pid: 7760, processGuid: `{${GUID_REG}}` },
  },
  14: { kind: 'registry', source: 'sysmon', action: 'rename-key', host: HOST, user: 'CORP\\admin', registryKey: `${RUN_HKLM}Tmp`, newName: RUN_HKLM, process: { image: 'C:\\Windows\\regedit.exe', pid: 4321 } },
  4657: {
    kind: 'registry', source: 'security', action: 'set-value', host: HOST, user: 'CORP\\bob', userSid: SID, registryKey: RUN_HKLM, valueName: 'Updater',
    targetObject: `${RUN_HKLM}\\Updater`, details: 'C:\\ProgramData\\upd.exe', valueType: '%%1873', originalPath: '\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
    process: { image: REG, pid: 0x1e50 },
  },
  4688: {
    kind: 'process', source: 'security', host: HOST, user: 'CORP\\bob', userSid: SID,
    process: { image: REG, pid: 0x1e50, commandLine: REG_CMDLINE, integrityLevel: 'S-1-16-8192' }, parent: { image: CMD, pid: 0x17e8, user: 'CORP\\bob' },
  },
};

/** The normalized time each exporter can give: its own precision, always UTC. */
type TimeOf = (t: Truth) => string;

function checkAll(events: RawEvent[], layout: RawLayout, timeOf: TimeOf): NormalizedEvent[] {
  expect(events.map((e) => e.system.recordId)).toEqual(TRUTH.map((t) => t.record));
  const out: NormalizedEvent[] = [];
  TRUTH.forEach((t, i) => {
    const raw = events[i];
    expect(raw.layout).toBe(layout);
    expect(raw.system).toMatchObject({ eventId: t.id, provider: t.provider, channel: t.channel, computer: HOST, recordId: t.record });
    const n = normalize(raw);
    expect(n, `${layout} ${t.id}`).toBeDefined();
    if (!n) return;
    expect(n, `${layout} ${t.id}`).toMatchObject(EXPECTED[t.id]);
    expect(n.time, `${layout} ${t.id}`).toBe(timeOf(t));
    expect(n.timeMs).toBe(Date.parse(timeOf(t)));
    out.push(n);
  });
  // Sysmon 1's parent command line and the 4688 parent are the same process seen two ways
  const s1 = out.find((n) => n.eventId === 1);
  expect(s1?.kind === 'process' && s1.parent.commandLine?.trimEnd()).toBe('"C:\\Windows\\system32\\cmd.exe"');
  return out;
}

describe('export layouts: the same events through Winlogbeat, Get-WinEvent, EvtxECmd JSON and CSV', () => {
  it('reads Winlogbeat 8 NDJSON, putting the Sysmon fields the module moved to ECS back', async () => {
    const text = TRUTH.map((t) => JSON.stringify(winlogbeatDoc(t))).join('\n') + '\n';
    const r = await readBytes(utf8(text), 'winlogbeat.ndjson');
    expect(r.problems).toEqual([]);
    // @timestamp is Sysmon's UtcTime (ms) or, for Security, TimeCreated cut to ms
    const out = checkAll(r.events, 'winlogbeat', (t) => (t.utc ? `${t.utc.replace(' ', 'T')}Z` : msIso(t.time)));
    const s13 = r.events.find((e) => e.system.eventId === 13);
    expect(s13?.data).toMatchObject({ Image: REG, ProcessId: '7760', ProcessGuid: `{${GUID_REG}}`, User: 'CORP\\bob', TargetObject: `${RUN_HKU}\\Updater` });
    const s1 = r.events.find((e) => e.system.eventId === 1);
    expect(s1?.data.Hashes).toBe('SHA1=429DF8371B437209D79DC97978C33157D1A71C4B,MD5=227F63E1D9008B36BDBCC4B397780BE4,SHA256=C0DB341DEFA8EF40C03ED769A9001D600E0F4DAE8D0DA1A3C1E2C57C2A8C1C38,IMPHASH=9E1F3B8D4C8F3A6B2F8F5E8C1D5B0A7F');
    expect(out.find((n) => n.eventId === 1)).toMatchObject({ process: { hashes: expect.stringMatching(/^SHA1=429DF/) }, parent: { commandLine: '"C:\\Windows\\system32\\cmd.exe" ' } });
    // the System header's account is Sysmon's service account, not the writer
    expect(s13?.system.userSid).toBe('S-1-5-18');
  });

  it('keeps what Winlogbeat without modules left in event_data (nothing moved, nothing overridden)', async () => {
    const doc = winlogbeatDoc(TRUTH[3]);
    (doc.winlog as Record<string, unknown>).event_data = Object.fromEntries(TRUTH[3].data.map(([k, v]) => [k, String(v)]));
    (doc.process as Record<string, unknown>).executable = 'C:\\somewhere\\else.exe';
    const r = await readBytes(utf8(JSON.stringify(doc)), 'wlb.json');
    expect(r.events[0].data.Image).toBe(REG);
    expect(normalize(r.events[0])).toMatchObject({ registryKey: RUN_HKU, valueName: 'Updater', process: { image: REG } });
  });

  it('prefers winlog.time_created (TimeCreated, full precision) to @timestamp where the collector writes it', async () => {
    const doc = winlogbeatDoc(TRUTH[5]);
    (doc.winlog as Record<string, unknown>).time_created = TRUTH[5].time;
    const r = await readBytes(utf8(JSON.stringify(doc)), 'agent.json');
    expect(r.events[0].system.timeCreated).toBe('2024-05-01T10:00:06.2345678Z');
    expect(normalize(r.events[0])?.time).toBe('2024-05-01T10:00:06.2345678Z');
  });

  it('unwraps Elasticsearch hits ({"_index", "_id", "_source"}) one per line, as elasticdump writes them', async () => {
    const text = TRUTH.map((t, i) => JSON.stringify({ _index: '.ds-logs-windows.sysmon_operational-default-2024.05.01-000001', _id: `id${i}`, _score: 1, _source: winlogbeatDoc(t) })).join('\n');
    const r = await readBytes(utf8(text), 'hits.ndjson');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'winlogbeat', (t) => (t.utc ? `${t.utc.replace(' ', 'T')}Z` : msIso(t.time)));
  });

  it('reads Windows PowerShell 5.1 Get-WinEvent | ConvertTo-Json (UTF-16LE, array, \\/Date(ms)\\/, Properties by position)', async () => {
    const text = ps5Json(TRUTH.map((t) => getWinEventObject(t, true)));
    const r = await readBytes(utf16(text, true, true), 'events.json');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'get-winevent', (t) => msIso(t.time));
    const s13 = r.events.find((e) => e.system.eventId === 13);
    expect(s13?.data).toEqual({ RuleName: 'T1547,RunKey', EventType: 'SetValue', UtcTime: '2024-05-01 10:00:03.010', ProcessGuid: GUID_REG, ProcessId: 7760, Image: REG, TargetObject: `${RUN_HKU}\\Updater`, Details: PAYLOAD, User: 'CORP\\bob' });
    expect(s13?.system.userSid).toBe('S-1-5-18');
    const sec = r.events.find((e) => e.system.eventId === 4688);
    expect(sec?.data).toMatchObject({ NewProcessId: 0x1e50, ProcessId: 0x17e8, SubjectUserSid: SID, TargetUserSid: 'S-1-0-0' });
  });

  it('reads PowerShell 7 ConvertTo-Json: local TimeCreated with offset becomes UTC with all 7 digits', async () => {
    const text = JSON.stringify(TRUTH.map((t) => getWinEventObject(t, false)), null, 2);
    const r = await readBytes(utf8(text), 'events.json');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'get-winevent', (t) => t.time);
  });

  it('maps Get-WinEvent Properties of a Sysmon older than 8 (no RuleName) to the right names', async () => {
    const t = TRUTH[3];
    const o = getWinEventObject(t, true);
    o.Properties = (o.Properties as unknown[]).slice(1);
    const r = await readBytes(utf8(ps5Json(o)), 'old.json');
    expect(r.events[0].data).toMatchObject({ EventType: 'SetValue', UtcTime: '2024-05-01 10:00:03.010', Image: REG, TargetObject: `${RUN_HKU}\\Updater`, Details: PAYLOAD });
    expect(r.events[0].data.RuleName).toBeUndefined();
  });

  it('reads EvtxECmd --json lines (Payload is EventData as XML-as-JSON, GUIDs without braces)', async () => {
    const r = await readBytes(utf8(TRUTH.map(evtxecmdJsonLine).join('\r\n') + '\r\n'), '20240501_EvtxECmd_Output.json');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'evtxecmd', (t) => t.time);
    const s4657 = r.events.find((e) => e.system.eventId === 4657);
    expect(s4657?.data).toMatchObject({ OldValue: '', OldValueType: '-', NewValue: 'C:\\ProgramData\\upd.exe', ProcessId: '0x1e50' });
    expect(r.events[0].data.ProcessGuid).toBe(GUID_REG);
  });

  it('reads EvtxECmd --csv (CRLF, quoted Payload column, TimeCreated without zone read as UTC)', async () => {
    const text = [EVTXECMD_CSV_HEADER, ...TRUTH.map(evtxecmdCsvRow)].join('\r\n') + '\r\n';
    const r = await readBytes(utf8(text), '20240501_EvtxECmd_Output.csv');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'evtxecmd', (t) => t.time);
    expect(r.events.map((e) => e.ref.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads a one-Data EvtxECmd payload (Newtonsoft writes an object, not an array)', async () => {
    const row = evtxecmdCsvRow(TRUTH[3]).replace(/"\{.*\}"$/, csvCell(JSON.stringify({ EventData: { Data: { '@Name': 'TargetObject', '#text': `${RUN_HKU}\\Updater` } } })));
    const r = await readBytes(utf8(`${EVTXECMD_CSV_HEADER}\r\n${row}\r\n`), 'one.csv');
    expect(r.events[0].data).toEqual({ TargetObject: `${RUN_HKU}\\Updater` });
  });
});

describe('EventID Qualifiers', () => {
  it('keeps Qualifiers beside the id Windows shows, in XML and in the JSON of the XML', async () => {
    const xml = `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Service Control Manager" Guid="{555908d1-a6d7-4695-8e1e-26931d2012f4}" EventSourceName="Service Control Manager"/><EventID Qualifiers="16384">7036</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8080000000000000</Keywords><TimeCreated SystemTime="2024-05-01T10:00:00.1234567Z"/><EventRecordID>77</EventRecordID><Correlation/><Execution ProcessID="640" ThreadID="700"/><Channel>System</Channel><Computer>${HOST}</Computer><Security/></System><EventData><Data Name="param1">Windows Update</Data><Data Name="param2">running</Data></EventData></Event>`;
    const x = await readBytes(utf8(xml), 'sys.xml');
    expect(x.events[0].system).toMatchObject({ eventId: 7036, qualifiers: 16384, provider: 'Service Control Manager' });
    const json = JSON.stringify({ Event: { System: { Provider: { '#attributes': { Name: 'Service Control Manager' } }, EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7036 }, Channel: 'System', Computer: HOST, EventRecordID: 77 }, EventData: { param1: 'Windows Update' } } });
    const j = await readBytes(utf8(json), 'sys.json');
    expect(j.events[0].system).toMatchObject({ eventId: 7036, qualifiers: 16384 });
    const gwe = await readBytes(utf8(JSON.stringify({ Id: 7036, Qualifiers: 16384, ProviderName: 'Service Control Manager', LogName: 'System', RecordId: 77, Properties: [] })), 'gwe.json');
    expect(gwe.events[0].system).toMatchObject({ eventId: 7036, qualifiers: 16384 });
  });
});

describe('Elasticsearch / OpenSearch search responses', () => {
  const INDEX = '.ds-logs-windows.sysmon_operational-default-2024.05.01-000001';
  const hit = (t: Truth, i: number) => ({ _index: INDEX, _id: `id${i}`, _score: 1, _source: winlogbeatDoc(t) });
  /** What a `_search` call returns (Kibana's Inspect > Response, curl, elasticsearch-py's .body), aggregations after the hits. */
  const response = () => ({
    took: 12, timed_out: false, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: { total: { value: TRUTH.length, relation: 'eq' }, max_score: 1, hits: TRUTH.map(hit) },
    aggregations: { hosts: { doc_count_error_upper_bound: 0, buckets: [{ key: 'ws01 "}]', doc_count: TRUTH.length }] } },
  });
  const timeOf = (t: Truth) => (t.utc ? `${t.utc.replace(' ', 'T')}Z` : msIso(t.time));
  const perLine = async () => (await readBytes(utf8(TRUTH.map((t, i) => JSON.stringify(hit(t, i))).join('\n')), 'hits.ndjson')).events;
  const content = (events: RawEvent[]) => events.map((e) => ({ layout: e.layout, system: e.system, data: e.data }));

  it('reads each hit of a pretty-printed response as the same event as one hit per line, citing its line and index', async () => {
    const text = JSON.stringify(response(), null, 2);
    const r = await readBytes(utf8(text), 'search.json');
    expect(r.problems).toEqual([]);
    expect(r.summary.records).toBe(TRUTH.length);
    const out = checkAll(r.events, 'winlogbeat', timeOf);
    const base = await perLine();
    expect(content(r.events)).toEqual(content(base));
    expect(out).toEqual(base.map((e) => normalize(e)).map((n, i) => ({ ...n, key: out[i].key, ref: out[i].ref })));
    // each hit's line is where its object opens in the response
    const lines = text.split('\n');
    r.events.forEach((e, i) => {
      expect(e.ref.index).toBe(i);
      expect(lines[(e.ref.line as number) - 1].trim()).toBe('{');
      expect(lines[e.ref.line as number]).toContain('"_index"');
      expect(lines.slice(e.ref.line as number, (e.ref.line as number) + 3).join('\n')).toContain(`"id${i}"`);
    });
  });

  it('reads a response written on one line, keeping the events apart by their index', async () => {
    const r = await readBytes(utf8(JSON.stringify(response())), 'search.json');
    expect(r.problems).toEqual([]);
    checkAll(r.events, 'winlogbeat', timeOf);
    expect(content(r.events)).toEqual(content(await perLine()));
    expect(r.events.map((e) => [e.ref.line, e.ref.index])).toEqual(TRUTH.map((_, i) => [1, i]));
    expect(new Set(r.events.map((e) => eventKey(e.ref))).size).toBe(TRUTH.length);
  });

  it('reads a top-level array of hits, and responses one per line (scroll pages), the same way', async () => {
    const arr = await readBytes(utf8(JSON.stringify(TRUTH.map(hit), null, 1)), 'hits.json');
    expect(arr.problems).toEqual([]);
    expect(content(arr.events)).toEqual(content(await perLine()));
    expect(arr.events.map((e) => e.ref.index)).toEqual(TRUTH.map((_, i) => i));
    const page = (from: number, to: number) => JSON.stringify({ _scroll_id: 'FGluY2x1ZGVfY29udGV4dF91dWlk', ...response(), hits: { total: { value: TRUTH.length, relation: 'eq' }, hits: TRUTH.slice(from, to).map((t, i) => hit(t, from + i)) } });
    const pages = await readBytes(utf8(`${page(0, 3)}\n${page(3, TRUTH.length)}\n`), 'scroll.ndjson');
    expect(pages.problems).toEqual([]);
    expect(content(pages.events)).toEqual(content(await perLine()));
    expect(pages.events.map((e) => [e.ref.line, e.ref.index])).toEqual(TRUTH.map((_, i) => (i < 3 ? [1, i] : [2, i - 3])));
    // a response met whole (here inside an array) is unwrapped too
    const wrapped = await readBytes(utf8(JSON.stringify([response()])), 'responses.json');
    expect(content(wrapped.events)).toEqual(content(await perLine()));
  });

  it('streams the hits: a response larger than the item limit is read hit by hit', async () => {
    const text = JSON.stringify(response(), null, 2);
    // a hit inside the response (three levels deep) is indented six more spaces a line than on its own
    const largestHit = Math.max(...TRUTH.map((t, i) => {
      const own = JSON.stringify(hit(t, i), null, 2);
      return own.length + 6 * own.split('\n').length;
    }));
    expect(largestHit).toBeLessThan(text.length / 2);
    const r = await readBytes(utf8(text), 'search.json', { maxItemChars: largestHit });
    expect(r.problems).toEqual([]);
    expect(content(r.events)).toEqual(content(await perLine()));
    // the same limit on the response as one object would refuse it
    const whole = await readBytes(utf8(JSON.stringify([response()])), 'responses.json', { maxItemChars: largestHit });
    expect(whole.events).toEqual([]);
    expect(whole.problems.map((p) => p.code)).toContain('TOO_LARGE');
  });

  it('finds the hits whatever the text chunking (keys and strings split across chunks)', async () => {
    const text = JSON.stringify(response());
    const expected = content(await perLine());
    for (const size of [1, 3, 5, 64]) {
      async function* pieces() {
        for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
      }
      const events = await collect(readJsonText(pieces(), { file: 's.json', onProblem: (p) => expect.fail(p.message) }));
      expect(content(events), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('keeps the hits read before a response is cut short and reports BAD_JSON', async () => {
    const text = JSON.stringify(response(), null, 2);
    const cut = text.indexOf('"id4"');
    const r = await readBytes(utf8(text.slice(0, cut)), 'search.json');
    expect(content(r.events)).toEqual(content((await perLine()).slice(0, 4)));
    expect(r.problems.map((p) => [p.code, p.level])).toEqual([['BAD_JSON', 'warning']]);
  });
});
