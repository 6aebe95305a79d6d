// An event record inside a chunk: signature "**\0\0", u32 size, u64 record id, FILETIME written,
// binary XML, and a copy of the size in its last 4 bytes. A record whose size or size copy is
// inconsistent is BAD_RECORD; the chunk scanner then looks for the next signature.

import { rawU32 } from '../bytes/byte-reader';

export const RECORD_SIGNATURE = 0x00002a2a;
export const RECORD_HEADER_SIZE = 24;
export const RECORD_MIN_SIZE = 28;

export interface RecordHeader {
  offset: number;
  size: number;
  recordId: number;
}

/** The record header at `pos` if it is self-consistent within [pos, end), else a reason. */
export function readRecordHeader(buf: Uint8Array, pos: number, end: number): RecordHeader | string {
  if (pos + RECORD_MIN_SIZE > end) return 'record header runs past the end of the records area';
  if (rawU32(buf, pos) !== RECORD_SIGNATURE) return 'no record signature';
  const size = rawU32(buf, pos + 4);
  if (size < RECORD_MIN_SIZE) return `record size ${size} is smaller than a record header`;
  if (pos + size > end) return `record size ${size} runs past the end of the records area`;
  const copy = rawU32(buf, pos + size - 4);
  if (copy !== size) return `record size ${size} differs from its copy ${copy}`;
  const recordId = rawU32(buf, pos + 12) * 4294967296 + rawU32(buf, pos + 8);
  return { offset: pos, size, recordId };
}

/** Offset of the next record signature in [from, end - 4], or -1. */
export function findRecordSignature(buf: Uint8Array, from: number, end: number): number {
  for (let p = from; p + 4 <= end; p++) {
    if (buf[p] === 0x2a && buf[p + 1] === 0x2a && buf[p + 2] === 0 && buf[p + 3] === 0) return p;
  }
  return -1;
}
