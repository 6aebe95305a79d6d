// Helpers every shell-link structure reader shares. Byte reads go through shared/bytes/byte-reader.ts,
// whose helpers name what they read and throw ByteDecodeError when a read runs past its buffer;
// each structure reader hands them a subarray cut to its own section, so a damaged size can never
// make one structure read another's bytes. `guard` turns such an error into a Problem (with the
// file offset: section base + offset in the section) at the smallest level the caller chose
// (one shell item, one string, one extra block), and the caller keeps what it read before.

import { ByteDecodeError } from '../bytes/byte-reader';
import { filetimeIso } from '../bytes/filetime';
import { problem, type Problem, type ProblemCode } from '../model/problems';

/** Where a reader files its problems: one per shortcut. */
export interface LnkContext {
  readonly file: string;
  /** Bytes in the file: a truncation is placed no later than its end. */
  readonly size: number;
  readonly problems: Problem[];
}

export function note(ctx: LnkContext, code: ProblemCode, offset: number, message: string): void {
  ctx.problems.push(problem(code, 'warning', ctx.file, message, { offset }));
}

/**
 * Runs one read; a decode error becomes a problem at base + its offset and the result is
 * undefined. Any other exception is a bug and propagates (parseLnk counts it as INTERNAL).
 */
export function guard<T>(ctx: LnkContext, base: number, what: string, read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (!(e instanceof ByteDecodeError)) throw e;
    // a read past the end names the field it wanted; the damage starts where the file stops
    const at = e.code === 'TRUNCATED' ? Math.min(base + e.offset, ctx.size) : base + e.offset;
    note(ctx, e.code, at, `${what}: ${e.message}`);
    return undefined;
  }
}

/** Windows-1252 0x80..0x9F (the rest of the code page is Latin-1); undefined bytes stay as their C1 code point. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
/**
 * Bytes in the system code page, which a shortcut does not record: decoded as Windows-1252 (the
 * Western default), so every byte maps to one character and nothing is dropped. The table is
 * ours because hosts disagree: Node 20's TextDecoder('windows-1252') decodes plain Latin-1.
 */
export function ansi(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const units = Array.from(bytes.subarray(i, i + 4096), (b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : b));
    out += String.fromCharCode(...units);
  }
  return out;
}

let utf16Decoder: TextDecoder | undefined;
/** UTF-16LE as written (a leading U+FEFF is kept: it is evidence, not a marker here). */
export function utf16le(bytes: Uint8Array): string {
  utf16Decoder ??= new TextDecoder('utf-16le', { ignoreBOM: true });
  return utf16Decoder.decode(bytes);
}

/** A NUL-terminated code-page string in buf[off, end); `terminated` false when no NUL came before end. */
export function ansiz(buf: Uint8Array, off: number, end: number): { text: string; terminated: boolean; next: number } {
  const stop = Math.min(end, buf.length);
  let p = off;
  while (p < stop && buf[p] !== 0) p++;
  const terminated = p < stop;
  return { text: ansi(buf.subarray(off, p)), terminated, next: terminated ? p + 1 : p };
}

/** A NUL-terminated UTF-16LE string in buf[off, end), read by whole code units. */
export function utf16z(buf: Uint8Array, off: number, end: number): { text: string; terminated: boolean; next: number } {
  const stop = Math.min(end, buf.length);
  let p = off;
  while (p + 1 < stop && (buf[p] | buf[p + 1]) !== 0) p += 2;
  const terminated = p + 1 < stop;
  return { text: utf16le(buf.subarray(off, p)), terminated, next: terminated ? p + 2 : p };
}

const hex2 = (b: number): string => (b < 16 ? '0' : '') + b.toString(16).toUpperCase();

/** A GUID as Windows spells it ({Data1-Data2-Data3-Data4}, first three fields little-endian), upper-case, no braces. */
export function guidAt(buf: Uint8Array, off: number): string {
  const b = (i: number): string => hex2(buf[off + i]);
  return (
    b(3) + b(2) + b(1) + b(0) + '-' + b(5) + b(4) + '-' + b(7) + b(6) + '-' + b(8) + b(9) + '-' +
    b(10) + b(11) + b(12) + b(13) + b(14) + b(15)
  );
}

/** A FILETIME at off (already bounds-checked by the caller); 0 (never set) gives undefined. */
export function filetimeAt(buf: Uint8Array, off: number): string | undefined {
  const lo = (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
  const hi = (buf[off + 4] | (buf[off + 5] << 8) | (buf[off + 6] << 16) | (buf[off + 7] << 24)) >>> 0;
  if (lo === 0 && hi === 0) return undefined;
  const iso = filetimeIso(lo, hi);
  return iso === '' ? undefined : iso;
}

const two = (n: number): string => (n < 10 ? '0' : '') + n;

/**
 * A FAT date and time (date in the low u16, time in the high u16, as shell items store them) →
 * 'YYYY-MM-DDThh:mm:ss' with no zone: FAT times are the writer's local time. Zero or out-of-range
 * fields give undefined.
 */
export function fatDateTime(date: number, time: number): string | undefined {
  if (date === 0 && time === 0) return undefined;
  const day = date & 0x1f;
  const month = (date >>> 5) & 0x0f;
  const year = 1980 + (date >>> 9);
  const sec = (time & 0x1f) * 2;
  const min = (time >>> 5) & 0x3f;
  const hour = time >>> 11;
  if (day < 1 || month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59) return undefined;
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(min)}:${two(sec)}`;
}
