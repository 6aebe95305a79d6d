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
import { ProcessTable, type ProcessBatch } from '../../shared/detect/process-table';

/** Sent to the main process every few thousand records and at the end of a job. */
export interface WorkerBatch {
  /** Records read since the previous batch. */
  records: number;
  /** Records that normalized to an event the engine uses. */
  normalized: number;
  /** Candidate findings (single-event indicators, not yet scored against the case). */
  candidates: Candidate[];
  /** The slice of the correlation index built since the previous batch, without its process starts (indexes merge by concatenation). */
  index: CorrelationIndex;
  /** The process starts of the batch, column-wise (typed arrays: the worker transfers them, see batchTransfer). */
  processes?: ProcessBatch;
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
  // handed over with every batch so neither side holds a job's whole index twice; process starts
  // go into a table of the batch's own and cross as columns, not as one object per start
  const freshIndex = (): CorrelationIndex => ({ ...emptyIndex(), processTable: new ProcessTable() });
  let index = freshIndex();
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
      const { processTable, ...rest } = index;
      const table = processTable as ProcessTable;
      const out: WorkerBatch = { records, normalized, candidates, index: rest, sigmaFindings };
      if (table.length) out.processes = table.toBatch();
      sigmaFindings = [];
      records = 0;
      normalized = 0;
      candidates = [];
      index = freshIndex();
      return out;
    },
    finish() {
      return { normalized: normalizedTotal };
    },
  };
}

/** The buffers a batch message can transfer instead of copying (the process columns). */
export function batchTransfer(b: WorkerBatch): ArrayBuffer[] {
  const p = b.processes;
  return p ? [p.nums.buffer, p.smalls.buffer, p.sids.buffer, p.guids.buffer] as ArrayBuffer[] : [];
}
