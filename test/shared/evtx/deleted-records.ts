// Deletion simulated on EVTX bytes for the recovered-record tests (unit and end-to-end): walk a
// chunk's allocated records by their framing, and move a chunk's free space offset back over its
// last records the way the log service leaves them (header fields and CRCs kept consistent).
import { crc32 } from '../../../shared/bytes/crc32';

export const FILE_HEADER = 4096;
export const CHUNK = 65536;

export const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
export const put32 = (b: Uint8Array, o: number, v: number) => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};
export const put64 = (b: Uint8Array, o: number, v: number) => {
  put32(b, o, v % 4294967296);
  put32(b, o + 4, Math.floor(v / 4294967296));
};
export const chunkStart = (i: number) => FILE_HEADER + i * CHUNK;

export interface Rec { off: number; size: number; id: number; defOff: number }

/** The allocated records of chunk `i` by their framing (chunk offsets), with each one's template definition offset. */
export function recordsOf(file: Uint8Array, i: number): Rec[] {
  const base = chunkStart(i);
  const free = u32(file, base + 48);
  const out: Rec[] = [];
  for (let off = 512; off < free; ) {
    const size = u32(file, base + off + 4);
    out.push({ off, size, id: u32(file, base + off + 8), defOff: u32(file, base + off + 34) });
    off += size;
  }
  return out;
}

/**
 * A copy of `file` whose chunk `i` no longer lists its records from `recs[from]` on: free space
 * offset, last record offset / number / id moved back and both CRCs recomputed, the bytes left
 * in place as slack (what deletion by the log service, or a tool that rewrites the header, leaves).
 */
export function deleteTail(file: Uint8Array, i: number, recs: Rec[], from: number): Uint8Array {
  const b = new Uint8Array(file);
  const h = chunkStart(i);
  const last = recs[from - 1];
  put64(b, h + 16, u32(b, h + 8) + from - 1); // last record number
  put64(b, h + 32, last.id); // last record id
  put32(b, h + 44, last.off);
  put32(b, h + 48, recs[from].off);
  put32(b, h + 52, crc32(b.subarray(h, h + CHUNK), 512, recs[from].off));
  const head = b.subarray(h, h + 512);
  put32(b, h + 124, crc32(head, 128, 512, crc32(head, 0, 120)));
  return b;
}
