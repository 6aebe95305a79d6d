// The one field table. Each row names a field of the normalized event (by path), its label for
// the UI, its Sigma name for the kind's logsource, and how Sysmon, Security auditing (4657 for
// registry, 4688 for process starts) and Defender advanced hunting spell it. The normalizer, the
// Sigma field mapping, the finding table's columns and the SPL / KQL exporters all read it; a
// spelling written anywhere else is a bug.

import type { EventKind } from './events';

/** A source spelling: one column, or several joined (a folder + file name, a domain + account). */
export type Spelling =
  | string
  | { join: 'path' | 'account'; of: readonly [string, string] }
  | { hashes: readonly string[] };

export interface FieldRow {
  kind: EventKind | 'common';
  /** Path on the normalized event: 'host', 'details', 'process.image', 'parent.commandLine' ... */
  path: string;
  label: string;
  /** Sigma (Sysmon-style) name in this kind's logsource; null where Sigma has none. */
  sigma: string | null;
  sysmon: Spelling | null;
  security: Spelling | null;
  defender: Spelling | null;
  /** PowerShell's own logs (Operational 4103 / 4104, classic 400 / 800); absent = not spelled there. */
  powershell?: Spelling | null;
  /** Security auditing writes process ids as hex strings ("0x1a2c"). */
  securityHex?: boolean;
  numeric?: boolean;
}

const accountOf = (domain: string, name: string): Spelling => ({ join: 'account', of: [domain, name] });
const pathOf = (folder: string, file: string): Spelling => ({ join: 'path', of: [folder, file] });

