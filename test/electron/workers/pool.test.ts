// The pool's failure handling with a scripted stand-in worker: a crashing worker fails only its
// own job, and cancel terminates a worker that ignores it, within the grace period.

import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../../../electron/workers/pool';
import type { Job } from '../../../electron/workers/protocol';
import type { Problem } from '../../../shared/model/problems';

const url = new URL('./fixtures/scripted-worker.mjs', import.meta.url);
const job = (jobId: number, name: string): Job => ({ kind: 'read', jobId, fileId: `f${jobId}`, path: '/nonexistent', name, hash: false });

function record() {
  const done: { id: number; cancelled: boolean; started: boolean }[] = [];
  const problems: { id: number; p: Problem }[] = [];
  return {
    done,
    problems,
    handlers: {
      onProgress: () => undefined,
      onBatch: () => undefined,
      onProblem: (j: Job, p: Problem) => problems.push({ id: j.jobId, p }),
      onDone: (j: Job, o: { cancelled: boolean; started: boolean }) => done.push({ id: j.jobId, cancelled: o.cancelled, started: o.started }),
    },
  };
}

describe('worker pool', () => {
  it('a worker crash fails only its own job; the other jobs finish', async () => {
    const pool = new WorkerPool({ workers: 2, workerUrl: url });
    try {
      const r = record();
      await pool.run([job(1, 'a'), job(2, 'crash'), job(3, 'b'), job(4, 'c')], r.handlers).done;
      expect(r.done.map((d) => d.id).sort()).toEqual([1, 2, 3, 4]);
      expect(r.problems.map((x) => [x.id, x.p.code, x.p.level])).toEqual([[2, 'INTERNAL', 'error']]);
    } finally {
      await pool.close();
    }
  });

  it('retires its workers once a run has no job left for them, and starts them again for the next run', async () => {
    const pool = new WorkerPool({ workers: 2, workerUrl: url });
    try {
      pool.warm();
      expect(pool.liveWorkers).toBe(2);
      const r = record();
      await pool.run([job(1, 'a'), job(2, 'b'), job(3, 'c')], r.handlers).done;
      expect(r.done.map((d) => d.id).sort()).toEqual([1, 2, 3]);
      expect(pool.liveWorkers).toBe(0);
      const r2 = record();
      await pool.run([job(4, 'a')], r2.handlers).done;
      expect(r2.done).toEqual([{ id: 4, cancelled: false, started: true }]);
      expect(pool.liveWorkers).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('cancel terminates a worker that does not stop, within the grace period, and drops queued jobs', async () => {
    const pool = new WorkerPool({ workers: 1, workerUrl: url, cancelGraceMs: 300 });
    try {
      const r = record();
      const run = pool.run([job(1, 'hang'), job(2, 'a')], r.handlers);
      await new Promise((res) => setTimeout(res, 300)); // let the hang start
      const t0 = Date.now();
      await run.cancel();
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(r.done).toEqual(expect.arrayContaining([{ id: 2, cancelled: true, started: false }, { id: 1, cancelled: true, started: true }]));
      // the pool is usable again afterwards, also with its workers started ahead of time
      pool.warm();
      const r2 = record();
      await pool.run([job(5, 'a')], r2.handlers).done;
      expect(r2.done).toEqual([{ id: 5, cancelled: false, started: true }]);
    } finally {
      await pool.close();
    }
  });
});
