// Reading progress: overall and per file (bytes, records, findings so far), cancel, and each file's
// problems ("3 damaged chunks skipped"). Collapses to a one-line summary once the case is ready.

import { useState } from 'react';
import type { CaseFile } from '../../shared/api';
import { formatProblem, type ProblemCode } from '../../shared/model/problems';
import { useCaseStore } from '../state/case-store';
import { call } from '../state/actions';
import { formatBytes, formatCount, plural } from '../logic/format';
import { ProgressBar } from './ProgressBar';

/** What a problem code means for the analyst, counted ("3 damaged chunks skipped"). */
const PROBLEM_PHRASE: Partial<Record<ProblemCode, [string, string]>> = {
  BAD_MAGIC: ['damaged chunk skipped', 'damaged chunks skipped'],
  BAD_CHECKSUM: ['checksum mismatch', 'checksum mismatches'],
  BAD_RECORD: ['damaged record skipped', 'damaged records skipped'],
  TRUNCATED: ['truncated structure', 'truncated structures'],
  BAD_CSV_ROW: ['bad CSV row skipped', 'bad CSV rows skipped'],
  BAD_JSON: ['bad JSON object skipped', 'bad JSON objects skipped'],
  BAD_XML: ['bad XML event skipped', 'bad XML events skipped'],
  UNKNOWN_FORMAT: ['file in an unknown format', 'files in an unknown format'],
  UNREADABLE: ['unreadable file', 'unreadable files'],
};

export function problemSummary(counts: Partial<Record<ProblemCode, number>>): string[] {
  const out: string[] = [];
  for (const [code, n] of Object.entries(counts) as Array<[ProblemCode, number]>) {
    if (!n) continue;
    const phrase = PROBLEM_PHRASE[code];
    out.push(phrase ? `${formatCount(n)} ${n === 1 ? phrase[0] : phrase[1]}` : `${formatCount(n)} × ${code}`);
  }
  return out;
}

const STATE_LABEL: Record<CaseFile['state'], string> = { queued: 'Queued', reading: 'Reading', done: 'Done', failed: 'Failed', cancelled: 'Cancelled' };

function FileRow({ file }: { file: CaseFile }) {
  const problems = useCaseStore((s) => s.problems[file.id]);
  const summary = problemSummary(file.problemCounts);
  const hasError = file.state === 'failed' || (problems ?? []).some((p) => p.level === 'error');
  return (
    <li className={hasError ? 'ingest-file has-error' : 'ingest-file'}>
      <div className="ingest-file-head">
        <span className="file-name" title={file.name}>
          {file.name}
        </span>
        <span className="muted small">
          {STATE_LABEL[file.state]} · {file.format ?? '…'} · {formatBytes(file.bytesRead)} of {formatBytes(file.size)} · {plural(file.records, 'event')} ·{' '}
          {plural(file.findings, 'finding')}
        </span>
      </div>
      <ProgressBar value={file.bytesRead} max={file.size} label={`Progress of ${file.name}`} />
      {summary.length > 0 && <p className="problem-summary">{summary.join(', ')}</p>}
      {problems && problems.length > 0 && (
        <details className="problem-list">
          <summary>
            {problems.length} problem{problems.length === 1 ? '' : 's'} in detail
          </summary>
          <ul>
            {problems.map((p, i) => (
              <li key={i} className={p.level === 'error' ? 'problem-error' : 'problem-warning'}>
                <span className="code">{p.level === 'error' ? 'Error' : 'Warning'}</span> {formatProblem(p)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

export function IngestPanel() {
  const snapshot = useCaseStore((s) => s.snapshot);
  const findings = useCaseStore((s) => s.findings.length);
  const [open, setOpen] = useState<boolean | null>(null);
  if (!snapshot) return null;
  const { progress, files, state } = snapshot;
  const active = state === 'reading' || state === 'analyzing';
  const problemCount = Object.values(snapshot.problemCounts).reduce((a, b) => a + (b ?? 0), 0);
  const expanded = open ?? active;

  async function cancel(): Promise<void> {
    const snap = await call('case.cancel', {});
    if (snap) useCaseStore.getState().setSnapshot(snap);
  }

  return (
    <section className="ingest" aria-label="Reading progress">
      <div className="ingest-summary">
        <span className="ingest-state" role="status">
          {state === 'reading' ? 'Reading evidence…' : state === 'analyzing' ? 'Correlating and scoring…' : state === 'cancelled' ? 'Cancelled — showing what was read' : 'Case ready'}
        </span>
        <span className="muted small">
          {formatCount(progress.filesDone)} of {plural(progress.filesTotal, 'file')} · {formatBytes(progress.bytesDone)} of {formatBytes(progress.bytesTotal)} ·{' '}
          {plural(progress.records, 'event')} · {plural(Math.max(findings, progress.findings), 'finding')}
          {problemCount > 0 ? ` · ${plural(problemCount, 'problem')}` : ''}
        </span>
        {active && <ProgressBar value={progress.bytesDone} max={progress.bytesTotal} label="Overall progress" />}
        {active && (
          <button type="button" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
        <button type="button" className="link" aria-expanded={expanded} onClick={() => setOpen(!expanded)}>
          {expanded ? 'Hide files' : 'Show files'}
        </button>
      </div>
      {expanded && (
        <ul className="ingest-files">
          {files.map((f) => (
            <FileRow key={f.id} file={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
