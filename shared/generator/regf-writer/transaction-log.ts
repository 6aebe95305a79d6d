// A dirty hive and its new-format (HvLE) transaction log, as Windows 8.1+ leaves them when the
// changes were flushed to the log but not yet to the primary file: the primary holds the first
// state with its primary sequence number one ahead of the secondary (a write begun, never ended),
// and .LOG1 holds one HvLE entry per later state with the 4 KiB pages that changed since the
// previous state (and any the hive grew by), sequence numbers following on from the primary's.
// Only after replaying the log does the hive read as the last state; a reader that applies no
// log (reglookup) reads the first. Entries carry both Marvin32 hashes with the registry's seed.
// The log's base block is the primary's first sector with file type 6, so the log is known as
// this hive's (same RmId, same name).

import { BASE_BLOCK_SIZE, LOG_BASE_BLOCK_SIZE, sealBaseBlock } from './base-block';
import { PAGE } from './hive-bin';
import { type HiveKey, type WriteHiveOptions, buildHive } from './writer';
import { marvin32 } from '../../regf/marvin32';

export interface DirtyPage {
  /** Offset in the hive bins data. */
  offset: number;
  bytes: Uint8Array;
}

export interface DirtyHive {
  /** The primary file, holding states[0], dirty (sequence numbers differ). */
  primary: Uint8Array;
  /** The .LOG1 file: a base block and one entry per later state. */
  log1: Uint8Array;
  /** The hive as it reads once the log is applied (states[last], clean): for comparisons. */
  replayed: Uint8Array;
  /** Dirty pages per entry. */
  entries: DirtyPage[][];
}

/** Runs of pages of `next` that differ from `prev` (or lie beyond its end). */
export function dirtyPages(prev: Uint8Array, next: Uint8Array): DirtyPage[] {
  const out: DirtyPage[] = [];
  let runStart = -1;
  const close = (end: number) => {
    if (runStart >= 0) out.push({ offset: runStart, bytes: next.slice(runStart, end) });
    runStart = -1;
  };
  for (let p = 0; p < next.length; p += PAGE) {
    let dirty = p + PAGE > prev.length;
    for (let i = p; !dirty && i < p + PAGE; i++) if (prev[i] !== next[i]) dirty = true;
    if (dirty && runStart < 0) runStart = p;
    if (!dirty) close(p);
  }
  close(next.length);
  return out;
}

/** One HvLE entry, its size a multiple of 512, Hash-1 over everything after the header, Hash-2 over its first 32 bytes. */
export function hvleEntry(sequence: number, binsSize: number, pages: readonly DirtyPage[], flags = 0): Uint8Array {
  const head = 40 + pages.length * 8;
  const body = pages.reduce((n, p) => n + p.bytes.length, 0);
  const size = Math.ceil((head + body) / 512) * 512;
  const e = new Uint8Array(size);
  const dv = new DataView(e.buffer);
  e.set([0x48, 0x76, 0x4c, 0x45]); // HvLE
  dv.setUint32(4, size, true);
  dv.setUint32(8, flags, true);
  dv.setUint32(12, sequence >>> 0, true);
  dv.setUint32(16, binsSize, true);
  dv.setUint32(20, pages.length, true);
  let at = head;
  pages.forEach((p, i) => {
    dv.setUint32(40 + i * 8, p.offset, true);
    dv.setUint32(44 + i * 8, p.bytes.length, true);
    e.set(p.bytes, at);
    at += p.bytes.length;
  });
  const h1 = marvin32(e, 40, size - 40);
  dv.setUint32(24, h1.lo, true);
  dv.setUint32(28, h1.hi, true);
  const h2 = marvin32(e, 0, 32);
  dv.setUint32(32, h2.lo, true);
  dv.setUint32(36, h2.hi, true);
  return e;
}

function withSequences(file: Uint8Array, primarySeq: number, secondarySeq: number, fileType?: number): Uint8Array {
  const out = file.slice();
  const dv = new DataView(out.buffer);
  dv.setUint32(4, primarySeq >>> 0, true);
  dv.setUint32(8, secondarySeq >>> 0, true);
  if (fileType !== undefined) dv.setUint32(28, fileType, true);
  sealBaseBlock(out);
  return out;
}

/**
 * `states[0]` in the primary, each later state an HvLE entry in .LOG1. opts.sequence is the
 * sequence number of the primary's last clean write (default 1).
 */
export function writeDirtyHive(states: readonly HiveKey[], opts: WriteHiveOptions = {}): DirtyHive {
  if (states.length < 2) throw new RangeError('a dirty hive needs a first state and at least one logged one');
  const seq = opts.sequence ?? 1;
  const built = states.map((s) => buildHive(s, opts).bytes);
  const bins = built.map((b) => b.subarray(BASE_BLOCK_SIZE));
  const primary = withSequences(built[0], seq + 1, seq);
  const entries: DirtyPage[][] = [];
  const parts: Uint8Array[] = [withSequences(primary.subarray(0, LOG_BASE_BLOCK_SIZE), seq + 1, seq + 1, 6)];
  for (let i = 1; i < bins.length; i++) {
    const pages = dirtyPages(bins[i - 1], bins[i]);
    entries.push(pages);
    parts.push(hvleEntry(seq + i, bins[i].length, pages));
  }
  const log1 = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    log1.set(p, at);
    at += p.length;
  }
  const last = states.length - 1;
  return { primary, log1, replayed: withSequences(built[last], seq + last, seq + last), entries };
}
