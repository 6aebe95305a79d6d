// Key and value names, and how Windows compares them. Names are stored either as "compressed"
// extended ASCII (one byte per character, Latin-1) or as UTF-16LE; both decode to JS strings
// code unit for code unit, so a lone surrogate stays what it is (TextDecoder would replace it).
// Comparison is case-insensitive per UTF-16 code unit, as the kernel's upcase table works: each
// unit maps to one unit (a character whose JS upper case is longer, like ß, stays as it is).

import { checkRange } from '../bytes/byte-reader';

/** One reusable array per short length: String.fromCharCode.apply on it allocates only the result (twice as fast as concatenation or apply on a subarray). */
const SHORT = 64;
const UNITS: number[][] = Array.from({ length: SHORT + 1 }, (_, n) => new Array<number>(n).fill(0));

/** Latin-1 bytes [off, off + n) as a string. */
export function latin1(buf: Uint8Array, off: number, n: number, what: string): string {
  checkRange(buf, off, n, what);
  if (n === 0) return '';
  if (n > SHORT) return String.fromCharCode.apply(null, Array.from(buf.subarray(off, off + n)));
  const t = UNITS[n];
  for (let i = 0; i < n; i++) t[i] = buf[off + i];
  return String.fromCharCode.apply(null, t);
}

const CHUNK = 4096;
let strict: TextDecoder | undefined;

/** UTF-16LE code units [off, off + 2 * units) exactly, lone surrogates included. */
export function utf16Exact(buf: Uint8Array, off: number, units: number, what: string): string {
  checkRange(buf, off, units * 2, what);
  if (units === 0) return '';
  if (units <= SHORT) {
    const t = UNITS[units];
    for (let i = 0, p = off; i < units; i++, p += 2) t[i] = buf[p] | (buf[p + 1] << 8);
    return String.fromCharCode.apply(null, t);
  }
  strict ??= new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
  try {
    return strict.decode(buf.subarray(off, off + units * 2));
  } catch (e) {
    // a lone surrogate (the fatal decoder refuses it): decode unit by unit instead, keeping it
    if (!(e instanceof TypeError)) throw e;
  }
  let s = '';
  const tmp: number[] = [];
  for (let i = 0; i < units; i += CHUNK) {
    const n = Math.min(CHUNK, units - i);
    tmp.length = n;
    for (let j = 0, p = off + 2 * i; j < n; j++, p += 2) tmp[j] = buf[p] | (buf[p + 1] << 8);
    s += String.fromCharCode.apply(null, tmp);
  }
  return s;
}

let UPCASE: Uint16Array | undefined;

function upcaseTable(): Uint16Array {
  if (UPCASE) return UPCASE;
  const t = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const u = String.fromCharCode(c).toUpperCase();
    t[c] = u.length === 1 ? u.charCodeAt(0) : c;
  }
  UPCASE = t;
  return t;
}

/** The upper case of one UTF-16 code unit, one unit to one unit. */
export function upperUnit(c: number): number {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
  return upcaseTable()[c];
}

export function upperName(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length && ascii; i++) if (s.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) return s.toUpperCase();
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(upperUnit(s.charCodeAt(i)));
  return out;
}

/** The lh hash of a name: H = 37 * H + upper(unit), over the UTF-16 code units, mod 2^32. */
export function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 37) + upperUnit(s.charCodeAt(i))) >>> 0;
  return h;
}

/** Compares two names as Windows orders them: by upper-cased code units, then by length. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = upperUnit(a.charCodeAt(i)) - upperUnit(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
