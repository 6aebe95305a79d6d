// Turns the evidence files of a case into pool jobs. A large EVTX file is split into chunk ranges
// so one file is spread over the cores; its SHA-256 is then computed by a separate sequential hash
// job (SHA-256 cannot be combined from out-of-order pieces). Every other file is one job that hashes
// the bytes as the reader consumes them. Planning only reads the file header (read-only); a file
// that cannot be opened still becomes a job, so its UNREADABLE problem is reported in one place.

import { openFileSource } from '../io/file-source';
import { countEvtxChunks, looksLikeEvtx } from '../../shared/evtx/reader';
import type { Problem } from '../../shared/model/problems';
import type { Job } from '../workers/protocol';

export interface PlannedFile {
  fileId: string;
  path: string;
  name: string;
  /** Size from stat (files below the split threshold are not opened while planning). */
  size: number;
}

export interface PlanOptions {
  workers: number;
  /** EVTX files at least this big are split (bytes). */
  splitThreshold?: number;
  /** Jobs per worker to aim for when splitting (load balance vs. per-job start-up cost). */
  jobsPerWorker?: number;
  minChunksPerJob?: number;
  /** Sigma rule set the read jobs evaluate (see WorkerPool.setSigmaRules). */
  sigmaId?: string;
}

const EVTX_HEADER_BLOCK = 4096;
const EVTX_CHUNK = 65536;

export async function planJobs(files: readonly PlannedFile[], opts: PlanOptions, onProblem: (fileId: string, p: Problem) => void): Promise<Job[]> {
  const threshold = opts.splitThreshold ?? 16 * 1024 * 1024;
  const perWorker = opts.jobsPerWorker ?? 8;
  const minChunks = opts.minChunksPerJob ?? 16;
  const jobs: Job[] = [];
  let jobId = 0;
  for (const f of files) {
    let chunks = 0;
    if (opts.workers > 1 && f.size >= threshold) {
      try {
        const src = await openFileSource(f.path);
        try {
          if (src.size >= threshold && looksLikeEvtx(await src.read(0, 8))) {
            chunks = await countEvtxChunks(src, { file: f.name, onProblem: (p) => onProblem(f.fileId, p) });
          }
        } finally {
          await src.close();
        }
      } catch {
        // unopenable or unplannable: the single read job below reports it as a problem of the file
        chunks = 0;
      }
    }
    if (chunks > minChunks) {
      // the hash job goes first: it runs beside the first range jobs instead of alone at the end
      jobs.push({ kind: 'hash', jobId: jobId++, fileId: f.fileId, path: f.path, name: f.name });
      const per = Math.max(minChunks, Math.ceil(chunks / (opts.workers * perWorker)));
      for (let start = 0; start < chunks; start += per) {
        jobs.push({ kind: 'read', jobId: jobId++, fileId: f.fileId, path: f.path, name: f.name, chunkRange: [start, Math.min(chunks, start + per)], hash: false, sigmaId: opts.sigmaId });
      }
    } else {
      jobs.push({ kind: 'read', jobId: jobId++, fileId: f.fileId, path: f.path, name: f.name, hash: true, sigmaId: opts.sigmaId });
    }
  }
  return jobs;
}

/** Bytes a job stands for in the file's progress (a range job: its chunks; the header block goes with the first). */
export function jobBytes(job: Job, fileSize: number): number {
  if (job.kind === 'hash') return 0;
  if (!job.chunkRange) return fileSize;
  const [a, b] = job.chunkRange;
  const start = a === 0 ? 0 : EVTX_HEADER_BLOCK + a * EVTX_CHUNK;
  const end = Math.min(fileSize, EVTX_HEADER_BLOCK + b * EVTX_CHUNK);
  return Math.max(0, end - start);
}
