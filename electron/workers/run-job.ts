// Runs one job (a whole evidence file, a chunk range of one EVTX file, or a hash) and reports
// through a sink. Plain Node: the worker thread calls it, and tests can call it in-process.
// Evidence is opened read-only (openFileSource, flag 'r'). Bad input never throws out of here: an
// unopenable file is an UNREADABLE problem, an unexpected exception an INTERNAL problem, and the
// job still ends with 'done' so the pool goes on with the other files.
// EVTX is read on the wantedFields fast path (scanWantedFields): only the EventData the engine and
// the analyst's Sigma rules can read is decoded, giving the same findings as a full decode.
// The file is read through a read-once source (electron/io/read-once-source.ts): read-ahead while
// the reader decodes, and, for a job that hashes, SHA-256 of the very blocks the reader parses, so
// a whole-file job reads each byte from disk once; no hash is reported for a cancelled job.

import { openReadOnceSource, type ReadOnceSource } from '../io/read-once-source';
import { readEvidence } from '../../shared/readers/read-evidence';
import { readEvtx } from '../../shared/evtx/reader';
import type { ByteSource, ReaderContext, ReadSummary } from '../../shared/readers/types';
import type { RawEvent } from '../../shared/model/raw-event';
import type { Problem } from '../../shared/model/problems';
import type { Job } from './protocol';
import type { SigmaRuleset } from '../../shared/sigma/index';
import { scanWantedFields } from '../../shared/detect/scan-fields';
import { scanReadOptions } from '../io/scan-read-options';
import { createWorkerStage, type WorkerBatch, type WorkerJobResult } from './engine-stage';

export const EVTX_CHUNK_SIZE = 65536;
const BATCH_RECORDS = 2000;
const BATCH_INTERVAL_MS = 250;

/** The analyst's Sigma rules as a worker holds them: compiled, with the raw fields they can read. */
export interface ScanRules {
  ruleset: SigmaRuleset;
  /** sigmaReferencedFields() of the compiled rules; undefined when a rule reads every field (keyword search). */
  fields: ReadonlySet<string> | undefined;
}

/** See shared/detect/scan-fields.ts (the CLI scan uses the same function). */
export { scanWantedFields };

export interface JobSink {
  progress(bytesDone: number, records: number): void;
  batch(b: WorkerBatch): void;
  problem(p: Problem): void;
}

export interface JobOutcome {
  cancelled: boolean;
  summary?: ReadSummary;
  sha256?: string;
  result?: WorkerJobResult;
}

/** The source's SHA-256, or undefined with a problem when it cannot be had (an I/O error, the file changed size). */
async function hashOf(src: ReadOnceSource, name: string, sink: JobSink): Promise<string | undefined> {
  try {
    const sha256 = await src.sha256();
    if (sha256 === undefined) sink.problem({ code: 'UNREADABLE', level: 'warning', file: name, message: 'the file changed size while it was read: not hashed' });
    return sha256;
  } catch (e) {
    sink.problem({ code: 'UNREADABLE', level: 'error', file: name, message: `cannot hash: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}` });
    return undefined;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export async function runJob(job: Job, sink: JobSink, isCancelled: () => boolean, progressIntervalMs = 100, rules?: ScanRules): Promise<JobOutcome> {
  let src: ReadOnceSource;
  try {
    src = await openReadOnceSource(job.path, { hash: job.kind === 'hash' || job.hash });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    sink.problem({ code: 'UNREADABLE', level: 'error', file: job.name, message: `cannot open: ${code ?? errorMessage(e)}` });
    return { cancelled: false };
  }
  try {
    if (job.kind === 'hash') return { cancelled: false, sha256: await hashOf(src, job.name, sink) };
    const source: ByteSource = src;
    const stage = createWorkerStage(rules?.ruleset);
    const wanted = scanWantedFields(rules);
    let records = 0;
    let bytesDone = 0;
    let lastProgress = 0;
    let lastBatch = Date.now();
    let pending = 0;
    const rangeBytes = job.chunkRange ? (job.chunkRange[1] - job.chunkRange[0]) * EVTX_CHUNK_SIZE : src.size;
    const report = (force: boolean) => {
      const now = Date.now();
      if (force || now - lastProgress >= progressIntervalMs) {
        lastProgress = now;
        sink.progress(Math.min(bytesDone, rangeBytes), records);
      }
    };
    const flush = () => {
      const b = stage.take();
      if (b) sink.batch(b);
      pending = 0;
      lastBatch = Date.now();
    };
    const ctx: ReaderContext = {
      file: job.name,
      onProblem: (p) => sink.problem(p),
      onProgress: job.chunkRange
        ? undefined
        : (n) => {
            if (n > bytesDone) bytesDone = n;
          },
      isCancelled,
    };
    const gen: AsyncGenerator<RawEvent[], ReadSummary> = job.chunkRange
      ? readEvtx(source, ctx, { chunkRange: job.chunkRange, wantedFields: wanted })
      : readEvidence(source, ctx, scanReadOptions(rules));
    let summary: ReadSummary | undefined;
    let cancelled = false;
    try {
      for (;;) {
        if (isCancelled()) {
          cancelled = true;
          await gen.return(undefined as unknown as ReadSummary);
          break;
        }
        const r = await gen.next();
        if (r.done) {
          summary = r.value;
          break;
        }
        stage.add(r.value);
        records += r.value.length;
        pending += r.value.length;
        // a range job yields one batch per chunk
        if (job.chunkRange) bytesDone += EVTX_CHUNK_SIZE;
        if (pending >= BATCH_RECORDS || Date.now() - lastBatch >= BATCH_INTERVAL_MS) flush();
        report(false);
      }
    } catch (e) {
      sink.problem({ code: 'INTERNAL', level: 'error', file: job.name, message: `reader failed: ${errorMessage(e)}` });
    }
    if (!cancelled && isCancelled()) cancelled = true;
    flush();
    if (!cancelled) bytesDone = rangeBytes;
    report(true);
    const sha256 = job.hash && !cancelled ? await hashOf(src, job.name, sink) : undefined;
    return { cancelled, summary, sha256, result: stage.finish() };
  } catch (e) {
    sink.problem({ code: 'INTERNAL', level: 'error', file: job.name, message: errorMessage(e) });
    return { cancelled: false };
  } finally {
    await src.close();
  }
}
