// Transaction logs made by test code (never committed blobs): a base block copied from the
// primary's with the log's file type and sequence numbers, HvLE entries with their Marvin32
// hashes, and DIRT logs with their bitmap, for tests that need a log with exactly one thing
// wrong with it.
import { baseBlockChecksum } from '../../../shared/regf/base-block';
import { marvin32 } from '../../../shared/regf/marvin32';

export interface GenPage { offset: number; bytes: Uint8Array }

function setChecksum(bb: Uint8Array): void {
  new DataView(bb.buffer, bb.byteOffset).setUint32(508, baseBlockChecksum(bb), true);
}

/** The primary's base block with `sequence` in both fields (and its checksum right): a clean or dirty copy. */
export function withSequences(primary: Uint8Array, seq1: number, seq2: number): Uint8Array {
  const out = primary.slice();
  const dv = new DataView(out.buffer);
  dv.setUint32(4, seq1, true);
  dv.setUint32(8, seq2, true);
  setChecksum(out);
  return out;
}

/** A log's 512-byte base block: the primary's first 512 bytes, file type and sequence set. */
export function logBaseBlock(primary: Uint8Array, fileType: number, sequence: number, binsSize?: number): Uint8Array {
  const bb = primary.slice(0, 512);
  const dv = new DataView(bb.buffer);
  dv.setUint32(4, sequence, true);
  dv.setUint32(8, sequence, true);
  dv.setUint32(28, fileType, true);
  if (binsSize !== undefined) dv.setUint32(40, binsSize, true);
  setChecksum(bb);
  return bb;
}

/** HvLE entries are the generator's own (hashes computed; change a field, then `rehash`, to make one wrong). */
export { hvleEntry } from '../../../shared/generator/regf-writer/transaction-log';

/** Recomputes an entry's Hash-1 and Hash-2 in place (after a deliberate change to its fields). */
export function rehash(log: Uint8Array, at: number): void {
  const dv = new DataView(log.buffer, log.byteOffset);
  const size = dv.getUint32(at + 4, true);
  const h1 = marvin32(log, at + 40, Math.min(size, log.length - at) - 40);
  dv.setUint32(at + 24, h1.lo, true);
  dv.setUint32(at + 28, h1.hi, true);
  const h2 = marvin32(log, at, 32);
  dv.setUint32(at + 32, h2.lo, true);
  dv.setUint32(at + 36, h2.hi, true);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An old-format log: base block, DIRT bitmap (a bit per 512-byte page), the pages from the next 512 boundary. */
export function dirtLog(primary: Uint8Array, sequence: number, binsSize: number, pages: GenPage[]): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(binsSize / 4096));
  const chunks = new Map<number, Uint8Array>();
  for (const p of pages) {
    for (let i = 0; i < p.bytes.length; i += 512) {
      const bit = (p.offset + i) / 512;
      bitmap[bit >>> 3] |= 1 << (bit & 7);
      chunks.set(bit, p.bytes.subarray(i, i + 512));
    }
  }
  const vector = concat(new Uint8Array([0x44, 0x49, 0x52, 0x54]), bitmap);
  const padded = new Uint8Array(Math.ceil(vector.length / 512) * 512);
  padded.set(vector);
  const data = [...chunks.keys()].sort((a, b) => a - b).map((b) => chunks.get(b) as Uint8Array);
  return concat(logBaseBlock(primary, 1, sequence, binsSize), padded, ...data);
}