export const FIELD_TABLE: readonly FieldRow[] = [
  // --- every kind
  { kind: 'common', path: 'host', label: 'Host', sigma: 'Computer', sysmon: 'Computer', security: 'Computer', defender: 'DeviceName', powershell: 'Computer' },
  { kind: 'common', path: 'time', label: 'Time (UTC)', sigma: null, sysmon: 'TimeCreated', security: 'TimeCreated', defender: 'Timestamp', powershell: 'TimeCreated' },
  { kind: 'common', path: 'eventId', label: 'Event ID', sigma: 'EventID', sysmon: 'EventID', security: 'EventID', defender: null, powershell: 'EventID', numeric: true },
  { kind: 'common', path: 'sourceAction', label: 'Action', sigma: 'EventType', sysmon: 'EventType', security: 'OperationType', defender: 'ActionType' },

  // --- registry (Sysmon 12/13/14, Security 4657, DeviceRegistryEvents)
  { kind: 'registry', path: 'targetObject', label: 'Registry path', sigma: 'TargetObject', sysmon: 'TargetObject', security: { join: 'path', of: ['ObjectName', 'ObjectValueName'] }, defender: { join: 'path', of: ['RegistryKey', 'RegistryValueName'] } },
  { kind: 'registry', path: 'registryKey', label: 'Key', sigma: null, sysmon: null, security: 'ObjectName', defender: 'RegistryKey' },
  { kind: 'registry', path: 'valueName', label: 'Value name', sigma: null, sysmon: null, security: 'ObjectValueName', defender: 'RegistryValueName' },
  { kind: 'registry', path: 'details', label: 'Value data', sigma: 'Details', sysmon: 'Details', security: 'NewValue', defender: 'RegistryValueData' },
  { kind: 'registry', path: 'valueType', label: 'Value type', sigma: null, sysmon: null, security: 'NewValueType', defender: 'RegistryValueType' },
  { kind: 'registry', path: 'previousDetails', label: 'Previous data', sigma: null, sysmon: null, security: 'OldValue', defender: 'PreviousRegistryValueData' },
  { kind: 'registry', path: 'newName', label: 'New name', sigma: 'NewName', sysmon: 'NewName', security: null, defender: null },
  { kind: 'registry', path: 'previousKey', label: 'Previous key', sigma: null, sysmon: null, security: null, defender: 'PreviousRegistryKey' },
  { kind: 'registry', path: 'process.image', label: 'Writer', sigma: 'Image', sysmon: 'Image', security: 'ProcessName', defender: pathOf('InitiatingProcessFolderPath', 'InitiatingProcessFileName') },
  { kind: 'registry', path: 'process.pid', label: 'Writer PID', sigma: 'ProcessId', sysmon: 'ProcessId', security: 'ProcessId', defender: 'InitiatingProcessId', securityHex: true, numeric: true },
  { kind: 'registry', path: 'process.processGuid', label: 'Writer GUID', sigma: 'ProcessGuid', sysmon: 'ProcessGuid', security: null, defender: null },
  { kind: 'registry', path: 'process.commandLine', label: 'Writer command line', sigma: null, sysmon: null, security: null, defender: 'InitiatingProcessCommandLine' },
  { kind: 'registry', path: 'process.hashes', label: 'Writer hashes', sigma: null, sysmon: null, security: null, defender: { hashes: ['InitiatingProcessSHA256', 'InitiatingProcessSHA1', 'InitiatingProcessMD5'] } },
  { kind: 'registry', path: 'user', label: 'User', sigma: 'User', sysmon: 'User', security: accountOf('SubjectDomainName', 'SubjectUserName'), defender: accountOf('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName') },
  { kind: 'registry', path: 'userSid', label: 'User SID', sigma: null, sysmon: null, security: 'SubjectUserSid', defender: 'InitiatingProcessAccountSid' },

  // --- process starts (Sysmon 1, Security 4688, DeviceProcessEvents)
  { kind: 'process', path: 'process.image', label: 'Image', sigma: 'Image', sysmon: 'Image', security: 'NewProcessName', defender: 'FolderPath' },
  { kind: 'process', path: 'process.commandLine', label: 'Command line', sigma: 'CommandLine', sysmon: 'CommandLine', security: 'CommandLine', defender: 'ProcessCommandLine' },
  { kind: 'process', path: 'process.pid', label: 'PID', sigma: 'ProcessId', sysmon: 'ProcessId', security: 'NewProcessId', defender: 'ProcessId', securityHex: true, numeric: true },
  { kind: 'process', path: 'process.processGuid', label: 'Process GUID', sigma: 'ProcessGuid', sysmon: 'ProcessGuid', security: null, defender: null },
  { kind: 'process', path: 'process.hashes', label: 'Hashes', sigma: 'Hashes', sysmon: 'Hashes', security: null, defender: { hashes: ['SHA256', 'SHA1', 'MD5'] } },
  { kind: 'process', path: 'process.currentDirectory', label: 'Current directory', sigma: 'CurrentDirectory', sysmon: 'CurrentDirectory', security: null, defender: null },
  { kind: 'process', path: 'process.integrityLevel', label: 'Integrity level', sigma: 'IntegrityLevel', sysmon: 'IntegrityLevel', security: 'MandatoryLabel', defender: 'ProcessIntegrityLevel' },
  { kind: 'process', path: 'process.originalFileName', label: 'Original file name', sigma: 'OriginalFileName', sysmon: 'OriginalFileName', security: null, defender: 'ProcessVersionInfoOriginalFileName' },
  { kind: 'process', path: 'parent.image', label: 'Parent image', sigma: 'ParentImage', sysmon: 'ParentImage', security: 'ParentProcessName', defender: pathOf('InitiatingProcessFolderPath', 'InitiatingProcessFileName') },
  { kind: 'process', path: 'parent.commandLine', label: 'Parent command line', sigma: 'ParentCommandLine', sysmon: 'ParentCommandLine', security: null, defender: 'InitiatingProcessCommandLine' },
  { kind: 'process', path: 'parent.pid', label: 'Parent PID', sigma: 'ParentProcessId', sysmon: 'ParentProcessId', security: 'ProcessId', defender: 'InitiatingProcessId', securityHex: true, numeric: true },
  { kind: 'process', path: 'parent.processGuid', label: 'Parent GUID', sigma: 'ParentProcessGuid', sysmon: 'ParentProcessGuid', security: null, defender: null },
  { kind: 'process', path: 'parent.user', label: 'Parent user', sigma: 'ParentUser', sysmon: 'ParentUser', security: accountOf('SubjectDomainName', 'SubjectUserName'), defender: accountOf('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName') },
  { kind: 'process', path: 'user', label: 'User', sigma: 'User', sysmon: 'User', security: accountOf('TargetDomainName', 'TargetUserName'), defender: accountOf('AccountDomain', 'AccountName') },
  { kind: 'process', path: 'userSid', label: 'User SID', sigma: null, sysmon: null, security: 'TargetUserSid', defender: 'AccountSid' },

  // --- file creations (Sysmon 11, DeviceFileEvents)
  { kind: 'file', path: 'targetFilename', label: 'File', sigma: 'TargetFilename', sysmon: 'TargetFilename', security: null, defender: pathOf('FolderPath', 'FileName') },
  { kind: 'file', path: 'creationTime', label: 'File creation time', sigma: 'CreationUtcTime', sysmon: 'CreationUtcTime', security: null, defender: null },
  { kind: 'file', path: 'process.image', label: 'Writer', sigma: 'Image', sysmon: 'Image', security: null, defender: pathOf('InitiatingProcessFolderPath', 'InitiatingProcessFileName') },
  { kind: 'file', path: 'process.pid', label: 'Writer PID', sigma: 'ProcessId', sysmon: 'ProcessId', security: null, defender: 'InitiatingProcessId', numeric: true },
  { kind: 'file', path: 'process.processGuid', label: 'Writer GUID', sigma: 'ProcessGuid', sysmon: 'ProcessGuid', security: null, defender: null },
  { kind: 'file', path: 'process.commandLine', label: 'Writer command line', sigma: null, sysmon: null, security: null, defender: 'InitiatingProcessCommandLine' },
  { kind: 'file', path: 'process.hashes', label: 'File hashes', sigma: null, sysmon: null, security: null, defender: { hashes: ['SHA256', 'SHA1', 'MD5'] } },
  { kind: 'file', path: 'user', label: 'User', sigma: 'User', sysmon: 'User', security: null, defender: accountOf('InitiatingProcessAccountDomain', 'InitiatingProcessAccountName') },

  // --- PowerShell logs (Microsoft-Windows-PowerShell/Operational 4104 script blocks, 4103 module
  // logging; the classic Windows PowerShell log's 400 / 800 are read from CLASSIC_POWERSHELL_TEXT)
  { kind: 'script', path: 'scriptText', label: 'Script block text', sigma: 'ScriptBlockText', sysmon: null, security: null, defender: null, powershell: 'ScriptBlockText' },
  { kind: 'script', path: 'scriptBlockId', label: 'Script block id', sigma: null, sysmon: null, security: null, defender: null, powershell: 'ScriptBlockId' },
  { kind: 'script', path: 'messageNumber', label: 'Script block part', sigma: null, sysmon: null, security: null, defender: null, powershell: 'MessageNumber', numeric: true },
  { kind: 'script', path: 'messageTotal', label: 'Script block parts', sigma: null, sysmon: null, security: null, defender: null, powershell: 'MessageTotal', numeric: true },
  { kind: 'script', path: 'scriptPath', label: 'Script path', sigma: 'Path', sysmon: null, security: null, defender: null, powershell: 'Path' },
  { kind: 'script', path: 'payload', label: 'Pipeline details', sigma: 'Payload', sysmon: null, security: null, defender: null, powershell: 'Payload' },
  { kind: 'script', path: 'contextInfo', label: 'Context', sigma: 'ContextInfo', sysmon: null, security: null, defender: null, powershell: 'ContextInfo' },
  { kind: 'script', path: 'process.pid', label: 'PowerShell PID', sigma: null, sysmon: null, security: null, defender: null, powershell: 'ExecutionProcessID', numeric: true },

  // --- logons (Security 4624): the network logons that carry remote writes
  { kind: 'logon', path: 'targetUser', label: 'Account logged on', sigma: null, sysmon: null, security: accountOf('TargetDomainName', 'TargetUserName'), defender: null },
  { kind: 'logon', path: 'userSid', label: 'Account SID', sigma: null, sysmon: null, security: 'TargetUserSid', defender: null },
  { kind: 'logon', path: 'logonType', label: 'Logon type', sigma: 'LogonType', sysmon: null, security: 'LogonType', defender: null, numeric: true },
  { kind: 'logon', path: 'logonId', label: 'Logon ID', sigma: 'TargetLogonId', sysmon: null, security: 'TargetLogonId', defender: null },
  { kind: 'logon', path: 'ipAddress', label: 'Source address', sigma: 'IpAddress', sysmon: null, security: 'IpAddress', defender: null },
  { kind: 'logon', path: 'workstation', label: 'Source workstation', sigma: 'WorkstationName', sysmon: null, security: 'WorkstationName', defender: null },
  { kind: 'logon', path: 'authenticationPackage', label: 'Authentication package', sigma: 'AuthenticationPackageName', sysmon: null, security: 'AuthenticationPackageName', defender: null },
  { kind: 'logon', path: 'process.image', label: 'Logon process', sigma: null, sysmon: null, security: 'ProcessName', defender: null },
  { kind: 'logon', path: 'process.pid', label: 'Logon process PID', sigma: null, sysmon: null, security: 'ProcessId', defender: null, securityHex: true, numeric: true },
];

