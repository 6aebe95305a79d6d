// The message protocol between the main process (pool) and the ingestion workers. A discriminated
// union on `type`, every message carrying a sequence number (per sender, strictly increasing) so a
// reader of a trace can order them and the pool can drop anything from a worker it already gave up
// on. Messages are structured-clone data only: no class instances, no Error objects (an error that
// crossed a thread is a plain { message } value, never checked with instanceof).

import type { Problem } from '../../shared/model/problems';
import type { ReadSummary } from '../../shared/readers/types';
import type { WorkerBatch, WorkerJobResult } from './engine-stage';
import type { RuleFile } from '../../shared/sigma/index';

/** One unit of work: a whole file, or a range of chunks of one EVTX file, or a hash of one file. */
export interface ReadJob {
  kind: 'read';
  jobId: number;
  fileId: string;
  /** Absolute path opened read-only. */
  path: string;
  /** The evidence name as the user gave it (EvidenceRef.file). */
  name: string;
  /** EVTX only: chunk indexes [start, end). */
  chunkRange?: [number, number];
  /** Hash the file while reading it (whole-file jobs only). */
  hash: boolean;
  /** Evaluate the Sigma rule set with this id (sent to the worker beforehand with a 'sigma' message). */
  sigmaId?: string;
}

export interface HashJob {
  kind: 'hash';
  jobId: number;
  fileId: string;
  path: string;
  name: string;
}

export type Job = ReadJob | HashJob;

export type ToWorker =
  | { seq: number; type: 'job'; job: Job }
  /** The Sigma rules for jobs naming this id (compiled once per worker). */
  | { seq: number; type: 'sigma'; id: string; files: RuleFile[] }
  | { seq: number; type: 'shutdown' };

export type FromWorker =
  | { seq: number; type: 'ready' }
  | { seq: number; type: 'progress'; jobId: number; bytesDone: number; records: number }
  | { seq: number; type: 'batch'; jobId: number; batch: WorkerBatch }
  | { seq: number; type: 'problem'; jobId: number; problem: Problem }
  | {
      seq: number;
      type: 'done';
      jobId: number;
      cancelled: boolean;
      summary?: ReadSummary;
      sha256?: string;
      result?: WorkerJobResult;
    }
  | { seq: number; type: 'failed'; jobId: number; error: { message: string; stack?: string } };

/** Data handed to each worker at start (workerData). */
export interface WorkerInit {
  /** Int32Array over a SharedArrayBuffer: slot 0 is the cancel generation; a job started in generation g stops when it changes. */
  cancel: SharedArrayBuffer;
  /** Minimum milliseconds between progress messages of one job. */
  progressIntervalMs: number;
}
