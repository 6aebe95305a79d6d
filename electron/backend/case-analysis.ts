// The case stage of the engine as the back half runs it: once every job is in (or cancelled), the
// job indexes (appended batch by batch) feed analyzeCase, which correlates, stacks rarity, applies the baseline and
// scores (with the Sigma hits of the analyst's rules as reasons or findings). Re-running it with another baseline re-scores the case without re-reading the evidence.
// Candidates seen while reading are scored on their own (empty index) for the preliminary list.

import type { Finding } from '../../shared/model/finding';
import { analyzeCase, emptyIndex, scoreCandidates, type Candidate, type CorrelationIndex } from '../../shared/detect/engine';
import type { EvidenceRef } from '../../shared/model/raw-event';
import { ProcessTable, type ProcessBatch } from '../../shared/detect/process-table';
import { BASELINE_FORMAT_VERSION, type Baseline, type BaselineEntry } from '../../shared/detect/baseline';

/**
 * What the case keeps for the case stage: the candidates and ONE correlation index, appended to
 * as worker batches arrive. Process starts (most of the records) go to a column-wise ProcessTable
 * (index().processTable). Strings that repeat across events (file names, hosts, images, command
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
  private readonly processes = new ProcessTable();
  private readonly merged: CorrelationIndex = { ...emptyIndex(), processTable: this.processes };
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

  addIndex(part: CorrelationIndex, processes?: ProcessBatch): void {
    const m = this.merged;
    // a case holds every process start of the evidence (most records of a Sysmon log): they are
    // kept column-wise (numbers and ids into one string table), not as one object per start; a
    // worker sends them as columns already (one intern per distinct string of the batch)
    if (processes) this.processes.appendBatch(processes);
    for (const p of part.processes) this.processes.add(p);
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
    // 4104 parts waiting for their siblings and network logons (shared/detect script-parts,
    // writer-context): read in the case stage like the rest
    for (const x of part.scriptParts ?? []) {
      x.ref = this.ref(x.ref);
      x.host = this.intern(x.host);
      (m.scriptParts ??= []).push(x);
    }
    for (const x of part.logons ?? []) {
      x.ref = this.ref(x.ref);
      x.host = this.intern(x.host);
      x.account = this.intern(x.account);
      (m.logons ??= []).push(x);
    }
    for (const [h, n] of Object.entries(part.hosts)) m.hosts[h] = (m.hosts[h] ?? 0) + n;
  }

  index(): CorrelationIndex {
    return this.merged;
  }

  /** Reading is over: the intern table is no longer needed. */
  seal(): void {
    this.strings.clear();
    this.processes.seal();
  }
}

function baselineOf(entries: readonly BaselineEntry[]): Baseline {
  return { format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries: [...entries] };
}

export function analyzeCaseMaterial(material: CaseMaterial, entries: readonly BaselineEntry[]): Finding[] {
  return analyzeCase({ candidates: material.candidates, index: material.index(), baseline: baselineOf(entries), sigmaFindings: material.sigmaFindings });
}

/** Preliminary findings for candidates as they arrive: each scored on its own (no correlation, rarity or merging yet). */
export function preliminaryFindings(candidates: readonly Candidate[], entries: readonly BaselineEntry[]): Finding[] {
  return scoreCandidates(candidates, baselineOf(entries));
}
