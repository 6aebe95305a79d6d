// EventData field order of the events the engine understands, as the providers' manifests define
// them. Used where a source gives values by position only (Get-WinEvent Properties, EvtxECmd
// payloads without names) and by the evidence generator to write faithful templates. One list.

export const SYSMON_PROVIDER = 'Microsoft-Windows-Sysmon';
export const SYSMON_PROVIDER_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';
export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
export const SECURITY_PROVIDER = 'Microsoft-Windows-Security-Auditing';
export const SECURITY_PROVIDER_GUID = '{54849625-5478-4994-A5BA-3E3B0328C30D}';
export const SECURITY_CHANNEL = 'Security';
export const POWERSHELL_PROVIDER = 'Microsoft-Windows-PowerShell';

export interface EventSchema {
  provider: string;
  eventId: number;
  /** The event version these fields belong to. */
  version: number;
  fields: readonly string[];
}

const sysmonRegistryHead = ['RuleName', 'EventType', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetObject'];

export const EVENT_SCHEMAS: readonly EventSchema[] = [
  {
    provider: SYSMON_PROVIDER, eventId: 1, version: 5,
    fields: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'FileVersion', 'Description', 'Product', 'Company',
      'OriginalFileName', 'CommandLine', 'CurrentDirectory', 'User', 'LogonGuid', 'LogonId', 'TerminalSessionId',
      'IntegrityLevel', 'Hashes', 'ParentProcessGuid', 'ParentProcessId', 'ParentImage', 'ParentCommandLine', 'ParentUser'],
  },
  {
    provider: SYSMON_PROVIDER, eventId: 5, version: 3,
    fields: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'User'],
  },
  {
    provider: SYSMON_PROVIDER, eventId: 11, version: 2,
    fields: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetFilename', 'CreationUtcTime', 'User'],
  },
  { provider: SYSMON_PROVIDER, eventId: 12, version: 2, fields: [...sysmonRegistryHead, 'User'] },
  { provider: SYSMON_PROVIDER, eventId: 13, version: 2, fields: [...sysmonRegistryHead, 'Details', 'User'] },
  { provider: SYSMON_PROVIDER, eventId: 14, version: 2, fields: [...sysmonRegistryHead, 'NewName', 'User'] },
  {
    provider: SYSMON_PROVIDER, eventId: 23, version: 5,
    fields: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'User', 'Image', 'TargetFilename', 'Hashes', 'IsExecutable', 'Archived'],
  },
  {
    provider: SECURITY_PROVIDER, eventId: 4657, version: 0,
    fields: ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'ObjectName', 'ObjectValueName',
      'HandleId', 'OperationType', 'OldValueType', 'OldValue', 'NewValueType', 'NewValue', 'ProcessId', 'ProcessName'],
  },
  {
    provider: SECURITY_PROVIDER, eventId: 4688, version: 2,
    fields: ['SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'NewProcessId', 'NewProcessName',
      'TokenElevationType', 'ProcessId', 'CommandLine', 'TargetUserSid', 'TargetUserName', 'TargetDomainName',
      'TargetLogonId', 'ParentProcessName', 'MandatoryLabel'],
  },
  // PowerShell's Operational log: a script block part, a module-logging pipeline
  { provider: POWERSHELL_PROVIDER, eventId: 4104, version: 1, fields: ['MessageNumber', 'MessageTotal', 'ScriptBlockText', 'ScriptBlockId', 'Path'] },
  { provider: POWERSHELL_PROVIDER, eventId: 4103, version: 1, fields: ['ContextInfo', 'UserData', 'Payload'] },
];

export function findSchema(provider: string | undefined, eventId: number | undefined): EventSchema | undefined {
  if (provider === undefined || eventId === undefined) return undefined;
  const p = provider.toLowerCase();
  return EVENT_SCHEMAS.find((s) => s.eventId === eventId && s.provider.toLowerCase() === p);
}
