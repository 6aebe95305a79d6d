// The open case in the main process: its files and their status, problems, the material the
// workers handed over and the current findings. One case at a time; opening another cancels the
// running one. Progress is pushed at most every `progressIntervalMs` (default 100 ms) and is
// monotonic: per job the largest reported figure counts. Per-file errors are recorded on the file
// and never stop the others; cancel keeps everything found so far and still analyses it.

import { stat } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { BackendEvents, CaseFile, CaseProgress, CaseSnapshot, CaseState, EventSink, FileProgress } from '../../shared/api';
import { CASE_FIRST_PROBLEMS } from '../../shared/api';
import type { Finding } from '../../shared/model/finding';
import type { Problem } from '../../shared/model/problems';
import type { Job } from '../workers/protocol';
import type { CorrelationIndex } from '../../shared/detect/engine';
import type { WorkerPool } from '../workers/pool';
import { jobBytes, planJobs, type PlanOptions } from './plan-jobs';
import { CaseMaterial, analyzeCaseMaterial, preliminaryFindings } from './case-analysis';
import type { BaselineEntry } from '../../shared/api';

export interface EvidenceInput {
  /** Absolute path, opened read-only. */
  path: string;
  /** The name shown and cited (EvidenceRef.file). */
  name: string;
}

export interface CaseSessionOptions {
  pool: WorkerPool;
  emit: EventSink;
  baseline: () => readonly BaselineEntry[];
  progressIntervalMs?: number;
  /** Overrides of the job planning (split threshold ...), for tests and benchmarks. */
  plan?: Partial<Omit<PlanOptions, 'workers'>>;
  /** Sigma rule set to evaluate (already given to the pool). */
  sigmaId?: string;
  /** Problems kept per file beyond the counts (the rest are counted only). */
  keepProblemsPerFile?: number;
}

interface FileEntry {
  file: CaseFile;
  path: string;
  problems: Problem[];
  jobs: number;
  jobsDone: number;
  jobBytes: Map<number, number>;
  jobRecords: Map<number, number>;
  cancelled: boolean;
}

function emptyProgress(): CaseProgress {
  return { bytesTotal: 0, bytesDone: 0, records: 0, findings: 0, filesTotal: 0, filesDone: 0, elapsedMs: 0 };
}

export class CaseSession {
  readonly caseId = randomUUID();
  private state: CaseState = 'empty';
  private revision = 0;
  private startedAt?: number;
  private finishedAt?: number;
  private readonly files: FileEntry[] = [];
  private readonly byFileId = new Map<string, FileEntry>();
  private readonly byName = new Map<string, FileEntry>();
  private readonly material = new CaseMaterial();
  /** Preliminary findings shown while reading. */
  private preliminary: Finding[] = [];
  private findings: Finding[] = [];
  private pendingFindings: Finding[] = [];
  private dirty = new Set<string>();
  private timer?: NodeJS.Timeout;
  private run?: { cancel(): Promise<void> };
  private finished: Promise<void> = Promise.resolve();
  private cancelRequested = false;

  constructor(
    readonly title: string,
    private readonly opts: CaseSessionOptions,
  ) {}

