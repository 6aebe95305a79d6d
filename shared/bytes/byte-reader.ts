// Bounds-checked, named reads of little-endian binary structures: every byte the EVTX and regf
// readers take from a buffer goes through these helpers. Each names what it reads, so a truncated
// or damaged structure fails with "what and where" (a ProblemCode, the offset, the field) instead
// of reading undefined bytes. They throw ByteDecodeError, which each format's reader catches at its
// smallest boundary (record, chunk, cell, key) and turns into a Problem; the error never leaves the
// format's reader. The raw* reads are unchecked and only for ranges the caller checked once.

import type { ProblemCode } from '../model/problems';

/** A decode failure at a named field: the code, the offset and what was being read. */
export class ByteDecodeError extends Error {
  constructor(
    readonly code: ProblemCode,
    /** Offset inside the buffer being decoded (for EVTX chunk data, chunk-relative). */
    readonly offset: number,
    message: string,
    /** The field or structure being read, where the failing helper knows it. */
    readonly what?: string,
  ) {
    super(message);
    this.name = 'ByteDecodeError';
  }
}

export function fail(code: ProblemCode, offset: number, message: string): never {
  throw new ByteDecodeError(code, offset, message);
}

function need(buf: Uint8Array, off: number, n: number, what: string): void {
  if (off < 0 || off + n > buf.length) throw new ByteDecodeError('TRUNCATED', off, `${what}: needs ${n} bytes at 0x${off.toString(16)}, buffer holds ${buf.length}`, what);
}

export function u8(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 1, what);
  return buf[off];
}

export function u16(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 2, what);
  return buf[off] | (buf[off + 1] << 8);
}

export function u32(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 4, what);
  return (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
}

/** A little-endian u64 as a JS number; exact up to 2^53, which covers record ids and counts. */
export function u64(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 8, what);
  const lo = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
  const hi = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
  return hi * 4294967296 + lo;
}

/** Unchecked reads for hot paths whose bounds were checked once by the caller. */
export function rawU16(buf: Uint8Array, off: number): number {
  return buf[off] | (buf[off + 1] << 8);
}
export function rawU32(buf: Uint8Array, off: number): number {
  return (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
}

export function checkRange(buf: Uint8Array, off: number, n: number, what: string): void {
  need(buf, off, n, what);
}

const LONG_UTF16 = 48;
let utf16Decoder: TextDecoder | undefined;
/** One reusable array per short length: String.fromCharCode.apply on it allocates only the result. */
const UNITS: number[][] = Array.from({ length: LONG_UTF16 + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * UTF-16LE code units [off, off + 2*chars) as a string. Short strings (most names and values) go
 * through String.fromCharCode.apply on a reused array, which beats TextDecoder's call overhead up
 * to about 48 characters and keeps every code unit as it is (a lone surrogate stays one); long
 * ones use TextDecoder, which replaces a lone surrogate with U+FFFD.
 */
export function utf16(buf: Uint8Array, off: number, chars: number, what: string): string {
  need(buf, off, chars * 2, what);
  if (chars > LONG_UTF16) {
    // ignoreBOM: a value that starts with U+FEFF keeps it, as a short one does (evidence as written)
    utf16Decoder ??= new TextDecoder('utf-16le', { ignoreBOM: true });
    return utf16Decoder.decode(buf.subarray(off, off + chars * 2));
  }
  if (chars === 0) return '';
  const units = UNITS[chars];
  for (let i = 0, p = off; i < chars; i++, p += 2) units[i] = buf[p] | (buf[p + 1] << 8);
  return String.fromCharCode.apply(null, units);
}

/** Value strings decoded lately, by a hash of their length and a few code units (see utf16z). */
const SEEN_BITS = 12;
const SEEN_MASK = (1 << SEEN_BITS) - 1;
const seen: string[] = new Array<string>(1 << SEEN_BITS).fill('');
/** Shorter values are decoded every time: comparing them costs about as much as decoding. */
const SEEN_MIN = 8;
/** Longer ones too: they rarely repeat, and the memo's memory stays small (4096 × 2 KiB at most). */
const SEEN_MAX = 1024;

const unitAt = (buf: Uint8Array, off: number, i: number): number => buf[off + 2 * i] | (buf[off + 2 * i + 1] << 8);

/**
 * Like utf16 but stops at the first NUL code unit (values are often NUL-terminated inside their
 * size). A log repeats most of its values (images, command lines, users, hashes, registry keys:
 * of the strings a scan decodes, about 5 in 6 in the scan bench's generated fleet and 2 in 3 over
 * the 313 small real logs in ../shared/samples were decoded lately): when the code units are those
 * of the string decoded last into the same slot, that string is returned, not a new copy. The
 * result is the same text either way; what changes is that equal values arrive as one string, so
 * the engine's caches and tables compare them by identity and hash them once, and the reader
 * allocates less. A hit is confirmed against every code unit, so a slot shared by two values only
 * costs a decode.
 */
export function utf16z(buf: Uint8Array, off: number, chars: number, what: string): string {
  need(buf, off, chars * 2, what);
  let n = 0;
  while (n < chars && (buf[off + 2 * n] | buf[off + 2 * n + 1]) !== 0) n++;
  if (n < SEEN_MIN || n > SEEN_MAX) return utf16(buf, off, n, what);
  let h = Math.imul(n, 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, n - 1), 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, n >> 1), 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, n >> 2), 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, (3 * n) >> 2), 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, (5 * n) >> 3), 0x9e3779b1);
  h = Math.imul(h ^ unitAt(buf, off, (7 * n) >> 3), 0x9e3779b1);
  const slot = (h ^ (h >>> 15)) & SEEN_MASK;
  const last = seen[slot];
  // from the end: values alike at the start (paths, command lines of one program) part there sooner
  if (last.length === n && sameUnitsFromEnd(last, buf, off)) return last;
  const s = utf16(buf, off, n, what);
  seen[slot] = s;
  return s;
}

/**
 * Whether s's code units are the little-endian ones at buf[off..off + 2 * s.length). A string
 * utf16 made from units with a lone surrogate holds U+FFFD there (long strings) or the surrogate
 * itself (short ones): either way it matches exactly the units that decode to it.
 */
function sameUnitsFromEnd(s: string, buf: Uint8Array, off: number): boolean {
  for (let i = s.length - 1, p = off + 2 * i; i >= 0; i--, p -= 2) if (s.charCodeAt(i) !== (buf[p] | (buf[p + 1] << 8))) return false;
  return true;
}

/** Upper-case two-digit hex of every byte value. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

export function hexUpper(buf: Uint8Array, off: number, n: number, what: string): string {
  need(buf, off, n, what);
  let s = '';
  for (let i = 0; i < n; i++) s += HEX2[buf[off + i]];
  return s;
}
