// The normalized event model: what detection, correlation, Sigma evaluation and the UI work on,
// whatever the evidence format. Built from RawEvent by shared/normalize using the field table.

import type { EvidenceRef } from './raw-event';

export type EventSource = 'sysmon' | 'security' | 'defender' | 'powershell';
export type EventKind = 'registry' | 'process' | 'file' | 'script' | 'logon';

export type RegistryAction = 'set-value' | 'create-key' | 'delete-key' | 'delete-value' | 'rename-key';
export type FileAction = 'create' | 'modify' | 'delete' | 'rename';

interface EventCommon {
  kind: EventKind;
  source: EventSource;
  /** Stable within a case; see eventKey(). */
  key: string;
  ref: EvidenceRef;
  provider?: string;
  channel?: string;
  eventId?: number;
  /** The Defender ActionType, Sysmon EventType or 4657 OperationType as the source wrote it. */
  sourceAction?: string;
  host: string;
  /** ISO 8601 UTC with the source's precision. */
  time: string;
  /** Milliseconds since the epoch, for ordering and windows (NaN when the source has no time). */
  timeMs: number;
  /** Account the acting process ran as ("DOMAIN\\user" where the source says so). */
  user?: string;
  userSid?: string;
}

/** The process that wrote a value or a file (or, for process events, the new process). */
export interface ProcessIdentity {
  image?: string;
  pid?: number;
  processGuid?: string;
  commandLine?: string;
  user?: string;
  /** "SHA256=...,MD5=..." as Sysmon writes it, or composed from Defender's columns. */
  hashes?: string;
}

export interface RegistryEvent extends EventCommon {
  kind: 'registry';
  action: RegistryAction;
  /** Canonical key path: HKLM\..., HKU\<SID>\..., HKCU\... (when the source names no SID). */
  registryKey: string;
  /** Value name for value operations ('(Default)' for the default value). */
  valueName?: string;
  /** Canonical full path, key + '\\' + value name for value operations: Sysmon's TargetObject shape. */
  targetObject: string;
  /** The path exactly as the source spelled it. */
  originalPath: string;
  /** Value data written (Sysmon Details, 4657 NewValue, Defender RegistryValueData). */
  details?: string;
  valueType?: string;
  previousDetails?: string;
  /** Sysmon 14 new name. */
  newName?: string;
  /** Defender's PreviousRegistryKey: for RegistryKeyRenamed, the key before the rename (as the source spelled it). */
  previousKey?: string;
  process: ProcessIdentity;
}

export interface ProcessEvent extends EventCommon {
  kind: 'process';
  process: ProcessIdentity & { currentDirectory?: string; integrityLevel?: string; originalFileName?: string };
  parent: ProcessIdentity;
}

export interface FileEvent extends EventCommon {
  kind: 'file';
  action: FileAction;
  targetFilename: string;
  creationTime?: string;
  process: ProcessIdentity;
}

/**
 * A PowerShell log record: Microsoft-Windows-PowerShell/Operational 4104 (one part of a script
 * block), 4103 (module logging: a command and its bound parameters), or the classic Windows
 * PowerShell log's 400 (engine start) / 800 (pipeline execution details). `process` is the
 * PowerShell host: its pid from the record's System ProcessID (4103 / 4104), its command line from
 * the HostApplication the record names.
 */
export interface ScriptEvent extends EventCommon {
  kind: 'script';
  source: 'powershell';
  /** 4104: this part's ScriptBlockText. */
  scriptText?: string;
  /** 4104: the block's id, shared by its parts. */
  scriptBlockId?: string;
  /** 4104: this part's number (1-based) and the block's part count. */
  messageNumber?: number;
  messageTotal?: number;
  /** 4104: the script file the block came from, when it came from one. */
  scriptPath?: string;
  /** 4103 Payload, 800 pipeline details: CommandInvocation(...) / ParameterBinding(...) lines. */
  payload?: string;
  /** 4103 ContextInfo, 400 / 800 details: "Host Application = ..." / "HostApplication=..." lines. */
  contextInfo?: string;
  process: ProcessIdentity;
}

/** A Security 4624 logon: who logged on, how (type 3 = network), from where. */
export interface LogonEvent extends EventCommon {
  kind: 'logon';
  logonType?: number;
  /** The account logged on ("DOMAIN\\user"). */
  targetUser?: string;
  logonId?: string;
  ipAddress?: string;
  workstation?: string;
  authenticationPackage?: string;
  /** The process that asked for the logon (lsass, svchost ...), as 4624 names it. */
  process: ProcessIdentity;
}

export type NormalizedEvent = RegistryEvent | ProcessEvent | FileEvent | ScriptEvent | LogonEvent;
