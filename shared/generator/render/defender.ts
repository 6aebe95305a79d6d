// Logical event → a row of a Microsoft Defender advanced-hunting table (DeviceProcessEvents,
// DeviceFileEvents, DeviceRegistryEvents), with the columns in the order the schema reference
// lists them. Defender's spellings: HKEY_LOCAL_MACHINE\... and HKEY_CURRENT_USER\<SID>\... keys,
// lower-cased initiating-process folder paths, ISO timestamps with 7 fractional digits, and a
// ReportId that is a per-device counter.

import type { FileCreate, HostSpec, Label, ProcessStart, Proc, RegistryWrite } from '../model';

/** What Defender's advanced-hunting tables record (PowerShell logs and logons are not among them). */
export type DefenderEvent = ProcessStart | FileCreate | RegistryWrite;
import { hashesOf } from './windows-event';

export type DefenderTable = 'DeviceProcessEvents' | 'DeviceFileEvents' | 'DeviceRegistryEvents';

const INITIATING = [
  'InitiatingProcessAccountDomain', 'InitiatingProcessAccountName', 'InitiatingProcessAccountSid', 'InitiatingProcessAccountUpn',
  'InitiatingProcessSHA1', 'InitiatingProcessSHA256', 'InitiatingProcessMD5', 'InitiatingProcessFileName', 'InitiatingProcessId',
  'InitiatingProcessCommandLine', 'InitiatingProcessCreationTime', 'InitiatingProcessFolderPath', 'InitiatingProcessParentId',
  'InitiatingProcessParentFileName', 'InitiatingProcessParentCreationTime', 'InitiatingProcessIntegrityLevel', 'InitiatingProcessTokenElevation',
] as const;

export const DEFENDER_COLUMNS: Readonly<Record<DefenderTable, readonly string[]>> = {
  DeviceProcessEvents: [
    'Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA1', 'SHA256', 'MD5', 'ProcessVersionInfoCompanyName',
    'ProcessVersionInfoProductName', 'ProcessVersionInfoProductVersion', 'ProcessVersionInfoInternalFileName', 'ProcessVersionInfoOriginalFileName',
    'ProcessVersionInfoFileDescription', 'ProcessId', 'ProcessCommandLine', 'ProcessIntegrityLevel', 'ProcessTokenElevation', 'ProcessCreationTime',
    'AccountDomain', 'AccountName', 'AccountSid', 'AccountUpn', 'LogonId', ...INITIATING, 'ReportId',
  ],
  DeviceFileEvents: [
    'Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'FileName', 'FolderPath', 'SHA1', 'SHA256', 'MD5', 'FileOriginUrl', 'FileSize',
    ...INITIATING, 'ReportId',
  ],
  DeviceRegistryEvents: [
    'Timestamp', 'DeviceId', 'DeviceName', 'ActionType', 'RegistryKey', 'RegistryValueType', 'RegistryValueName', 'RegistryValueData',
    'PreviousRegistryKey', 'PreviousRegistryValueName', 'PreviousRegistryValueData', ...INITIATING, 'ReportId',
  ],
};

export interface DefenderRow {
  table: DefenderTable;
  host: HostSpec;
  ms: number;
  sub: number;
  values: Record<string, string>;
  label?: Label;
}

