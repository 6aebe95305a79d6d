// The worker thread: receives jobs from the pool, runs them one at a time and reports through the
// typed protocol. Cancellation is a shared generation counter (Atomics), so a job sees it between
// two batches even while its event loop is busy; the pool terminates a worker that does not finish
// within its grace period.

import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { runJob, type ScanRules } from './run-job';
import { batchTransfer } from './engine-stage';
import { buildRuleset, compileRules, loadSigmaRules, sigmaReferencedFields, type RuleFile } from '../../shared/sigma/index';
import { installNativeHooks } from '../io/native-hooks';

type Outgoing = FromWorker extends infer M ? (M extends { seq: number } ? Omit<M, 'seq'> : never) : never;

// each worker thread has its own module instances, so its own hooks: installed before the first job
installNativeHooks();

const port = parentPort;
if (!port) throw new Error('ingest-worker must run in a worker thread');
const init = workerData as WorkerInit;
const cancel = new Int32Array(init.cancel);
let seq = 0;
let sigma: { id: string; rules: ScanRules } | undefined;

/** Compiles the rules (rules that cannot be used were reported by the main process) and finds the fields they read. */
function scanRules(files: readonly RuleFile[]): ScanRules {
  const loaded = loadSigmaRules(files);
  const compiled = compileRules(loaded.rules);
  const used = new Set(compiled.rules.map((r) => r.meta));
  return { ruleset: buildRuleset(compiled.rules), fields: sigmaReferencedFields(loaded.rules.filter((r) => used.has(r.meta))) };
}
const send = (m: Outgoing, transfer: ArrayBuffer[] = []) => port.postMessage({ ...m, seq: ++seq } as FromWorker, transfer);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'shutdown') {
    port.close();
    return;
  }
  if (msg.type === 'sigma') {
    // compiled once per worker
    sigma = { id: msg.id, rules: scanRules(msg.files) };
    return;
  }
  const job = msg.job;
  const generation = Atomics.load(cancel, 0);
  const isCancelled = () => Atomics.load(cancel, 0) !== generation;
  runJob(
    job,
    {
      progress: (bytesDone, records) => send({ type: 'progress', jobId: job.jobId, bytesDone, records }),
      batch: (batch) => send({ type: 'batch', jobId: job.jobId, batch }, batchTransfer(batch)),
      problem: (problem) => send({ type: 'problem', jobId: job.jobId, problem }),
    },
    isCancelled,
    init.progressIntervalMs,
    job.kind === 'read' && job.sigmaId !== undefined && sigma?.id === job.sigmaId ? sigma.rules : undefined,
  ).then(
    (o) => send({ type: 'done', jobId: job.jobId, cancelled: o.cancelled, summary: o.summary, sha256: o.sha256, result: o.result }),
    (e: unknown) => send({ type: 'failed', jobId: job.jobId, error: { message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined } }),
  );
});
send({ type: 'ready' });
