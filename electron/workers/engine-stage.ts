// The per-event part of the engine as run inside a worker: normalize each raw event, run the
// stateless single-event detection (detectCandidate) and add what correlation and rarity need to
// this job's compact correlation index (indexEvent). It is the only place the workers touch the
// detection engine (and the analyst's Sigma rules, when a folder is set). Everything it returns is structured-clone data; indexes from several jobs are
// merged on the main thread (mergeIndexes).

import type { RawEvent } from '../../shared/model/raw-event';
import { normalize } from '../../shared/normalize/normalize';
import { detectCandidate, emptyIndex, indexEvent, type Candidate, type CorrelationIndex } from '../../shared/detect/engine';
import { evaluate, sigmaHitToFinding, type SigmaRuleset } from '../../shared/sigma/index';
import type { Finding } from '../../shared/model/finding';

/** Sent to the main process every few thousand records and at the end of a job. */
export interface WorkerBatch {
  /** Records read since the previous batch. */
  records: number;
  /** Records that normalized to an event the engine uses. */
  normalized: number;
  /** Candidate findings (single-event indicators, not yet scored against the case). */
  candidates: Candidate[];
  /** The slice of the correlation index built since the previous batch (indexes merge by concatenation). */
  index: CorrelationIndex;
  /** Hits of the analyst's Sigma rules, as findings (basis 'sigma'). */
  sigmaFindings: Finding[];
}

/** What a job reports when it is finished (its index went out with its batches). */
export interface WorkerJobResult {
  normalized: number;
}

export interface WorkerStage {
  add(batch: readonly RawEvent[]): void;
  /** The batch gathered since the last call (undefined when empty). */
  take(): WorkerBatch | undefined;
  finish(): WorkerJobResult;
}

export function createWorkerStage(sigma?: SigmaRuleset): WorkerStage {
  let records = 0;
  let normalized = 0;
  let normalizedTotal = 0;
  let candidates: Candidate[] = [];
  let sigmaFindings: Finding[] = [];
  // handed over with every batch so neither side holds a job's whole index twice
  let index = emptyIndex();
  return {
    add(batch) {
      for (const raw of batch) {
        records++;
        const ev = normalize(raw);
        if (!ev) continue;
        normalized++;
        normalizedTotal++;
        const c = detectCandidate(ev);
        if (c) candidates.push(c);
        indexEvent(index, ev);
        if (sigma) for (const hit of evaluate(sigma, ev, raw)) sigmaFindings.push(sigmaHitToFinding(hit, ev));
      }
    },
    take() {
      if (records === 0 && candidates.length === 0) return undefined;
      const out: WorkerBatch = { records, normalized, candidates, index, sigmaFindings };
      sigmaFindings = [];
      records = 0;
      normalized = 0;
      candidates = [];
      index = emptyIndex();
      return out;
    },
    finish() {
      return { normalized: normalizedTotal };
    },
  };
}