export function defenderTime(ms: number, sub: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(sub).padStart(4, '0')}Z`;
}

/** HKEY_LOCAL_MACHINE\... / HKEY_CURRENT_USER\<SID>\... as DeviceRegistryEvents spells keys. */
export function defenderRegistryKey(key: string): string {
  if (/^HKLM\\/i.test(key)) return `HKEY_LOCAL_MACHINE\\${key.slice(5)}`;
  if (/^HKU\\/i.test(key)) return `HKEY_CURRENT_USER\\${key.slice(4)}`;
  return key;
}

const fileName = (p: string) => p.slice(p.lastIndexOf('\\') + 1);
const elevation = (p: Proc) => (p.user.sid === 'S-1-5-18' ? 'TokenElevationTypeDefault' : p.integrity === 'High' ? 'TokenElevationTypeFull' : 'TokenElevationTypeLimited');
const upn = (p: Proc) => (p.user.sid.startsWith('S-1-5-21-') ? `${p.user.name}@contoso.com` : '');

function initiating(p: Proc): Record<string, string> {
  const h = hashesOf(p.image);
  const par = p.parent;
  return {
    InitiatingProcessAccountDomain: p.user.domain.toLowerCase(), InitiatingProcessAccountName: p.user.name.toLowerCase(), InitiatingProcessAccountSid: p.user.sid,
    InitiatingProcessAccountUpn: upn(p), InitiatingProcessSHA1: h.sha1.toLowerCase(), InitiatingProcessSHA256: h.sha256.toLowerCase(), InitiatingProcessMD5: h.md5.toLowerCase(),
    InitiatingProcessFileName: fileName(p.image).toLowerCase(), InitiatingProcessId: String(p.pid), InitiatingProcessCommandLine: p.commandLine,
    InitiatingProcessCreationTime: defenderTime(p.startMs, 0), InitiatingProcessFolderPath: p.image.toLowerCase(),
    InitiatingProcessParentId: String(par?.pid ?? 0), InitiatingProcessParentFileName: par ? fileName(par.image).toLowerCase() : '',
    InitiatingProcessParentCreationTime: par ? defenderTime(par.startMs, 0) : '', InitiatingProcessIntegrityLevel: p.integrity, InitiatingProcessTokenElevation: elevation(p),
  };
}

const REGISTRY_ACTIONS = { 'set-value': 'RegistryValueSet', 'create-key': 'RegistryKeyCreated', 'delete-value': 'RegistryValueDeleted', 'rename-key': 'RegistryKeyRenamed' } as const;

/** One Defender row for a logical event; `reportId` is the device's running counter. */
export function renderDefender(e: DefenderEvent, reportId: number): DefenderRow {
  const common = { Timestamp: defenderTime(e.ms, e.sub), DeviceId: e.host.deviceId, DeviceName: e.host.fqdn.toLowerCase(), ReportId: String(reportId) };
  if (e.kind === 'process') {
    const p = e.proc;
    const h = hashesOf(p.image);
    const creator = p.parent ?? p;
    return {
      table: 'DeviceProcessEvents', host: e.host, ms: e.ms, sub: e.sub, label: e.label,
      values: {
        ...common, ActionType: 'ProcessCreated', FileName: fileName(p.image), FolderPath: p.image, SHA1: h.sha1.toLowerCase(), SHA256: h.sha256.toLowerCase(), MD5: h.md5.toLowerCase(),
        ProcessVersionInfoCompanyName: p.meta.company === '-' ? '' : p.meta.company, ProcessVersionInfoProductName: p.meta.product === '-' ? '' : p.meta.product,
        ProcessVersionInfoProductVersion: p.meta.fileVersion === '-' ? '' : p.meta.fileVersion.split(' ')[0], ProcessVersionInfoInternalFileName: p.meta.originalFileName === '-' ? '' : p.meta.originalFileName,
        ProcessVersionInfoOriginalFileName: p.meta.originalFileName === '-' ? '' : p.meta.originalFileName, ProcessVersionInfoFileDescription: p.meta.description === '-' ? '' : p.meta.description,
        ProcessId: String(p.pid), ProcessCommandLine: p.commandLine, ProcessIntegrityLevel: p.integrity, ProcessTokenElevation: elevation(p), ProcessCreationTime: defenderTime(p.startMs, e.sub),
        AccountDomain: p.user.domain.toLowerCase(), AccountName: p.user.name.toLowerCase(), AccountSid: p.user.sid, AccountUpn: upn(p), LogonId: String(parseInt(p.logonId, 16)),
        ...initiating(creator),
      },
    };
  }
  if (e.kind === 'file') {
    const h = hashesOf(e.target);
    return {
      table: 'DeviceFileEvents', host: e.host, ms: e.ms, sub: e.sub, label: e.label,
      values: {
        ...common, ActionType: 'FileCreated', FileName: fileName(e.target), FolderPath: e.target, SHA1: h.sha1.toLowerCase(), SHA256: h.sha256.toLowerCase(), MD5: h.md5.toLowerCase(),
        FileOriginUrl: '', FileSize: String(40_000 + (parseInt(h.md5.slice(0, 6), 16) % 900_000)), ...initiating(e.proc),
      },
    };
  }
  const op = e.op;
  const valueOp = op.action === 'set-value' || op.action === 'delete-value';
  const data = op.action === 'set-value' ? (op.valueType === 'REG_BINARY' ? '' : String(op.data ?? '')) : '';
  return {
    table: 'DeviceRegistryEvents', host: e.host, ms: e.ms, sub: e.sub, label: e.label,
    values: {
      ...common, ActionType: REGISTRY_ACTIONS[op.action],
      RegistryKey: defenderRegistryKey(op.action === 'rename-key' ? op.newKey ?? op.key : op.key),
      RegistryValueType: valueOp && op.valueType ? (op.valueType === 'REG_SZ' ? 'String' : op.valueType === 'REG_EXPAND_SZ' ? 'ExpandString' : op.valueType === 'REG_DWORD' ? 'Dword' : 'Binary') : '',
      RegistryValueName: valueOp ? op.valueName ?? '' : '', RegistryValueData: data,
      PreviousRegistryKey: op.action === 'rename-key' ? defenderRegistryKey(op.key) : valueOp && op.previous !== undefined ? defenderRegistryKey(op.key) : '',
      PreviousRegistryValueName: valueOp && op.previous !== undefined ? op.valueName ?? '' : '',
      PreviousRegistryValueData: op.previous !== undefined ? String(op.previous) : '',
      ...initiating(e.proc),
    },
  };
}
