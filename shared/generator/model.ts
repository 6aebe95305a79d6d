// The generator's own model of what happened on a host: logical events (a process started, a
// file was created, a registry value was written) with the acting process in full. Renderers
// turn one logical event into the records each telemetry source writes for it (Sysmon, Security
// auditing, Defender). Labels say which events belong to an attack story or are benign autostart
// writes; they become the answer key and never reach the evidence.

import type { Severity } from '../model/finding';

/** What a host logs. Defender tables are written for every host when the output is CSV. */
export type LoggingProfile = 'sysmon' | 'sysmon+security' | 'security';

export interface UserAccount {
  domain: string;
  name: string;
  sid: string;
  /** Profile folder, e.g. C:\Users\jdoe */
  profile: string;
}

export interface HostSpec {
  /** FQDN as Windows writes it in <Computer>. */
  fqdn: string;
  /** Short NetBIOS-style name used in file names. */
  name: string;
  logging: LoggingProfile;
  users: UserAccount[];
  /** 40 hex digits, like a Defender DeviceId. */
  deviceId: string;
  /** First 8 hex digits of Sysmon process GUIDs on this host. */
  guidPrefix: string;
  /** Pid of the Sysmon service / lsass (Execution ProcessID of the two channels). */
  sysmonPid: number;
  lsassPid: number;
  osBuild: string;
}

export type Integrity = 'Low' | 'Medium' | 'High' | 'System';

export interface ImageMeta {
  fileVersion: string;
  description: string;
  product: string;
  company: string;
  originalFileName: string;
}

/** A running process as every source needs it. */
export interface Proc {
  image: string;
  commandLine: string;
  pid: number;
  guid: string;
  /** Epoch ms of its start. */
  startMs: number;
  user: UserAccount;
  integrity: Integrity;
  logonId: string;
  logonGuid: string;
  sessionId: number;
  currentDirectory: string;
  meta: ImageMeta;
  /** Parent process (undefined for the roots: System, smss). */
  parent?: Proc;
}

export type RegValueType = 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_DWORD' | 'REG_BINARY';

export interface RegistryOp {
  action: 'set-value' | 'create-key' | 'delete-value' | 'rename-key';
  /** Canonical key: HKLM\SOFTWARE\... or HKU\<SID>\Software\... */
  key: string;
  valueName?: string;
  valueType?: RegValueType;
  /** String data, or a number for REG_DWORD. */
  data?: string | number;
  /** Data before the write (4657 OldValue, Defender PreviousRegistryValueData); undefined = new value. */
  previous?: string | number;
  /** rename-key: the new full key path. */
  newKey?: string;
}

export type StoryRole =
  | 'persistence' // the write that makes the autostart (registry value, a key renamed into a Run key, Startup-folder file)
  | 'writer-process' // the process start of the writer or an ancestor (its command line may itself show the write): linked from the finding's correlation
  | 'chain-context' // a step of the chain that is not itself persistence (a key created under a temporary name, later renamed into Run): linked from the finding
  | 'delivery' // a process of the chain that is neither the writer nor its ancestor (the downloader of the payload): context only
  | 'payload-file' // the payload landing on disk before the write
  | 'execution' // the persistence firing at logon
  | 'cleanup' // RunOnce value removed by the system after firing
  | 'benign-autostart' // legitimate software writing an autostart location (or Windows clearing a RunOnce value it ran)
  | 'near-miss'; // looks like an autostart write but is not one (RunMRU, StartupApproved): no finding expected

export interface Label {
  story: string;
  title: string;
  role: StoryRole;
  malicious: boolean;
  techniques: string[];
  /** Malicious persistence only: the engine must rate it at least this. */
  minSeverity?: Severity;
  /** Benign autostart writes: the engine must rate it at most this (or baseline it). */
  maxSeverity?: Severity;
}

interface LogicalCommon {
  /** Epoch ms. */
  ms: number;
  /** 100 ns ticks within the ms (0..9999), for FILETIME precision. */
  sub: number;
  host: HostSpec;
  label?: Label;
}

export interface ProcessStart extends LogicalCommon {
  kind: 'process';
  proc: Proc;
}

export interface FileCreate extends LogicalCommon {
  kind: 'file';
  proc: Proc;
  target: string;
}

export interface RegistryWrite extends LogicalCommon {
  kind: 'registry';
  proc: Proc;
  op: RegistryOp;
}

/**
 * PowerShell logging what a process ran: a script block (4104, in one part or several sharing a
 * ScriptBlockId) or a pipeline's bound parameters (4103 module logging).
 */
export interface ScriptRun extends LogicalEvent4104or4103 {
  kind: 'script';
  proc: Proc;
}

interface LogicalEvent4104or4103 extends LogicalCommon {
  eventId: 4104 | 4103;
  /** 4104: this part's text, number and the block's part count and id. */
  text?: string;
  part?: number;
  parts?: number;
  blockId?: string;
  /** 4103: CommandInvocation / ParameterBinding lines. */
  payload?: string;
}

/** A network logon (Security 4624 type 3) on the host, from another machine. */
export interface NetworkLogonEvent extends LogicalCommon {
  kind: 'logon';
  /** The account that logged on (its session's processes run as it). */
  proc: Proc;
  sourceIp: string;
  workstation: string;
}

export type LogicalEvent = ProcessStart | FileCreate | RegistryWrite | ScriptRun | NetworkLogonEvent;
