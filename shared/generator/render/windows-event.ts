// Logical event → the Windows event records a host writes for it: Sysmon 1 / 11 / 12 / 13 / 14
// and Security 4688 / 4657, with System headers and EventData in the providers' own field order
// (shared/model/event-schemas.ts) and the spellings each provider uses: Sysmon's HKLM\ / HKU\<SID>\
// paths and "DWORD (0x00000001)" details, Security's \REGISTRY\MACHINE\ paths, %%1904-style
// operation codes and hex process ids. Each data item carries its binary XML value type.

import {
  findSchema, SECURITY_CHANNEL, SECURITY_PROVIDER, SECURITY_PROVIDER_GUID, SYSMON_CHANNEL, SYSMON_PROVIDER, SYSMON_PROVIDER_GUID,
} from '../../model/event-schemas';
import type { HostSpec, Label, LogicalEvent, NetworkLogonEvent, Proc, RegistryOp, RegValueType, ScriptRun, UserAccount } from '../model';
import { pseudoDigest } from '../prng';

/** Value types used in EventData, named after their binary XML types. */
export type DataType = 'string' | 'uint16' | 'uint32' | 'hex64' | 'guid' | 'sid';

export interface DataItem {
  name: string;
  type: DataType;
  /** Strings as written; numbers for uint*; hex64 as a number (rendered 0x...). */
  value: string | number;
}

export type WinChannel = 'sysmon' | 'security' | 'powershell';

export interface WinRecord {
  host: HostSpec;
  channel: WinChannel;
  channelName: string;
  provider: string;
  providerGuid: string;
  eventId: number;
  version: number;
  level: number;
  task: number;
  opcode: number;
  /** 64-bit keyword mask as 16 hex digits (no 0x). */
  keywordsHex: string;
  ms: number;
  sub: number;
  /** Set by the caller, increasing per host + channel. */
  recordId: number;
  processId: number;
  threadId: number;
  /** <Security UserID=...>; Security-channel events carry none. */
  userSid?: string;
  data: DataItem[];
  label?: Label;
}

export const ZERO_GUID = '{00000000-0000-0000-0000-000000000000}';

export function sysmonUtcTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function account(u: UserAccount): string {
  return `${u.domain}\\${u.name}`;
}

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
  imphash: string;
}

// Images repeat constantly; the cache is cleared when it grows (file targets are often unique).
const hashCache = new Map<string, FileHashes>();

/** Synthetic but stable hashes of a file: the same path gives the same hashes on every host. */
export function hashesOf(image: string): FileHashes {
  const k = image.toLowerCase();
  let h = hashCache.get(k);
  if (!h) {
    h = { md5: pseudoDigest(`md5:${k}`, 32).toUpperCase(), sha1: pseudoDigest(`sha1:${k}`, 40).toUpperCase(), sha256: pseudoDigest(`sha256:${k}`, 64).toUpperCase(), imphash: pseudoDigest(`imp:${k}`, 32).toUpperCase() };
    if (hashCache.size > 4096) hashCache.clear();
    hashCache.set(k, h);
  }
  return h;
}

function sysmonHashes(image: string): string {
  const h = hashesOf(image);
  return `MD5=${h.md5},SHA256=${h.sha256},IMPHASH=${h.imphash}`;
}

/** The rule tag a sysmon-modular style configuration attaches, or "-". */
function ruleName(e: LogicalEvent): string {
  if (e.kind === 'registry') {
    const k = e.op.key.toLowerCase();
    if (/\\currentversion\\(run|runonce|policies\\explorer\\run)(\\|$)/.test(k)) return 'technique_id=T1547.001,technique_name=Registry Run Keys / Start Folder';
    if (k.includes('\\winlogon')) return 'technique_id=T1547.004,technique_name=Winlogon Helper DLL';
    if (k.includes('shell folders')) return 'technique_id=T1547.001,technique_name=Registry Run Keys / Start Folder';
    return '-';
  }
  if (e.kind === 'file' && /\\start menu\\programs\\startup\\/i.test(e.target)) return 'technique_id=T1547.001,technique_name=Registry Run Keys / Start Folder';
  return '-';
}

export function sysmonDetails(op: RegistryOp): string {
  if (op.data === undefined) return '(Empty)';
  if (op.valueType === 'REG_DWORD') return `DWORD (0x${(Number(op.data) >>> 0).toString(16).padStart(8, '0')})`;
  if (op.valueType === 'REG_BINARY') return 'Binary Data';
  return String(op.data);
}

