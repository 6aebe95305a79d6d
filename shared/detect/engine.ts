// The detection engine's public surface. Hosts that spread work over workers call detectCandidate
// and indexEvent per event (in the workers), mergeIndexes on the main thread, then analyzeCase; the
// CLI and tests use analyzeEvents, which does all of it in one pass.

import type { NormalizedEvent } from '../model/events';
import type { Finding } from '../model/finding';
import { analyzeCase } from './analyze-case';
import type { Baseline } from './baseline';
import { detectCandidate, indexEvent } from './detect-event';
import { ProcessTable } from './process-table';
import { FileTable } from './file-table';
import { emptyIndex, type AnalyzeOptions, type Candidate, type CorrelationIndex } from './types';

export { analyzeCase, scoreCandidates, type CaseInput } from './analyze-case';
export { detectCandidate, indexEvent, mergeIndexes, locationById } from './detect-event';
export * from './types';

/** Per-event accumulator: feed events, then call analyze() (as often as the baseline changes). */
export class CaseCollector {
  readonly candidates: Candidate[] = [];
  /** Process starts and file creations go column-wise into tables (most records of a log are those). */
  readonly index: CorrelationIndex = { ...emptyIndex(), processTable: new ProcessTable(), fileTable: new FileTable() };
  events = 0;

  add(ev: NormalizedEvent): void {
    this.events++;
    const c = detectCandidate(ev);
    if (c) this.candidates.push(c);
    indexEvent(this.index, ev);
  }

  analyze(baseline?: Baseline, options?: Partial<AnalyzeOptions>): Finding[] {
    if (this.index.processTable instanceof ProcessTable) this.index.processTable.seal();
    if (this.index.fileTable instanceof FileTable) this.index.fileTable.seal();
    return analyzeCase({ candidates: this.candidates, index: this.index, baseline, options });
  }
}

export function analyzeEvents(events: Iterable<NormalizedEvent>, opts: { baseline?: Baseline; options?: Partial<AnalyzeOptions> } = {}): Finding[] {
  const c = new CaseCollector();
  for (const ev of events) c.add(ev);
  return c.analyze(opts.baseline, opts.options);
}
