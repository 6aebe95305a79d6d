// A finding: one write to an autostart location (or a command line / file that makes one), with
// every reason it is suspicious, its score and severity, its correlated events and its evidence.
// Findings cross every boundary (worker → main → renderer → report), so they are plain JSON.

import type { EvidenceRef } from './raw-event';
import type { EventKind, ProcessIdentity, RegistryAction } from './events';

export const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** How the persistence was seen. */
export type FindingBasis =
  | 'registry' // a registry write event (Sysmon 12/13/14, 4657, Defender)
  | 'startup-file' // a file created in a Startup folder
  | 'command-line' // a process start whose command line writes an autostart location
  | 'script' // a PowerShell log record (4104 script block, 4103 module logging, 400 / 800 host line) that writes one
  | 'sigma' // a community Sigma rule hit on an event
  | 'hive'; // a value read from a registry hive (autostart state, shared/state)

/** One reason a finding is suspicious (or, with a negative weight, why it looks benign). */
export interface Reason {
  /** Indicator / rule id, e.g. 'path.user-writable', 'powershell.encoded', 'sigma:<rule id>'. */
  id: string;
  title: string;
  weight: number;
  /** ATT&CK technique ids this reason adds (T1059.001 ...). */
  attack: string[];
  /** A human sentence explaining the hit in this finding's terms. */
  explanation: string;
  /** The part of the value / command line that matched. */
  matched?: string;
}

/**
 * One record in the evidence: the event's key, where it is, which source logged it. `ref.recovered`
 * says the record was carved from EVTX slack or a headerless chunk (a deleted record), not read as
 * an allocated one.
 */
export interface EvidenceSighting {
  key: string;
  ref: EvidenceRef;
  eventId?: number;
  source: string;
}

/** Whether the record a finding was made from is a recovered (deleted) EVTX record. */
export function evidenceRecovered(f: Pick<Finding, 'evidence'>): boolean {
  return f.evidence.ref.recovered === true;
}

export interface EventLink {
  /** eventKey() of the linked event. */
  key: string;
  kind: EventKind;
  time: string;
  ref: EvidenceRef;
  /** One line for timelines: "cmd.exe → reg.exe add HKCU\...\Run ..." */
  summary: string;
  /** The same event logged by another source (the Security 4688 of a Sysmon 1 process start ...). */
  alsoSeenIn?: EvidenceSighting[];
}

export interface Correlation {
  /** The writer's own process start (Sysmon 1 / 4688 / Defender). */
  writerProcess?: EventLink;
  /** Its ancestors, nearest first, as far as the evidence goes. */
  writerAncestors: EventLink[];
  /** Creation of the payload file before the write. */
  payloadCreated: EventLink[];
  /** Later starts of the payload (the persistence firing). */
  executions: EventLink[];
  /** Deletion of the value or key afterwards (RunOnce firing, or clean-up). */
  deletions: EventLink[];
  /** Process starts whose command line shows this same write (folded into this finding, e.g. 4688 beside Sysmon 13). */
  commandLineSightings?: EventLink[];
  /** For a key renamed into an autostart location: the creation of the key under its first name (regedit's "New Key #1"). */
  keyCreated?: EventLink[];
  /** For a write made over the network (Remote Registry, WMI, PowerShell remoting): the Security 4624 logon that carried it. */
  networkLogon?: NetworkLogon;
}

/** A network logon (4624) that carried a remote write: who, from where, when. */
export interface NetworkLogon {
  key: string;
  ref: EvidenceRef;
  time: string;
  logonType: number;
  account?: string;
  sourceIp?: string;
  workstation?: string;
  logonId?: string;
}

export type BaselineStatus = 'none' | 'baselined' | 'baselined-but-suspicious';

export interface BaselineMatch {
  status: BaselineStatus;
  /** Id of the baseline entry that matched (built-in entries start with 'builtin:'). */
  entryId?: string;
  scope?: string;
  reason?: string;
  analyst?: string;
}

export interface Rarity {
  /** Hosts in the case with the same normalized value. */
  hosts: number;
  /** Hosts in the case at all. */
  totalHosts: number;
  /** Times the normalized value was written in the case. */
  count: number;
  rare: boolean;
}

export interface Finding {
  /** Stable across runs on the same evidence: derived from the event key and the location. */
  id: string;
  basis: FindingBasis;
  host: string;
  user?: string;
  /** ISO 8601 UTC with the source's precision. */
  time: string;
  timeMs: number;
  /** Catalog id of the autostart location ('run', 'runonce', 'winlogon-userinit', 'startup-folder' ...). */
  location: string;
  locationTitle: string;
  /** Canonical key path (registry basis) or the Startup folder (file basis). */
  registryKey?: string;
  valueName?: string;
  /** The data written, the file created, or the command line that writes it. */
  value: string;
  /** The file the entry runs, as read off the value (quoted path, rundll32 DLL, script ...). */
  payloadPath?: string;
  /** The write went to the 32-bit view (WOW6432Node). */
  wow64?: boolean;
  /** For 'command-line' basis: the process command line the write was read from. */
  commandLine?: string;
  action?: RegistryAction | 'file-create' | 'command';
  /** Value after normalization (user paths, GUIDs, versions ...), used for rarity and grouping. */
  normalizedValue: string;
  /** The process that made the write. */
  writer: ProcessIdentity & { parentImage?: string; parentCommandLine?: string };
  score: number;
  severity: Severity;
  reasons: Reason[];
  /** Every ATT&CK technique id that applies, T1547.001 first. */
  attack: string[];
  /** Base64 PowerShell decoded, when the value or command line holds any. */
  decodedPowerShell?: string;
  rarity?: Rarity;
  baseline: BaselineMatch;
  correlation: Correlation;
  /** The event this finding was made from (the richest sighting: Sysmon over Security over Defender). */
  evidence: EvidenceSighting;
  /**
   * The same write logged by other sources (Security 4657 or a Defender row beside a Sysmon 13),
   * merged into this finding: the write was corroborated. Absent when only one record shows it.
   */
  alsoSeenIn?: EvidenceSighting[];
  /** For 'sigma' basis: the rule that fired. */
  sigmaRule?: { id: string; title: string; level: string; tags: string[]; path?: string };
}
