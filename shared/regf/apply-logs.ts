// Transaction-log replay, in memory: which of the logs beside a hive apply, and the page overlay
// (hive bins with the logged pages written over a copy, plus the base block to trust) that
// openHive then reads instead of the file's own bins. The evidence is never written.
//
// What applies follows the spec ("Format of transaction log files", "Dirty state of a hive"):
// - a clean hive (valid checksum, equal sequence numbers) needs none: logs are left alone;
// - a log is refused, with a LOG_REFUSED warning, when its base block is damaged or of the wrong
//   type, when it names another hive (file name, RmId / LogId) or, for a primary whose base
//   block is intact, when it is older than the primary (new format: its sequence number under
//   the primary's secondary one; old format: its last-written time before the primary's);
// - new format (HvLE): the two logs in sequence order, the second only when it starts at the
//   first's last sequence number + 1, each read up to its first bad entry (hash, size, gap),
//   the hive growing to each entry's hive-bins size; with a bad primary base block only the log
//   with the latest entries, and the base block is taken from it;
// - old format (DIRT): the eligible log with the latest last-written time, and its base block
//   when the primary's is bad.
// A dirty hive without a usable log is read as it is, and says so (DIRTY_HEADER from openHive).
// Hostile logs cannot make the overlay larger than the primary's bins plus the log bytes that
// could fill it; nothing here throws for bad input.

import { problem, type Problem } from '../model/problems';
import { BASE_BLOCK_SIZE, type BaseBlock, baseBlockChecksum, parseBaseBlock } from './base-block';
import { type HiveBytes, HIVE_BINS_START, type Page, primaryHiveBytes, withPages } from './hive-bytes';
import { type OpenHiveOptions, type OpenHiveResult, openHive } from './hive';
import { readDirtPages } from './log-dirt';
import { readHvleEntries } from './log-entry-hvle';
import { type LogFile, parseLogFile, sameHive, LOG_BASE_BLOCK_SIZE } from './log-file';
import { LogOrigin } from './log-origin';

export interface LogInput {
  /** The log file as the user gave it (or as found beside the hive), for problems. */
  name: string;
  bytes: Uint8Array;
}

export interface AppliedLog {
  name: string;
  format: 'old' | 'new';
  /** HvLE entries applied (0 for an old-format log). */
  entries: number;
  /** Sequence numbers of the first and last entry applied (new format), or the log's (old). */
  firstSequence: number;
  lastSequence: number;
  /** Bytes of hive bins the log's pages cover. */
  pageBytes: number;
}

export interface LogReplay {
  /** The hive bins and base block to read, when some log applied. */
  overlay?: { bytes: HiveBytes; baseBlock: BaseBlock };
  applied: AppliedLog[];
  /** Warnings about the logs: refused ones, entries that ended a log early, a base block taken from a log. */
  problems: Problem[];
  /** Which cells the applied logs changed (compared with the primary's bytes). */
  origin?: LogOrigin;
  /** The base block of the primary was bad and was replaced with a log's. */
  baseBlockFromLog: boolean;
  /** Why a dirty hive is read without logs, for its DIRTY_HEADER warning. */
  dirtyNote?: string;
}

interface Candidate {
  input: LogInput;
  log: Extract<LogFile, { usable: true }>;
}

/** Sequence numbers wrap at 2^32: `a` comes before `b` when b - a is under 2^31. */
function before(a: number, b: number): boolean {
  return a !== b && ((b - a) >>> 0) < 0x80000000;
}

function firstHbinTimestamp(primary: Uint8Array): { lo: number; hi: number } {
  const at = HIVE_BINS_START + 20;
  if (primary.length < at + 8) return { lo: 0, hi: 0 };
  const u = (o: number) => (primary[o] | (primary[o + 1] << 8) | (primary[o + 2] << 16) | (primary[o + 3] << 24)) >>> 0;
  return { lo: u(at), hi: u(at + 4) };
}

/** a < b for two FILETIMEs given as halves. */
function earlier(a: { lo: number; hi: number }, b: { lo: number; hi: number }): boolean {
  return a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo);
}