function threadId(host: HostSpec, ms: number, salt: number): number {
  return host.sysmonPid + 4 * (((ms / 1000) ^ salt) & 0x3f) + 4;
}

function sysmonRecord(e: LogicalEvent, eventId: number, data: DataItem[]): WinRecord {
  const schema = findSchema(SYSMON_PROVIDER, eventId);
  return {
    host: e.host, channel: 'sysmon', channelName: SYSMON_CHANNEL, provider: SYSMON_PROVIDER, providerGuid: SYSMON_PROVIDER_GUID,
    eventId, version: schema?.version ?? 2, level: 4, task: eventId, opcode: 0, keywordsHex: '8000000000000000',
    ms: e.ms, sub: e.sub, recordId: 0, processId: e.host.sysmonPid, threadId: threadId(e.host, e.ms, 7), userSid: 'S-1-5-18', data, label: e.label,
  };
}

function s(name: string, value: string): DataItem {
  return { name, type: 'string', value: value === '' ? '-' : value };
}

function head(e: LogicalEvent, proc: Proc): DataItem[] {
  return [{ name: 'ProcessGuid', type: 'guid', value: proc.guid }, { name: 'ProcessId', type: 'uint32', value: proc.pid }, s('Image', proc.image)];
}

export function renderSysmon(e: LogicalEvent): WinRecord[] {
  if (e.kind === 'script' || e.kind === 'logon') return [];
  const utc = sysmonUtcTime(e.ms);
  if (e.kind === 'process') {
    const p = e.proc;
    const par = p.parent;
    return [sysmonRecord(e, 1, [
      s('RuleName', ruleName(e)), s('UtcTime', utc), ...head(e, p),
      s('FileVersion', p.meta.fileVersion), s('Description', p.meta.description), s('Product', p.meta.product), s('Company', p.meta.company),
      s('OriginalFileName', p.meta.originalFileName), s('CommandLine', p.commandLine), s('CurrentDirectory', p.currentDirectory), s('User', account(p.user)),
      { name: 'LogonGuid', type: 'guid', value: p.logonGuid || ZERO_GUID }, { name: 'LogonId', type: 'hex64', value: parseInt(p.logonId, 16) },
      { name: 'TerminalSessionId', type: 'uint32', value: p.sessionId }, s('IntegrityLevel', p.integrity), s('Hashes', sysmonHashes(p.image)),
      { name: 'ParentProcessGuid', type: 'guid', value: par?.guid ?? ZERO_GUID }, { name: 'ParentProcessId', type: 'uint32', value: par?.pid ?? 0 },
      s('ParentImage', par?.image ?? '-'), s('ParentCommandLine', par?.commandLine ?? '-'), s('ParentUser', par ? account(par.user) : '-'),
    ])];
  }
  if (e.kind === 'file') {
    return [sysmonRecord(e, 11, [s('RuleName', ruleName(e)), s('UtcTime', utc), ...head(e, e.proc), s('TargetFilename', e.target), s('CreationUtcTime', utc), s('User', account(e.proc.user))])];
  }
  const op = e.op;
  const target = op.action === 'set-value' || op.action === 'delete-value' ? `${op.key}\\${op.valueName ?? '(Default)'}` : op.key;
  const base = (eventType: string) => [s('RuleName', ruleName(e)), s('EventType', eventType), s('UtcTime', utc), ...head(e, e.proc), s('TargetObject', target)];
  const user = s('User', account(e.proc.user));
  switch (op.action) {
    case 'set-value': return [sysmonRecord(e, 13, [...base('SetValue'), s('Details', sysmonDetails(op)), user])];
    case 'create-key': return [sysmonRecord(e, 12, [...base('CreateKey'), user])];
    case 'delete-value': return [sysmonRecord(e, 12, [...base('DeleteValue'), user])];
    case 'rename-key': return [sysmonRecord(e, 14, [...base('RenameKey'), s('NewName', op.newKey ?? ''), user])];
  }
}

// --- Security auditing

const SECURITY_TASKS: Readonly<Record<number, number>> = { 4688: 13312, 4657: 12801 };
const VALUE_TYPE_CODES: Readonly<Record<RegValueType, string>> = { REG_SZ: '%%1873', REG_EXPAND_SZ: '%%1874', REG_BINARY: '%%1875', REG_DWORD: '%%1876' };
const LABELS: Readonly<Record<Proc['integrity'], string>> = { Low: 'S-1-16-4096', Medium: 'S-1-16-8192', High: 'S-1-16-12288', System: 'S-1-16-16384' };

