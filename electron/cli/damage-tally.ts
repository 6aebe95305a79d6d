// Per evidence file: how many records failed to decode and how many were recovered (EVTX records
// carved from slack or from a chunk whose header is gone: deleted records), so `events` and `scan`
// can end their stderr with one line per damaged file, where the analyst looks, instead of leaving
// the damage scrolled away among the problem lines.
// Failed records: the reader's own count (ReadSummary.failedRecords) when it returned one, as text
// readers report only the first few bad rows one by one; when it stopped without a summary (an
// INTERNAL failure mid-file) the record problems seen so far: the EVTX record codes, or any problem
// naming a record. Recovered records: RawEvents whose ref is marked `recovered` (EVTX records
// carved from chunk slack or from a chunk whose header is not trusted).

import type { Problem, ProblemCode } from '../../shared/model/problems';
import type { RawEvent } from '../../shared/model/raw-event';
import type { ReadSummary } from '../../shared/readers/types';

/** The codes the EVTX reader gives a record that it could not decode (one problem per record). */
const RECORD_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>(['BAD_RECORD', 'UNKNOWN_TOKEN', 'BAD_TEMPLATE', 'BAD_STRING', 'BAD_VALUE', 'LOOP']);

/** True when the problem is a record that failed (not a chunk, a header or the file). */
export function isRecordProblem(p: Problem): boolean {
  return RECORD_CODES.has(p.code) || p.record !== undefined;
}

/** True for a carved (deleted) record. */
export function isRecovered(e: RawEvent): boolean {
  return e.ref.recovered === true;
}

export interface FileDamage {
  file: string;
  failed: number;
  recovered: number;
}

export class DamageTally {
  private readonly done: FileDamage[] = [];
  private current: { file: string; recordProblems: number; recovered: number } | undefined;

  /** Starts counting for `file` (the previous file must be finished). */
  begin(file: string): void {
    this.current = { file, recordProblems: 0, recovered: 0 };
  }

  problem(p: Problem): void {
    if (this.current && isRecordProblem(p)) this.current.recordProblems++;
  }

  events(batch: readonly RawEvent[]): void {
    if (!this.current) return;
    for (const e of batch) if (isRecovered(e)) this.current.recovered++;
  }

  /** Ends the current file with the reader's summary (undefined when it returned none). */
  finish(summary: ReadSummary | undefined): void {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    const failed = summary ? summary.failedRecords : c.recordProblems;
    if (failed > 0 || c.recovered > 0) this.done.push({ file: c.file, failed, recovered: c.recovered });
  }

  /** The files with failed or recovered records, in the order they were read. */
  damaged(): readonly FileDamage[] {
    return this.done;
  }

  /** Failed records over all files. */
  failedRecords(): number {
    return this.done.reduce((n, d) => n + d.failed, 0);
  }
}

const records = (n: number) => `${n} record${n === 1 ? '' : 's'}`;

/** "file.evtx: 3 records failed, 12 recovered (deleted)". */
export function damageLine(d: FileDamage): string {
  const parts: string[] = [];
  if (d.failed > 0) parts.push(`${records(d.failed)} failed`);
  if (d.recovered > 0) parts.push(parts.length ? `${d.recovered} recovered (deleted)` : `${records(d.recovered)} recovered (deleted)`);
  return `${d.file}: ${parts.join(', ')}`;
}
