// New-format (Windows 8.1+) log entries: from offset 512 of a .LOG1 / .LOG2, one "HvLE" entry
// after another, each a multiple of 512 bytes: a 40-byte header (size, flags, sequence number,
// hive-bins size, page count, Marvin32 Hash-1 of everything after the header and Hash-2 of the
// first 32 bytes), the page references (offset, size) and the pages themselves. The entries are
// read in file order while each is whole and follows the previous one's sequence number; the
// first that is not (a bad hash, a size that runs past the file or past its entry, a gap) ends
// the log there, as it ends recovery in Windows, and is described in `stop` (with the file
// offset) unless it is plainly the unused end of the file (no HvLE signature). Pages are views
// into the log, not copies; nothing throws.

import { type Page } from './hive-bytes';
import { LOG_BASE_BLOCK_SIZE } from './log-file';
import { marvin32 } from './marvin32';

export interface HvleEntry {
  /** File offset of the entry in the log. */
  offset: number;
  size: number;
  /** Bit 0: the KTM-locked flag to set in the base block when this entry is applied. */
  flags: number;
  sequence: number;
  /** Hive-bins size once this entry is applied (the hive grows or shrinks to it). */
  binsSize: number;
  pages: Page[];
}

export interface HvleStop {
  code: 'BAD_CHECKSUM' | 'BAD_RECORD' | 'TRUNCATED';
  offset: number;
  message: string;
}

export interface HvleEntries {
  entries: HvleEntry[];
  stop?: HvleStop;
}

const HVLE = 0x454c7648; // "HvLE"

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/**
 * The log's entries from `firstSequence` on (the log base block's primary sequence number).
 * `maxBinsSize` bounds the hive-bins size an entry may claim, so a hostile log cannot make the
 * replay allocate gigabytes.
 */
export function readHvleEntries(log: Uint8Array, firstSequence: number, maxBinsSize: number): HvleEntries {
  const entries: HvleEntry[] = [];
  let expected = firstSequence >>> 0;
  let at = LOG_BASE_BLOCK_SIZE;
  const stop = (code: HvleStop['code'], message: string): HvleEntries => ({ entries, stop: { code, offset: at, message } });
  while (at + 40 <= log.length) {
    if (u32(log, at) !== HVLE) {
      // what follows the last entry is old entries' remnants or zeros: the normal end of a log
      return entries.length === 0 ? stop('BAD_RECORD', 'no HvLE log entry where the first one belongs') : { entries };
    }
    const size = u32(log, at + 4);
    const flags = u32(log, at + 8);
    const sequence = u32(log, at + 12);
    const binsSize = u32(log, at + 16);
    const count = u32(log, at + 20);
    if (size < 512 || size % 512 !== 0) return stop('BAD_RECORD', `log entry size ${size} is not a positive multiple of 512`);
    if (at + size > log.length) return stop('TRUNCATED', `log entry of ${size} bytes runs past the end of the log (${log.length - at} bytes left)`);
    if (marvin32(log, at, 32).lo !== u32(log, at + 32) || marvin32(log, at, 32).hi !== u32(log, at + 36)) {
      return stop('BAD_CHECKSUM', `log entry ${sequence}: Hash-2 (of its header) does not match`);
    }
    const h1 = marvin32(log, at + 40, size - 40);
    if (h1.lo !== u32(log, at + 24) || h1.hi !== u32(log, at + 28)) return stop('BAD_CHECKSUM', `log entry ${sequence}: Hash-1 (of its pages) does not match`);
    if (sequence !== expected) {
      return stop('BAD_RECORD', `log entry has sequence number ${sequence} where ${expected} follows: ${sequence > expected ? 'a gap' : 'an older entry'}, the log ends before it`);
    }
    if (binsSize < 4096 || binsSize % 4096 !== 0) return stop('BAD_RECORD', `log entry ${sequence}: hive bins size ${binsSize} is not a positive multiple of 4096`);
    if (binsSize > maxBinsSize) return stop('BAD_RECORD', `log entry ${sequence}: hive bins size ${binsSize} is over the ${maxBinsSize}-byte limit`);
    if (count === 0 || 40 + count * 8 > size) return stop('BAD_RECORD', `log entry ${sequence}: ${count} page references do not fit in its ${size} bytes`);
    const pages: Page[] = [];
    let data = at + 40 + count * 8;
    for (let i = 0; i < count; i++) {
      const ref = at + 40 + i * 8;
      const offset = u32(log, ref);
      const pageSize = u32(log, ref + 4);
      if (pageSize > at + size - data) return stop('BAD_RECORD', `log entry ${sequence}: page ${i} (${pageSize} bytes at hive bins offset 0x${offset.toString(16)}) runs past the entry`);
      if (offset % 512 !== 0 || pageSize % 512 !== 0 || offset + pageSize > binsSize) {
        return stop('BAD_RECORD', `log entry ${sequence}: page ${i} (${pageSize} bytes at hive bins offset 0x${offset.toString(16)}) is not 512-aligned inside its ${binsSize}-byte hive bins`);
      }
      pages.push({ offset, bytes: log.subarray(data, data + pageSize) });
      data += pageSize;
    }
    entries.push({ offset: at, size, flags, sequence, binsSize, pages });
    at += size;
    expected = (expected + 1) >>> 0;
  }
  return entries.length === 0 ? stop('TRUNCATED', 'the log ends before its first entry') : { entries };
}
