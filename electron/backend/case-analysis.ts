// The case stage of the engine as the back half runs it: once every job is in (or cancelled), the
// job indexes (appended batch by batch) feed analyzeCase, which correlates, stacks rarity, applies the baseline and
// scores (with the Sigma hits of the analyst's rules as reasons or findings). Re-running it with another baseline re-scores the case without re-reading the evidence.
// Candidates seen while reading are scored on their own (empty index) for the preliminary list.

import type { Finding } from '../../shared/model/finding';
import { analyzeCase, emptyIndex, type Candidate, type CorrelationIndex } from '../../shared/detect/engine';
import { eventKey, type EvidenceFormat, type EvidenceRef } from '../../shared/model/raw-event';
import type { EventSource } from '../../shared/model/events';
import type { IndexedProcess } from '../../shared/detect/types';
import { BASELINE_FORMAT_VERSION, type Baseline, type BaselineEntry } from '../../shared/detect/baseline';

/**
 * What the case keeps for the case stage: the candidates and ONE correlation index, appended to
 * as worker batches arrive. Strings that repeat across events (file names, hosts, images, command
 * lines, users, hashes, GUIDs) are interned, so a busy host's millions of process starts cost one
 * copy of each distinct string rather than one per event (structured clone gives every event
 * its own copies).
 */
export class CaseMaterial {
  readonly candidates: Candidate[] = [];
  /**
   * Findings of the analyst's Sigma rules, handed to the case stage: a hit on a candidate's event
   * becomes a reason of that finding, any other hit a finding correlated, stacked and baselined
   * like the engine's own.
   */
  readonly sigmaFindings: Finding[] = [];
  private readonly merged: CorrelationIndex = emptyIndex();
  private readonly strings = new Map<string, string>();

  private intern<T extends string | undefined>(s: T): T {
    if (s === undefined) return s;
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit as T;
    this.strings.set(s, s);
    return s;
  }

  private ref(r: EvidenceRef): EvidenceRef {
    r.file = this.intern(r.file);
    if (r.member !== undefined) r.member = this.intern(r.member);
    return r;
  }

  addIndex(part: CorrelationIndex): void {
    const m = this.merged;
    // a case holds every process start of the evidence (most records of a Sysmon log): each is
    // kept as a fixed-shape StoredProcess (no per-event key string or ref object), interned
    for (const p of part.processes) m.processes.push(new StoredProcess(p, this.strings));
    for (const f of part.files) {
      f.ref = this.ref(f.ref);
      f.host = this.intern(f.host);
      f.image = this.intern(f.image);
      f.guid = this.intern(f.guid);
      f.path = this.intern(f.path);
      m.files.push(f);
    }
    for (const d of part.deletions) {
      d.ref = this.ref(d.ref);
      d.host = this.intern(d.host);
      d.image = this.intern(d.image);
      d.registryKey = this.intern(d.registryKey);
      m.deletions.push(d);
    }
    // keys created under a key that holds autostart keys: a rename finding links the creation of
    // the key under its first name (Correlation.keyCreated). Appended here rather than through the
    // engine's mergeIndexes, which builds a new index from all parts (this one grows batch by
    // batch and interns its strings).
    const made = (m.keyCreations ??= []);
    for (const k of part.keyCreations ?? []) {
      k.ref = this.ref(k.ref);
      k.host = this.intern(k.host);
      k.image = this.intern(k.image);
      k.registryKey = this.intern(k.registryKey);
      made.push(k);
    }
    for (const [h, n] of Object.entries(part.hosts)) m.hosts[h] = (m.hosts[h] ?? 0) + n;
  }

  index(): CorrelationIndex {
    return this.merged;
  }

  /** Reading is over: the intern table is no longer needed. */
  seal(): void {
    this.strings.clear();
  }
}