  /** Starts reading; resolves once the files are listed (reading goes on; see whenDone()). */
  async start(inputs: readonly EvidenceInput[], preProblems: readonly Problem[] = []): Promise<CaseSnapshot> {
    this.startedAt = Date.now();
    this.state = 'reading';
    let i = 0;
    for (const inp of inputs) {
      // an unstat-able file gets size 0; its read job reports it as UNREADABLE
      const size = await stat(inp.path).then((s) => s.size, () => 0);
      const file: CaseFile = {
        id: `f${i++}`, name: inp.name, size, bytesRead: 0, records: 0, failedRecords: 0, findings: 0,
        state: 'queued', problemCounts: {}, firstProblems: [],
      };
      const entry: FileEntry = { file, path: inp.path, problems: [], jobs: 0, jobsDone: 0, jobBytes: new Map(), jobRecords: new Map(), cancelled: false };
      this.files.push(entry);
      this.byFileId.set(file.id, entry);
      this.byName.set(inp.name, entry);
    }
    for (const p of preProblems) this.caseProblem(p);
    this.opts.emit('case.opened', this.snapshot());
    const jobs = await planJobs(
      this.files.map((f) => ({ fileId: f.file.id, path: f.path, name: f.file.name, size: f.file.size })),
      { ...this.opts.plan, workers: this.opts.pool.size, sigmaId: this.opts.sigmaId },
      (fileId, p) => this.addProblem(fileId, p),
    );
    for (const j of jobs) {
      const f = this.byFileId.get(j.fileId);
      if (f) f.jobs++;
    }
    this.timer = setInterval(() => this.flush(), this.opts.progressIntervalMs ?? 100);
    const run = this.opts.pool.run(jobs, {
      onProgress: (job, bytes, records) => this.onProgress(job, bytes, records),
      onBatch: (job, batch) => {
        this.material.addIndex(batch.index, batch.processes);
        if (batch.sigmaFindings.length > 0) {
          for (const fd of batch.sigmaFindings) {
            this.material.sigmaFindings.push(fd);
            this.preliminary.push(fd);
            this.pendingFindings.push(fd);
          }
          const f = this.byFileId.get(job.fileId);
          if (f) f.file.findings += batch.sigmaFindings.length;
        }
        if (batch.candidates.length > 0) {
          for (const c of batch.candidates) this.material.candidates.push(c);
          const found = preliminaryFindings(batch.candidates, this.opts.baseline());
          for (const fd of found) {
            this.preliminary.push(fd);
            this.pendingFindings.push(fd);
          }
          const f = this.byFileId.get(job.fileId);
          if (f) f.file.findings += found.length;
        }
      },
      onProblem: (job, p) => this.addProblem(job.fileId, p),
      onDone: (job, outcome) => {
        const f = this.byFileId.get(job.fileId);
        if (!f) return;
        f.jobsDone++;
        if (outcome.sha256) f.file.sha256 = outcome.sha256;
        if (outcome.summary) {
          if (!f.file.format || f.file.format === 'unknown') f.file.format = outcome.summary.format;
          f.file.failedRecords += outcome.summary.failedRecords;
        }
        if (outcome.cancelled) f.cancelled = true;
        else if (job.kind === 'read') f.jobBytes.set(job.jobId, jobBytes(job, f.file.size));
        if (f.jobsDone === f.jobs) {
          const failed = f.problems.some((p) => p.level === 'error') && f.file.records === 0;
          f.file.state = f.cancelled ? 'cancelled' : failed ? 'failed' : 'done';
        } else if (f.file.state === 'queued') f.file.state = 'reading';
        this.recount(f);
        this.dirty.add(f.file.id);
      },
    });
    this.run = run;
    this.finished = run.done.then(() => this.analyse());
    return this.snapshot();
  }

  private onProgress(job: Job, bytes: number, records: number): void {
    const f = this.byFileId.get(job.fileId);
    if (!f || job.kind !== 'read') return;
    if (f.file.state === 'queued') f.file.state = 'reading';
    const capped = Math.min(bytes, jobBytes(job, f.file.size));
    if (capped > (f.jobBytes.get(job.jobId) ?? 0)) f.jobBytes.set(job.jobId, capped);
    if (records > (f.jobRecords.get(job.jobId) ?? 0)) f.jobRecords.set(job.jobId, records);
    this.recount(f);
    this.dirty.add(f.file.id);
  }

  private recount(f: FileEntry): void {
    let b = 0;
    for (const v of f.jobBytes.values()) b += v;
    let r = 0;
    for (const v of f.jobRecords.values()) r += v;
    f.file.bytesRead = Math.max(f.file.bytesRead, Math.min(b, f.file.size));
    f.file.records = Math.max(f.file.records, r);
  }

  private caseProblem(p: Problem): void {
    const f = this.byName.get(p.file) ?? this.files[0];
    if (f) this.addProblem(f.file.id, p);
  }

  private addProblem(fileId: string, p: Problem): void {
    const f = this.byFileId.get(fileId);
    if (!f) return;
    f.file.problemCounts[p.code] = (f.file.problemCounts[p.code] ?? 0) + 1;
    if (f.file.firstProblems.length < CASE_FIRST_PROBLEMS) f.file.firstProblems.push(p);
    if (f.problems.length < (this.opts.keepProblemsPerFile ?? 1000)) {
      f.problems.push(p);
      this.opts.emit('ingest.problem', { caseId: this.caseId, fileId, problem: p });
    }
    this.dirty.add(fileId);
  }

  private flush(): void {
    if (this.pendingFindings.length > 0) {
      const findings = this.pendingFindings;
      this.pendingFindings = [];
      this.opts.emit('findings.added', { caseId: this.caseId, revision: this.revision, findings });
    }
    if (this.dirty.size === 0) return;
    const files: FileProgress[] = [];
    for (const id of this.dirty) {
      const f = this.byFileId.get(id);
      if (!f) continue;
      const { bytesRead, records, failedRecords, findings, state, format, sha256 } = f.file;
      files.push({ id, bytesRead, records, failedRecords, findings, state, format, sha256 });
    }
    this.dirty = new Set();
    this.opts.emit('ingest.progress', { caseId: this.caseId, progress: this.progress(), files });
  }

