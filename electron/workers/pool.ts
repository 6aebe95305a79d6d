// A pool of worker threads running ingestion jobs (whole files, EVTX chunk ranges, hashes).
// Invariants:
//  - each worker runs one job at a time; idle workers take the next queued job in order;
//  - cancel() bumps a shared generation counter that running jobs poll between batches; a worker
//    that has not reported 'done' within the grace period is terminated (and replaced on the next
//    run), so cancel always completes within ~1 s and keeps everything already reported;
//  - a worker that crashes fails only its current job (as an INTERNAL problem); the others go on;
//  - a worker exits once the run has no job left for it (memory goes back while the case stage
//    runs); warm() and the next run start workers again;
//  - messages from a worker the pool gave up on are ignored.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Problem } from '../../shared/model/problems';
import type { FromWorker, Job, ToWorker, WorkerInit } from './protocol';
import type { WorkerBatch } from './engine-stage';
import type { JobOutcome } from './run-job';
import type { RuleFile } from '../../shared/sigma/index';

export interface PoolOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Worker entry (default: the tsx bootstrap next to this file; the Electron build passes its bundle). */
  workerUrl?: URL;
  progressIntervalMs?: number;
  /** How long cancel waits for running jobs before terminating their workers. */
  cancelGraceMs?: number;
  /** V8 young-generation size per worker (MB; default 16, or RUNKEY_WORKER_YOUNG_MB). Small keeps each worker's RSS low: a worker's data is short-lived per chunk. */
  youngGenerationMb?: number;
}

export interface JobHandlers {
  onProgress(job: Job, bytesDone: number, records: number): void;
  onBatch(job: Job, batch: WorkerBatch): void;
  onProblem(job: Job, problem: Problem): void;
  /** Called exactly once per job, also for jobs dropped by cancel (cancelled, never started). */
  onDone(job: Job, outcome: JobOutcome & { started: boolean }): void;
}

export interface PoolRun {
  done: Promise<void>;
  cancel(): Promise<void>;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job?: Job;
  seqIn: number;
  lastSeqOut: number;
  dead: boolean;
  /** Id of the Sigma rule set this worker holds. */
  sigmaId?: string;
}

/**
 * A worker's young generation (MB). V8's default (3 × 16 MB semi-spaces) costs each worker ~25 MB
 * more at the same speed (bench backend: 2 workers, 1 GB: peak RSS 399 → 374 MB); 8 MB is slower.
 */