function securityRecord(e: LogicalEvent, eventId: number, data: DataItem[]): WinRecord {
  return {
    host: e.host, channel: 'security', channelName: SECURITY_CHANNEL, provider: SECURITY_PROVIDER, providerGuid: SECURITY_PROVIDER_GUID,
    eventId, version: findSchema(SECURITY_PROVIDER, eventId)?.version ?? 0, level: 0, task: SECURITY_TASKS[eventId] ?? 0, opcode: 0,
    keywordsHex: '8020000000000000', ms: e.ms, sub: e.sub, recordId: 0, processId: e.host.lsassPid, threadId: e.host.lsassPid + 4 * ((e.ms / 997) & 0x1f) + 8,
    data, label: e.label,
  };
}

/** The account fields Security auditing writes for a process's user (SYSTEM shows as the machine account). */
function subject(host: HostSpec, p: Proc): [string, string, string, number] {
  if (p.user.sid === 'S-1-5-18') return ['S-1-5-18', `${host.name}$`, p.user.domain === 'NT AUTHORITY' ? 'CONTOSO' : p.user.domain, 0x3e7];
  return [p.user.sid, p.user.name, p.user.domain, parseInt(p.logonId, 16)];
}

/** \REGISTRY\MACHINE\... / \REGISTRY\USER\<SID>\... as the kernel names keys in 4657. */
export function securityObjectName(key: string): string {
  if (/^HKLM\\/i.test(key)) return `\\REGISTRY\\MACHINE\\${key.slice(5)}`;
  if (/^HKU\\/i.test(key)) return `\\REGISTRY\\USER\\${key.slice(4)}`;
  return key;
}

function regString(op: RegistryOp, v: string | number | undefined): string {
  if (v === undefined) return '-';
  if (op.valueType === 'REG_DWORD') return String(Number(v) >>> 0);
  if (op.valueType === 'REG_BINARY') return '-';
  return String(v);
}

export function renderSecurity(e: LogicalEvent): WinRecord[] {
  if (e.kind === 'process') {
    const p = e.proc;
    const par = p.parent;
    const creator = par ?? p;
    const [sid, name, dom, logon] = subject(e.host, creator);
    const sameUser = !par || par.user.sid === p.user.sid;
    const elevation = p.user.sid === 'S-1-5-18' ? '%%1936' : p.integrity === 'High' ? '%%1937' : '%%1938';
    return [securityRecord(e, 4688, [
      { name: 'SubjectUserSid', type: 'sid', value: sid }, s('SubjectUserName', name), s('SubjectDomainName', dom), { name: 'SubjectLogonId', type: 'hex64', value: logon },
      { name: 'NewProcessId', type: 'hex64', value: p.pid }, s('NewProcessName', p.image), s('TokenElevationType', elevation),
      { name: 'ProcessId', type: 'hex64', value: par?.pid ?? 0 }, s('CommandLine', p.commandLine),
      { name: 'TargetUserSid', type: 'sid', value: sameUser ? 'S-1-0-0' : p.user.sid }, s('TargetUserName', sameUser ? '-' : p.user.name),
      s('TargetDomainName', sameUser ? '-' : p.user.domain), { name: 'TargetLogonId', type: 'hex64', value: sameUser ? 0 : parseInt(p.logonId, 16) },
      s('ParentProcessName', par?.image ?? ''), { name: 'MandatoryLabel', type: 'sid', value: LABELS[p.integrity] },
    ])];
  }
  if (e.kind === 'logon') return [renderLogon(e)];
  if (e.kind !== 'registry') return [];
  const op = e.op;
  if (op.action !== 'set-value' && op.action !== 'delete-value') return []; // 4657 audits values only
  const [sid, name, dom, logon] = subject(e.host, e.proc);
  const del = op.action === 'delete-value';
  const typeCode = op.valueType ? VALUE_TYPE_CODES[op.valueType] : '-';
  const opCode = del ? '%%1906' : op.previous === undefined ? '%%1904' : '%%1905';
  return [securityRecord(e, 4657, [
    { name: 'SubjectUserSid', type: 'sid', value: sid }, s('SubjectUserName', name), s('SubjectDomainName', dom), { name: 'SubjectLogonId', type: 'hex64', value: logon },
    s('ObjectName', securityObjectName(op.key)), s('ObjectValueName', op.valueName ?? ''), { name: 'HandleId', type: 'hex64', value: 0x100 + ((e.proc.pid * 7 + e.ms) % 0x1000) * 4 },
    s('OperationType', opCode), s('OldValueType', op.previous === undefined ? '-' : typeCode), s('OldValue', regString(op, op.previous)),
    s('NewValueType', del ? '-' : typeCode), s('NewValue', del ? '-' : regString(op, op.data)),
    { name: 'ProcessId', type: 'hex64', value: e.proc.pid }, s('ProcessName', e.proc.image),
  ])];
}