  private async analyse(): Promise<void> {
    this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.state = 'analyzing';
    this.material.seal();
    this.rescore('analysis');
    this.state = this.cancelRequested ? 'cancelled' : 'ready';
    this.finishedAt = Date.now();
    this.opts.emit('ingest.done', { caseId: this.caseId, cancelled: this.cancelRequested, snapshot: this.snapshot() });
  }

  /** Re-runs the case stage (after ingestion, or after a baseline / settings change). */
  rescore(reason: BackendEvents['findings.replaced']['reason']): void {
    if (this.state === 'reading') return; // analysed when reading ends
    this.findings = analyzeCaseMaterial(this.material, this.opts.baseline());
    this.preliminary = [];
    this.revision++;
    const perFile = new Map<string, number>();
    for (const fd of this.findings) perFile.set(fd.evidence.ref.file, (perFile.get(fd.evidence.ref.file) ?? 0) + 1);
    for (const f of this.files) f.file.findings = perFile.get(f.file.name) ?? 0;
    this.opts.emit('findings.replaced', { caseId: this.caseId, revision: this.revision, findings: this.findings, reason });
  }

  /** Runs the case stage with other baseline entries without changing anything (for previews). */
  analyseWith(entries: readonly BaselineEntry[]): Finding[] {
    return analyzeCaseMaterial(this.material, entries);
  }

  async cancel(): Promise<void> {
    if (this.state !== 'reading') return this.finished;
    this.cancelRequested = true;
    await this.run?.cancel();
    await this.finished;
  }

  whenDone(): Promise<void> {
    return this.finished;
  }

  isReading(): boolean {
    return this.state === 'reading' || this.state === 'analyzing';
  }

  currentFindings(): { caseId: string; revision: number; findings: Finding[] } {
    return { caseId: this.caseId, revision: this.revision, findings: this.state === 'reading' ? [...this.preliminary] : this.findings };
  }

  /** The on-disk path of a case file by its evidence name, only for files of this case. */
  pathOf(name: string): string | undefined {
    return this.byName.get(name)?.path;
  }

  /** The merged correlation index (after reading). */
  correlationIndex(): CorrelationIndex {
    return this.material.index();
  }

  /** Every problem kept (up to the per-file limit), file by file. */
  allProblems(): Problem[] {
    return this.files.flatMap((f) => f.problems);
  }

  problemsOf(fileId: string): readonly Problem[] {
    return this.byFileId.get(fileId)?.problems ?? [];
  }

  private progress(): CaseProgress {
    const p = emptyProgress();
    for (const f of this.files) {
      p.bytesTotal += f.file.size;
      p.bytesDone += f.file.bytesRead;
      p.records += f.file.records;
      p.filesTotal++;
      if (f.file.state === 'done' || f.file.state === 'failed' || f.file.state === 'cancelled') p.filesDone++;
    }
    p.findings = this.state === 'reading' ? this.preliminary.length : this.findings.length;
    p.elapsedMs = this.startedAt ? (this.finishedAt ?? Date.now()) - this.startedAt : 0;
    return p;
  }

  snapshot(): CaseSnapshot {
    const problemCounts: CaseSnapshot['problemCounts'] = {};
    for (const f of this.files) for (const [k, v] of Object.entries(f.file.problemCounts)) problemCounts[k as keyof typeof problemCounts] = (problemCounts[k as keyof typeof problemCounts] ?? 0) + (v ?? 0);
    const progress = this.progress();
    return {
      caseId: this.caseId,
      title: this.title,
      state: this.state,
      revision: this.revision,
      startedAt: this.startedAt ? new Date(this.startedAt).toISOString() : undefined,
      finishedAt: this.finishedAt ? new Date(this.finishedAt).toISOString() : undefined,
      files: this.files.map((f) => ({ ...f.file, problemCounts: { ...f.file.problemCounts }, firstProblems: [...f.file.firstProblems] })),
      progress,
      findingCount: progress.findings,
      problemCounts,
      workers: this.opts.pool.size,
    };
  }

  /** Empty snapshot for "no case open". */
  static empty(workers: number): CaseSnapshot {
    return {
      caseId: '', title: '', state: 'empty', revision: 0, files: [], progress: emptyProgress(), findingCount: 0, problemCounts: {}, workers,
    };
  }
}