const DEFAULT_YOUNG_GENERATION_MB = 16;

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export class WorkerPool {
  readonly size: number;
  private readonly url: URL;
  private readonly cancelBuf = new SharedArrayBuffer(4);
  private readonly cancelFlag = new Int32Array(this.cancelBuf);
  private readonly slots: Slot[] = [];
  private readonly progressIntervalMs: number;
  private readonly cancelGraceMs: number;
  private readonly youngGenerationMb: number | undefined;
  private active?: { queue: Job[]; handlers: JobHandlers; running: number; resolve: () => void; cancelled: boolean };

  constructor(opts: PoolOptions = {}) {
    this.size = Math.max(1, opts.workers && opts.workers > 0 ? opts.workers : defaultWorkerCount());
    this.url = opts.workerUrl ?? new URL('./ingest-worker.mjs', import.meta.url);
    this.progressIntervalMs = opts.progressIntervalMs ?? 100;
    this.cancelGraceMs = opts.cancelGraceMs ?? 800;
    this.youngGenerationMb = opts.youngGenerationMb ?? (process.env.RUNKEY_WORKER_YOUNG_MB ? Number(process.env.RUNKEY_WORKER_YOUNG_MB) : DEFAULT_YOUNG_GENERATION_MB);
  }

  private spawn(): Slot {
    const init: WorkerInit = { cancel: this.cancelBuf, progressIntervalMs: this.progressIntervalMs };
    const worker = new Worker(this.url, { workerData: init, resourceLimits: this.youngGenerationMb ? { maxYoungGenerationSizeMb: this.youngGenerationMb } : undefined });
    let markReady: () => void = () => undefined;
    const slot: Slot = { worker, ready: new Promise<void>((r) => (markReady = r)), seqIn: 0, lastSeqOut: 0, dead: false };
    worker.on('message', (m: FromWorker) => {
      if (slot.dead) return;
      if (m.seq <= slot.lastSeqOut) return; // out of order or replayed: never expected, never trusted
      slot.lastSeqOut = m.seq;
      if (m.type === 'ready') return markReady();
      try {
        this.onMessage(slot, m);
      } catch (e) {
        // a handler bug must not take the main process down: count it against the job
        const job = slot.job;
        console.error(`runkey-hunter: handling a ${m.type} message failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        if (job && this.active) this.active.handlers.onProblem(job, { code: 'INTERNAL', level: 'error', file: job.name, message: `handling a ${m.type} message failed` });
      }
    });
    worker.on('error', (e) => this.onCrash(slot, e.message));
    worker.on('exit', (code) => {
      if (!slot.dead) this.onCrash(slot, `worker exited with code ${code}`);
    });
    return slot;
  }

  private post(slot: Slot, m: ToWorker extends infer T ? (T extends { seq: number } ? Omit<T, 'seq'> : never) : never): void {
    slot.worker.postMessage({ ...m, seq: ++slot.seqIn } as ToWorker);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const run = this.active;
    const job = slot.job;
    if (!run || !job || !('jobId' in m) || m.jobId !== job.jobId) return;
    switch (m.type) {
      case 'progress':
        run.handlers.onProgress(job, m.bytesDone, m.records);
        break;
      case 'batch':
        run.handlers.onBatch(job, m.batch);
        break;
      case 'problem':
        run.handlers.onProblem(job, m.problem);
        break;
      case 'done':
        this.finishJob(slot, { cancelled: m.cancelled, summary: m.summary, sha256: m.sha256, result: m.result, started: true });
        break;
      case 'failed':
        run.handlers.onProblem(job, { code: 'INTERNAL', level: 'error', file: job.name, message: `worker job failed: ${m.error.message}` });
        this.finishJob(slot, { cancelled: false, started: true });
        break;
    }
  }

  private onCrash(slot: Slot, message: string): void {
    if (slot.dead) return;
    slot.dead = true;
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    const job = slot.job;
    const run = this.active;
    if (job && run) {
      run.handlers.onProblem(job, { code: 'INTERNAL', level: 'error', file: job.name, message: `worker crashed: ${message}` });
      slot.job = undefined;
      run.running--;
      run.handlers.onDone(job, { cancelled: run.cancelled, started: true });
      this.pump();
    }
  }

  private finishJob(slot: Slot, outcome: JobOutcome & { started: boolean }): void {
    const run = this.active;
    const job = slot.job;
    if (!run || !job) return;
    slot.job = undefined;
    slot.worker.unref(); // an idle pool does not keep the process alive
    run.running--;
    run.handlers.onDone(job, outcome);
    this.pump();
  }

  private pump(): void {
    const run = this.active;
    if (!run) return;
    if (!run.cancelled) {
      while (run.queue.length > 0) {
        let slot = this.slots.find((s) => !s.job && !s.dead);
        if (!slot && this.slots.length < this.size) {
          slot = this.spawn();
          this.slots.push(slot);
        }
        if (!slot) break;
        const job = run.queue.shift() as Job;
        slot.job = job;
        slot.worker.ref();
        run.running++;
        const s = slot;
        void s.ready.then(() => {
          if (s.dead || s.job !== job) return;
          if (job.kind === 'read' && job.sigmaId !== undefined && s.sigmaId !== job.sigmaId && this.sigma?.id === job.sigmaId) {
            this.post(s, { type: 'sigma', id: this.sigma.id, files: this.sigma.files });
            s.sigmaId = this.sigma.id;
          }
          this.post(s, { type: 'job', job });
        });
      }
    }
    // a worker with nothing left to do exits: its heap goes back to the system while the case
    // stage runs (a new one starts with the next case's first job)
    if (run.queue.length === 0 || run.cancelled) {
      for (const slot of this.slots.filter((s) => !s.job && !s.dead)) this.kill(slot);
    }
    if (run.running === 0 && (run.queue.length === 0 || run.cancelled)) {
      this.active = undefined;
      run.resolve();
    }
  }

  private sigma?: { id: string; files: RuleFile[] };

  /** The Sigma rules jobs with this id evaluate (sent to each worker once, before its first such job). */
  setSigmaRules(id: string, files: RuleFile[]): void {
    this.sigma = { id, files };
  }

  /** Worker threads alive now (started and not retired). */
  get liveWorkers(): number {
    return this.slots.filter((s) => !s.dead).length;
  }

  /** Starts every worker now (idle, not keeping the process alive), so the first case does not wait for them. */
  warm(): void {
    while (this.slots.length < this.size) {
      const slot = this.spawn();
      slot.worker.unref();
      this.slots.push(slot);
    }
  }

  /** Runs the jobs; one run at a time (a second call waits for the first to finish). */
  run(jobs: readonly Job[], handlers: JobHandlers): PoolRun {
    if (this.active) throw new Error('the pool is already running a case');
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    const run = { queue: [...jobs], handlers, running: 0, resolve, cancelled: false };
    this.active = run;
    this.pump();
    const cancel = async () => {
      if (run.cancelled || this.active !== run) return done;
      run.cancelled = true;
      Atomics.add(this.cancelFlag, 0, 1);
      for (const job of run.queue.splice(0)) handlers.onDone(job, { cancelled: true, started: false });
      this.pump();
      const timer = setTimeout(() => {
        for (const slot of [...this.slots]) {
          if (slot.job && this.active === run) {
            const job = slot.job;
            this.kill(slot);
            run.running--;
            slot.job = undefined;
            handlers.onDone(job, { cancelled: true, started: true });
          }
        }
        this.pump();
      }, this.cancelGraceMs);
      await done;
      clearTimeout(timer);
    };
    return { done, cancel };
  }

  private kill(slot: Slot): void {
    slot.dead = true;
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    void slot.worker.terminate();
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (s) => {
        s.dead = true;
        await s.worker.terminate();
      }),
    );
  }
}
