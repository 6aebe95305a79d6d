// The case stage of the engine as the back half runs it: once every job is in (or cancelled), the
// job indexes are merged once and analyzeCase correlates, stacks rarity, applies the baseline and
// scores. Re-running it with another baseline re-scores the case without re-reading the evidence.
// Candidates seen while reading are scored on their own (empty index) for the preliminary list.

import type { Finding } from '../../shared/model/finding';
import { analyzeCase, emptyIndex, mergeIndexes, type Candidate, type CorrelationIndex } from '../../shared/detect/engine';
import { BASELINE_FORMAT_VERSION, type Baseline, type BaselineEntry } from '../../shared/detect/baseline';

export class CaseMaterial {
  readonly candidates: Candidate[] = [];
  private parts: CorrelationIndex[] = [];
  private merged?: CorrelationIndex;

  addIndex(index: CorrelationIndex): void {
    this.parts.push(index);
    this.merged = undefined;
  }

  index(): CorrelationIndex {
    if (!this.merged) {
      this.merged = mergeIndexes(this.parts);
      this.parts = [this.merged];
    }
    return this.merged;
  }
}

function baselineOf(entries: readonly BaselineEntry[]): Baseline {
  return { format: 'runkey-hunter-baseline', version: BASELINE_FORMAT_VERSION, entries: [...entries] };
}

export function analyzeCaseMaterial(material: CaseMaterial, entries: readonly BaselineEntry[]): Finding[] {
  return analyzeCase({ candidates: material.candidates, index: material.index(), baseline: baselineOf(entries) });
}

/** Preliminary findings for candidates as they arrive (no correlation / rarity yet). */
export function preliminaryFindings(candidates: readonly Candidate[], entries: readonly BaselineEntry[]): Finding[] {
  return analyzeCase({ candidates, index: emptyIndex(), baseline: baselineOf(entries) });
}