/**
 * The classic Windows PowerShell log (400 engine state, 800 pipeline execution details) names
 * none of its data: EVTX and XML give Data items by position (Data0..Data2), Winlogbeat param1..3,
 * nxlog exports only the rendered Message. Its HostApplication= and ParameterBinding(...) lines are
 * read from all of them, joined.
 */
export const CLASSIC_POWERSHELL_TEXT: readonly string[] = ['Data0', 'Data1', 'Data2', 'param1', 'param2', 'param3', 'Message'];

/** The rows that apply to one kind of event (its own and the common ones). */
export function rowsFor(kind: EventKind): readonly FieldRow[] {
  return FIELD_TABLE.filter((r) => r.kind === kind || r.kind === 'common');
}

/** The Sigma name → row map for one kind (used by the Sigma evaluator and the rule exporters). */
export function sigmaFields(kind: EventKind): ReadonlyMap<string, FieldRow> {
  const m = new Map<string, FieldRow>();
  for (const r of rowsFor(kind)) if (r.sigma) m.set(r.sigma, r);
  return m;
}

/** Read a dotted path ('process.image') off a normalized event, or anything shaped like one. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The Defender column names that identify each advanced-hunting table (for format sniffing). */
export const DEFENDER_TABLE_MARKERS: Readonly<Record<string, readonly string[]>> = {
  DeviceRegistryEvents: ['RegistryKey', 'ActionType'],
  DeviceProcessEvents: ['ProcessCommandLine', 'ActionType'],
  DeviceFileEvents: ['FolderPath', 'FileName', 'ActionType'],
};
