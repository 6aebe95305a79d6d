// Old-format (before Windows 8.1) log data: at offset 512 a "DIRT" signature and a bitmap with a
// bit per 512-byte page of the hive bins (hive-bins size / 512 bits, least significant bit
// first), then, from the next 512-byte boundary after the bitmap (512 + 4 + bitmap bytes,
// rounded up: 1024 only while the bitmap is under 508 bytes, i.e. hives under 2 MB), one 512-byte
// page per set bit, in bit order. Runs of set bits come back as one Page each. A bitmap or
// pages cut short by the end of the file end the data there, with `stop` saying where; pages are
// views into the log, nothing throws.

import { type Page } from './hive-bytes';
import { LOG_BASE_BLOCK_SIZE } from './log-file';

export interface DirtPages {
  pages: Page[];
  /** File offset in the log where the dirty pages start. */
  dataStart: number;
  stop?: { code: 'BAD_MAGIC' | 'TRUNCATED'; offset: number; message: string };
}

/** Where the dirty pages begin for a hive of `binsSize` bytes of bins (the spec's formula). */
export function dirtDataStart(binsSize: number): number {
  const unaligned = LOG_BASE_BLOCK_SIZE + 4 + Math.ceil(binsSize / 4096);
  return Math.ceil(unaligned / 512) * 512;
}

export function readDirtPages(log: Uint8Array, binsSize: number): DirtPages {
  const at = LOG_BASE_BLOCK_SIZE;
  const bitmapBytes = Math.ceil(binsSize / 4096);
  const dataStart = dirtDataStart(binsSize);
  const pages: Page[] = [];
  if (log.length < at + 4 || log[at] !== 0x44 || log[at + 1] !== 0x49 || log[at + 2] !== 0x52 || log[at + 3] !== 0x54) {
    return { pages, dataStart, stop: { code: 'BAD_MAGIC', offset: at, message: 'no DIRT dirty vector at offset 512' } };
  }
  if (at + 4 + bitmapBytes > log.length) {
    return { pages, dataStart, stop: { code: 'TRUNCATED', offset: at + 4, message: `the dirty vector's ${bitmapBytes}-byte bitmap runs past the end of the log` } };
  }
  const bits = Math.floor(binsSize / 512);
  let next = dataStart;
  let run: { offset: number; from: number; count: number } | undefined;
  const close = () => {
    if (run) pages.push({ offset: run.offset, bytes: log.subarray(run.from, run.from + run.count * 512) });
    run = undefined;
  };
  for (let bit = 0; bit < bits; bit++) {
    if (((log[at + 4 + (bit >>> 3)] >>> (bit & 7)) & 1) === 0) {
      close();
      continue;
    }
    if (next + 512 > log.length) {
      close();
      return { pages, dataStart, stop: { code: 'TRUNCATED', offset: next, message: `dirty page for hive bins offset 0x${(bit * 512).toString(16)} runs past the end of the log` } };
    }
    if (run) run.count++;
    else run = { offset: bit * 512, from: next, count: 1 };
    next += 512;
  }
  close();
  return { pages, dataStart };
}
