// Types of the detection stages. A Candidate is what the per-event stage (detectCandidate, pure and
// stateless, run in workers) knows about one autostart write; the CorrelationIndex is the compact
// slice of the other events that correlation needs. Both are plain JSON so workers can post them to
// the main thread, and indexes merge by concatenation.

import type { EvidenceRef } from '../model/raw-event';
import type { Finding } from '../model/finding';
import type { EventSource } from '../model/events';
import type { ProcessRows } from './process-table';
import type { FileRows } from './file-table';

/** A finding before the case stage: no score, rarity, baseline or correlation yet. */
export type Candidate = Omit<Finding, 'score' | 'severity' | 'rarity' | 'baseline' | 'correlation'>;

/** What every indexed event keeps: where it is in the evidence, and when and where it happened. */
export interface IndexedEvent {
  key: string;
  ref: EvidenceRef;
  host: string;
  time: string;
  timeMs: number;
}

/** A process start, reduced to what correlation uses. */
export interface IndexedProcess extends IndexedEvent {
  /** Which source logged the start (its twins in other sources are linked as alsoSeenIn). */
  source?: EventSource;
  eventId?: number;
  guid?: string;
  pid?: number;
  image?: string;
  commandLine?: string;
  hashes?: string;
  user?: string;
  parentGuid?: string;
  parentPid?: number;
  parentImage?: string;
  parentCommandLine?: string;
}

export interface IndexedFile extends IndexedEvent {
  path: string;
  image?: string;
  guid?: string;
}

/** A key created under a key that holds autostart keys: it may be renamed into one later. */
export interface IndexedKeyCreation extends IndexedEvent {
  /** Canonical key path. */
  registryKey: string;
  image?: string;
}

export interface IndexedDeletion extends IndexedKeyCreation {
  /** Value name for value deletions (registryKey is then the value's key). */
  valueName?: string;
}

/** One part of a 4104 script block logged in several (joined by scriptBlockId in the case stage). */
export interface IndexedScriptPart extends IndexedEvent {
  eventId?: number;
  user?: string;
  pid?: number;
  blockId: string;
  number: number;
  total: number;
  text: string;
  scriptPath?: string;
}

/** A Security 4624 logon of type 3 (network), for remote writes. */
export interface IndexedLogon extends IndexedEvent {
  logonType: number;
  account?: string;
  ipAddress?: string;
  workstation?: string;
  logonId?: string;
}

export interface CorrelationIndex {
  processes: IndexedProcess[];
  files: IndexedFile[];
  deletions: IndexedDeletion[];
  /** Optional so indexes built before it existed still merge. */
  keyCreations?: IndexedKeyCreation[];
  /**
   * More process starts, kept column-wise (shared/detect/process-table): how a case holds the
   * millions of starts of its evidence. Read together with `processes`.
   */
  processTable?: ProcessRows;
  /** More file creations, kept column-wise (shared/detect/file-table). Read together with `files`. */
  fileTable?: FileRows;
  /** Parts of multi-part 4104 script blocks (optional so older indexes still merge). */
  scriptParts?: IndexedScriptPart[];
  /** Network logons (4624 type 3). */
  logons?: IndexedLogon[];
  /** Every host seen in the case (for rarity's denominator), with event counts. */
  hosts: Record<string, number>;
}

export interface RarityOptions {
  /** A value is rare when seen on at most this many hosts ... */
  maxHosts: number;
  /** ... and fewer than this many times. */
  maxCount: number;
  /** Rarity only speaks when the case has at least this many hosts. */
  minHostsInCase: number;
}

export interface AnalyzeOptions {
  /** Window before a write in which a payload file creation is linked (ms). */
  payloadWindowMs: number;
  /** Window before a write in which a writer process start is searched by host + pid (ms). */
  pidWindowMs: number;
  /** Records of one write by several sources (Sysmon 13, 4657, Defender) this close in time are merged (ms). */
  sightingWindowMs: number;
  rarity: RarityOptions;
  /** Use the built-in known-good list. */
  builtinBaseline: boolean;
}

export const DEFAULT_OPTIONS: AnalyzeOptions = {
  payloadWindowMs: 10 * 60 * 1000,
  pidWindowMs: 24 * 60 * 60 * 1000,
  sightingWindowMs: 2000,
  rarity: { maxHosts: 5, maxCount: 20, minHostsInCase: 3 },
  builtinBaseline: true,
};

export function emptyIndex(): CorrelationIndex {
  return { processes: [], files: [], deletions: [], keyCreations: [], scriptParts: [], logons: [], hosts: {} };
}
