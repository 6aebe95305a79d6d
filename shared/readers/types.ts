// The contract between hosts and readers. A host (worker, CLI, browser) hands a reader a ByteSource
// (random access to the evidence, read-only) and a context that collects problems and progress;
// the reader yields batches of RawEvents. Readers never throw for bad input: they report a Problem
// and go on at the smallest level they can; they throw only for cancellation or host I/O failure.

import type { Problem } from '../model/problems';
import type { EvidenceFormat, RawEvent } from '../model/raw-event';

// The byte layer's source type is part of the reader contract: re-exported so hosts and tests name
// it from here as before.
export { type ByteSource, bytesSource } from '../bytes/byte-source';

export interface ReaderContext {
  /** The evidence file as the user gave it (for problems and EvidenceRef). */
  file: string;
  /** Path inside an archive, when reading a member. */
  member?: string;
  onProblem(p: Problem): void;
  /** Called with the number of source bytes consumed so far (monotonic). */
  onProgress?(bytesDone: number): void;
  /** Polled between batches; when true the reader stops and returns. */
  isCancelled?(): boolean;
}

export interface ReadSummary {
  format: EvidenceFormat | 'archive' | 'unknown';
  /** Records / events successfully read. */
  records: number;
  /** Records that were found but could not be decoded. */
  failedRecords: number;
  bytes: number;
  /** EVTX: how many of `records` were carved (ref.recovered: chunk slack, chunks whose header is gone). */
  recoveredRecords?: number;
  /** EVTX: carved candidates in slack whose framing held but whose binary XML did not decode (not failures: usually stale fragments). */
  deletedFragments?: number;
  /** EVTX: carved copies dropped because a live record of the file is the same event (same header id, System and data). */
  droppedLiveCopies?: number;
}


/** Utility for tests and small inputs: drain a reader's batches. */
export async function collect(batches: AsyncIterable<RawEvent[]>): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const b of batches) for (const e of b) out.push(e);
  return out;
}