/** A base block to trust after the replay: the given one's bytes with the replay's outcome written in. */
function replayedBaseBlock(from: Uint8Array, sequence: number, binsSize: number, flagBit0: number | undefined): BaseBlock {
  const bb = new Uint8Array(BASE_BLOCK_SIZE);
  bb.set(from.subarray(0, Math.min(from.length, BASE_BLOCK_SIZE)));
  const dv = new DataView(bb.buffer);
  dv.setUint32(4, sequence >>> 0, true);
  dv.setUint32(8, sequence >>> 0, true);
  dv.setUint32(28, 0, true); // a log's copy says 1, 2 or 6
  dv.setUint32(40, binsSize >>> 0, true);
  if (flagBit0 !== undefined) dv.setUint32(144, (dv.getUint32(144, true) & ~1) | (flagBit0 & 1), true);
  dv.setUint32(508, baseBlockChecksum(bb), true);
  return parseBaseBlock(bb);
}

export function applyLogs(primary: Uint8Array, logs: readonly LogInput[], file: string): LogReplay {
  const out: LogReplay = { applied: [], problems: [], baseBlockFromLog: false };
  if (primary.length < 512) return out;
  const warn = (p: Problem) => out.problems.push(p);
  const refuse = (name: string, why: string, offset = 0) => warn(problem('LOG_REFUSED', 'warning', name, `transaction log not applied to ${file}: ${why}`, { offset }));
  const pbb = parseBaseBlock(primary);
  const primaryValid = pbb.signatureOk && pbb.checksumOk;
  const dirty = !primaryValid || pbb.sequenceDirty;
  const src = primaryHiveBytes(primary);

  const candidates: Candidate[] = [];
  for (const input of logs) {
    const log = parseLogFile(input.bytes);
    if (!log.usable) {
      // an empty .LOG / .LOG2 is how Windows leaves an unused log: nothing to say
      if (!log.empty && dirty) refuse(input.name, log.reason);
      continue;
    }
    const same = sameHive(primary, pbb, input.bytes, log.baseBlock);
    if (!same.same) {
      refuse(input.name, `it belongs to another hive: ${same.why}`);
      continue;
    }
    candidates.push({ input, log });
  }
  if (!dirty) return out;
  if (candidates.length === 0) {
    out.dirtyNote = logs.length === 0 ? 'no transaction logs beside it' : 'none of its transaction logs applies';
    return out;
  }
  // a log can only fill hive bins with bytes it holds: this bounds the growth any log may claim
  const maxBins = Math.ceil((src.bins.length + logs.reduce((n, l) => n + l.bytes.length, 0)) / 4096) * 4096;

  const news = candidates.filter((c) => c.log.format === 'new');
  const olds = candidates.filter((c) => c.log.format === 'old');
  let pages: Page[] = [];
  let binsSize = 0;
  /** The last entry's hive-bins size: what the base block says after the replay (binsSize is the largest, for the buffer). */
  let finalBins = 0;
  let trusted: Uint8Array = primary;
  let sequence = pbb.primarySequence;
  let flagBit0: number | undefined;

  if (news.length > 0) {
    news.sort((a, b) => (before(a.log.baseBlock.primarySequence, b.log.baseBlock.primarySequence) ? -1 : before(b.log.baseBlock.primarySequence, a.log.baseBlock.primarySequence) ? 1 : 0));
    let order: Candidate[];
    if (primaryValid) {
      order = [];
      for (const c of news) {
        if (before(c.log.baseBlock.primarySequence, pbb.secondarySequence)) {
          refuse(c.input.name, `it is older than the hive (log sequence number ${c.log.baseBlock.primarySequence}, the hive's ${pbb.secondarySequence})`);
        } else order.push(c);
      }
    } else {
      // Windows recovers a hive with a bad base block from the log with the latest entries only
      order = [news[news.length - 1]];
      for (const c of news.slice(0, -1)) refuse(c.input.name, 'the hive\'s base block is bad: only the log with the latest entries is used');
    }
    let last: number | undefined;
    for (const c of order) {
      const start = c.log.baseBlock.primarySequence;
      if (last !== undefined && start !== ((last + 1) >>> 0)) {
        refuse(c.input.name, `its entries start at sequence number ${start}, not at ${(last + 1) >>> 0} after the log before it`);
        continue;
      }
      const read = readHvleEntries(c.input.bytes, start, maxBins);
      if (read.stop) {
        const p = problem(read.stop.code, 'warning', c.input.name, read.entries.length > 0 ? `${read.stop.message}; the ${read.entries.length} entries before it are applied` : `${read.stop.message}; nothing applied from this log`, { offset: read.stop.offset });
        if (read.entries.length > 0) warn(p);
        else refuse(c.input.name, p.message, p.offset);
      }
      if (read.entries.length === 0) continue;
      let bytes = 0;
      for (const e of read.entries) {
        for (const p of e.pages) {
          pages.push(p);
          bytes += p.bytes.length;
        }
        binsSize = Math.max(binsSize, e.binsSize);
        finalBins = e.binsSize;
        flagBit0 = e.flags & 1;
      }
      last = read.entries[read.entries.length - 1].sequence;
      sequence = last;
      if (!primaryValid) trusted = c.input.bytes;
      out.applied.push({ name: c.input.name, format: 'new', entries: read.entries.length, firstSequence: read.entries[0].sequence, lastSequence: last, pageBytes: bytes });
    }
    for (const c of olds) refuse(c.input.name, 'an old-format log beside new-format ones');
  } else {
    const primaryTime = primaryValid ? { lo: pbb.lastWrittenLo, hi: pbb.lastWrittenHi } : firstHbinTimestamp(primary);
    const eligible = olds.filter((c) => {
      const t = { lo: c.log.baseBlock.lastWrittenLo, hi: c.log.baseBlock.lastWrittenHi };
      if (earlier(t, primaryTime)) {
        refuse(c.input.name, `it is older than the hive (last written ${c.log.baseBlock.lastWritten}, the hive ${primaryValid ? pbb.lastWritten : 'by its first hive bin'} later)`);
        return false;
      }
      return true;
    });
    // Windows 8 and the 2016 Windows 7 kernel recover from the log holding the later dirty data
    eligible.sort((a, b) => (earlier({ lo: a.log.baseBlock.lastWrittenLo, hi: a.log.baseBlock.lastWrittenHi }, { lo: b.log.baseBlock.lastWrittenLo, hi: b.log.baseBlock.lastWrittenHi }) ? -1 : 1));
    const c = eligible[eligible.length - 1];
    if (c) {
      const size = c.log.baseBlock.hiveBinsDataSize;
      if (size < 4096 || size % 4096 !== 0 || size > maxBins) {
        refuse(c.input.name, `its hive bins size ${size} is not a multiple of 4096 within the ${maxBins} bytes its data can fill`, 40);
      } else {
        const read = readDirtPages(c.input.bytes, size);
        if (read.stop) {
          if (read.pages.length > 0) warn(problem(read.stop.code, 'warning', c.input.name, `${read.stop.message}; the dirty pages before it are applied`, { offset: read.stop.offset }));
          else refuse(c.input.name, read.stop.message, read.stop.offset);
        }
        if (read.pages.length > 0 || !read.stop) {
          pages = read.pages;
          binsSize = size;
          finalBins = size;
          sequence = c.log.baseBlock.primarySequence;
          if (!primaryValid) trusted = c.input.bytes;
          out.applied.push({ name: c.input.name, format: 'old', entries: 0, firstSequence: sequence, lastSequence: sequence, pageBytes: read.pages.reduce((n, p) => n + p.bytes.length, 0) });
        }
      }
      for (const r of eligible.slice(0, -1)) refuse(r.input.name, `the other log (${c.input.name}) holds later dirty data`);
    }
  }

  if (out.applied.length === 0) {
    out.dirtyNote = 'none of its transaction logs applies';
    return out;
  }
  if (!primaryValid) {
    out.baseBlockFromLog = true;
    const from = out.applied[out.applied.length - 1].name;
    warn(problem('BAD_CHECKSUM', 'warning', file, `base block checksum is 0x${pbb.checksum.toString(16)}, its bytes give 0x${pbb.computedChecksum.toString(16)}: the base block is taken from ${from}`, { offset: 508 }));
    // the log holds only the first 512 bytes of a base block; the rest is reserved space
    trusted = trusted.subarray(0, LOG_BASE_BLOCK_SIZE);
  }
  const bytes = withPages(src, pages, binsSize);
  out.overlay = { bytes, baseBlock: replayedBaseBlock(trusted, sequence, finalBins, flagBit0) };
  out.origin = LogOrigin.compare(src.bins, bytes.bins, pages);
  return out;
}

export interface OpenWithLogsResult {
  opened: OpenHiveResult;
  replay: LogReplay;
}

/** openHive with the logs applied when they apply; their problems go to onProblem first. */
export function openHiveWithLogs(primary: Uint8Array, logs: readonly LogInput[], opts: OpenHiveOptions): OpenWithLogsResult {
  const replay = applyLogs(primary, logs, opts.file);
  for (const p of replay.problems) opts.onProblem?.(p);
  const opened = openHive(primary, { ...opts, overlay: replay.overlay ?? opts.overlay, dirtyNote: opts.dirtyNote ?? replay.dirtyNote });
  return { opened, replay };
}