/** A network logon (4624 type 3, NTLM from another machine), as the target host logs it. */
function renderLogon(e: NetworkLogonEvent): WinRecord {
  const u = e.proc.user;
  const r = securityRecord(e, 4624, [
    { name: 'SubjectUserSid', type: 'sid', value: 'S-1-0-0' }, s('SubjectUserName', '-'), s('SubjectDomainName', '-'), { name: 'SubjectLogonId', type: 'hex64', value: 0 },
    { name: 'TargetUserSid', type: 'sid', value: u.sid }, s('TargetUserName', u.name), s('TargetDomainName', u.domain), { name: 'TargetLogonId', type: 'hex64', value: parseInt(e.proc.logonId, 16) },
    { name: 'LogonType', type: 'uint32', value: 3 }, s('LogonProcessName', 'NtLmSsp '), s('AuthenticationPackageName', 'NTLM'), s('WorkstationName', e.workstation),
    s('LogonGuid', ZERO_GUID), s('TransmittedServices', '-'), s('LmPackageName', 'NTLM V2'), { name: 'KeyLength', type: 'uint32', value: 128 },
    { name: 'ProcessId', type: 'hex64', value: 0 }, s('ProcessName', '-'), s('IpAddress', e.sourceIp), s('IpPort', String(49152 + (e.ms % 16000))),
  ]);
  r.version = 2;
  r.task = 12544;
  return r;
}

const PS_PROVIDER = 'Microsoft-Windows-PowerShell';
const PS_PROVIDER_GUID = '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}';
const PS_CHANNEL = 'Microsoft-Windows-PowerShell/Operational';

/** A 4104 script block part or a 4103 pipeline, as PowerShell logs it (Execution ProcessID: the host process). */
export function renderPowerShell(e: ScriptRun): WinRecord {
  const p = e.proc;
  const host = `        Severity = Informational\r\n        Host Name = ConsoleHost\r\n        Host Version = 5.1.19041.3803\r\n        Host ID = ${p.guid.slice(1, -1)}\r\n        Host Application = ${p.commandLine}\r\n        Engine Version = 5.1.19041.3803\r\n        User = ${p.user.domain}\\${p.user.name}\r\n`;
  const data: DataItem[] = e.eventId === 4104
    ? [{ name: 'MessageNumber', type: 'uint32', value: e.part ?? 1 }, { name: 'MessageTotal', type: 'uint32', value: e.parts ?? 1 }, s('ScriptBlockText', e.text ?? ''), s('ScriptBlockId', e.blockId ?? ZERO_GUID.slice(1, -1)), s('Path', '')]
    : [s('ContextInfo', host), s('UserData', ''), s('Payload', e.payload ?? '')];
  return {
    host: e.host, channel: 'powershell', channelName: PS_CHANNEL, provider: PS_PROVIDER, providerGuid: PS_PROVIDER_GUID,
    eventId: e.eventId, version: 1, level: e.eventId === 4104 ? 5 : 4, task: e.eventId === 4104 ? 2 : 106, opcode: e.eventId === 4104 ? 15 : 20, keywordsHex: '0000000000000000',
    ms: e.ms, sub: e.sub, recordId: 0, processId: p.pid, threadId: p.pid + 4 * ((e.ms / 991) & 0x1f) + 4, userSid: p.user.sid, data, label: e.label,
  };
}

/** Everything a host with this logging profile writes for one logical event. */
export function renderWindows(e: LogicalEvent): WinRecord[] {
  // PowerShell's Operational log is on wherever script block / module logging is (every profile)
  if (e.kind === 'script') return [renderPowerShell(e)];
  const out: WinRecord[] = [];
  if (e.host.logging !== 'security') out.push(...renderSysmon(e));
  if (e.host.logging !== 'sysmon') out.push(...renderSecurity(e));
  return out;
}
