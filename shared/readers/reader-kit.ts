// Shared plumbing of the text readers: batching, problem reporting with the file / member, and
// the counters that end up in the ReadSummary. Readers stay generators of RawEvent batches.

import type { Problem, ProblemCode, ProblemLevel } from '../model/problems';
import type { EvidenceFormat, RawEvent } from '../model/raw-event';
import type { ReaderContext } from './types';

/** Events per yielded batch. */
export const BATCH_SIZE = 1000;

export interface TextCounts {
  records: number;
  failedRecords: number;
}

export interface TextReaderOptions {
  /** Largest single event / object / row, in characters (default 64 Mi). */
  maxItemChars?: number;
  /** Longest single value (an XML element's text, a JSON string, a CSV field) as written, in characters (default 1 Mi). */
  maxValueChars?: number;
}

export const DEFAULT_MAX_ITEM_CHARS = 64 * 1024 * 1024;

/**
 * One value longer than this (as written: entity references, escapes and doubled quotes count as
 * they stand) keeps its first DEFAULT_MAX_VALUE_CHARS characters and the rest is skipped as it is
 * scanned, with a TOO_LARGE warning. Why 1 Mi: values born in an EVTX record cannot pass 64 KiB
 * (the chunk size), so a Sysmon command line stops at 32,767 characters and PowerShell splits a
 * script block into parts of about 32 K characters (4104 MessageNumber / MessageTotal); 1 Mi is 32
 * times that, and at 2 bytes a character a reader holding a few such values stays in megabytes.
 */
export const DEFAULT_MAX_VALUE_CHARS = 1024 * 1024;

/** A value the splitter cut at the value limit. */
export interface ValueCut {
  /** 1-based line where the value starts. */
  line: number;
  /** Its length as written, in characters. */
  chars: number;
}

/** Problems of truncated values are reported one by one this many times per file, then counted. */
export const VALUE_CUTS_REPORTED = 10;

/** Reports a truncated value (the first few one by one, the rest counted by `flushValueCuts`). */
export function reportValueCut(st: ReadState, field: string, cut: ValueCut, kept: number): void {
  st.reportRepeated('value-cut', VALUE_CUTS_REPORTED, 'TOO_LARGE', `value of ${field} has ${cut.chars} characters as written: truncated to its first ${kept} at most`, { line: cut.line });
}

export function flushValueCuts(st: ReadState): void {
  st.flushRepeated('value-cut', VALUE_CUTS_REPORTED, 'TOO_LARGE', 'values truncated at the value limit');
}

export class ReadState {
  batch: RawEvent[] = [];
  readonly counts: TextCounts = { records: 0, failedRecords: 0 };
  /** Per-code counters for problems that are reported only the first few times. */
  private readonly repeated = new Map<string, number>();

  constructor(
    readonly ctx: ReaderContext,
    readonly format: EvidenceFormat,
  ) {}

  /** The EvidenceRef of an event starting at `line` (and its record id, where the source has one; its position in a JSON array). */
  ref(line: number, recordId?: number, index?: number): RawEvent['ref'] {
    const ref: RawEvent['ref'] = { file: this.ctx.file, format: this.format, line };
    if (this.ctx.member !== undefined) ref.member = this.ctx.member;
    if (recordId !== undefined) ref.recordId = recordId;
    if (index !== undefined) ref.index = index;
    return ref;
  }

  report(code: ProblemCode, level: ProblemLevel, message: string, where: Omit<Problem, 'code' | 'level' | 'file' | 'message' | 'member'> = {}): void {
    const p: Problem = { code, level, file: this.ctx.file, message, ...where };
    if (this.ctx.member !== undefined) p.member = this.ctx.member;
    this.ctx.onProblem(p);
  }

  /** Reports the first `limit` occurrences of a kind of problem one by one; the rest are counted for `flushRepeated`. */
  reportRepeated(key: string, limit: number, code: ProblemCode, message: string, where: { line?: number; offset?: number }): void {
    const n = (this.repeated.get(key) ?? 0) + 1;
    this.repeated.set(key, n);
    if (n <= limit) this.report(code, 'warning', message, where);
  }

  flushRepeated(key: string, limit: number, code: ProblemCode, what: string): void {
    const n = this.repeated.get(key) ?? 0;
    if (n > limit) this.report(code, 'warning', `${n - limit} more ${what} (${n} in all)`);
  }

  add(e: RawEvent): void {
    this.batch.push(e);
    this.counts.records++;
  }

  fail(): void {
    this.counts.failedRecords++;
  }

  /** The current batch when it is full (or when `force` and it is not empty); the state starts a new one. */
  take(force = false): RawEvent[] | undefined {
    if (this.batch.length === 0 || (!force && this.batch.length < BATCH_SIZE)) return undefined;
    const b = this.batch;
    this.batch = [];
    return b;
  }

  cancelled(): boolean {
    return this.ctx.isCancelled?.() ?? false;
  }
}

/** A streaming splitter as a text reader drives it: text in, then the end; `drain` parses what it found. */
export interface TextFeed {
  push(chunk: string): void;
  end(): void;
  drain(): void;
}

/**
 * Feeds the text to a splitter chunk by chunk, parsing and yielding batches as they fill. Returns
 * false when the read was cancelled (what was read is kept), true once the whole text is in; the
 * caller then yields the last batch with st.take(true).
 */
export async function* pumpText(text: AsyncIterable<string>, st: ReadState, feed: TextFeed): AsyncGenerator<RawEvent[], boolean> {
  for await (const chunk of text) {
    feed.push(chunk);
    feed.drain();
    const b = st.take();
    if (b) yield b;
    if (st.cancelled()) return false;
  }
  feed.end();
  feed.drain();
  return true;
}