function internIn<T extends string | undefined>(strings: Map<string, string>, s: T): T {
  if (s === undefined) return s;
  const hit = strings.get(s);
  if (hit !== undefined) return hit as T;
  strings.set(s, s);
  return s;
}

/**
 * One process start as the case keeps it: every field of IndexedProcess in a fixed-shape object,
 * with the evidence reference flattened and the event key (a long, per-event string: file path +
 * record id + offset) computed when asked for (eventKey of the ref, which is how normalize made it).
 * This is the bulk of a case's memory: ~90% of a Sysmon log's records are process starts.
 */
class StoredProcess implements IndexedProcess {
  readonly host: string;
  readonly time: string;
  readonly timeMs: number;
  readonly source: EventSource | undefined;
  readonly eventId: number | undefined;
  readonly guid: string | undefined;
  readonly pid: number | undefined;
  readonly image: string | undefined;
  readonly commandLine: string | undefined;
  readonly hashes: string | undefined;
  readonly user: string | undefined;
  readonly parentGuid: string | undefined;
  readonly parentPid: number | undefined;
  readonly parentImage: string | undefined;
  readonly parentCommandLine: string | undefined;
  private readonly file: string;
  private readonly member: string | undefined;
  private readonly format: EvidenceFormat;
  private readonly recordId: number | undefined;
  private readonly headerRecordId: number | undefined;
  private readonly line: number | undefined;
  private readonly offset: number | undefined;
  private readonly chunk: number | undefined;
  /** The key normalize gave the event, when it is not eventKey(ref) (never for events the readers make). */
  private readonly ownKey: string | undefined;

  constructor(p: IndexedProcess, strings: Map<string, string>) {
    const i = <T extends string | undefined>(s: T): T => internIn(strings, s);
    this.host = i(p.host);
    this.time = p.time;
    this.timeMs = p.timeMs;
    this.source = p.source;
    this.eventId = p.eventId;
    this.guid = i(p.guid);
    this.pid = p.pid;
    this.image = i(p.image);
    this.commandLine = i(p.commandLine);
    this.hashes = i(p.hashes);
    this.user = i(p.user);
    this.parentGuid = i(p.parentGuid);
    this.parentPid = p.parentPid;
    this.parentImage = i(p.parentImage);
    this.parentCommandLine = i(p.parentCommandLine);
    const r = p.ref;
    this.file = i(r.file);
    this.member = i(r.member);
    this.format = r.format;
    this.recordId = r.recordId;
    this.headerRecordId = r.headerRecordId;
    this.line = r.line;
    this.offset = r.offset;
    this.chunk = r.chunk;
    this.ownKey = p.key === eventKey(r) ? undefined : p.key;
  }

  get ref(): EvidenceRef {
    const r: EvidenceRef = { file: this.file, format: this.format };
    if (this.member !== undefined) r.member = this.member;
    if (this.recordId !== undefined) r.recordId = this.recordId;
    if (this.headerRecordId !== undefined) r.headerRecordId = this.headerRecordId;
    if (this.line !== undefined) r.line = this.line;
    if (this.offset !== undefined) r.offset = this.offset;
    if (this.chunk !== undefined) r.chunk = this.chunk;
    return r;
  }

  get key(): string {
    return this.ownKey ?? eventKey(this.ref);
  }
}

function baselineOf(entries: readonly BaselineEntry[]): Baseline {
  return { format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries: [...entries] };
}

export function analyzeCaseMaterial(material: CaseMaterial, entries: readonly BaselineEntry[]): Finding[] {
  return analyzeCase({ candidates: material.candidates, index: material.index(), baseline: baselineOf(entries), sigmaFindings: material.sigmaFindings });
}

/** Preliminary findings for candidates as they arrive (no correlation / rarity yet). */
export function preliminaryFindings(candidates: readonly Candidate[], entries: readonly BaselineEntry[]): Finding[] {
  return analyzeCase({ candidates, index: emptyIndex(), baseline: baselineOf(entries) });
}
