// Key and value names as regf stores them: ASCII names compressed to one byte per character
// (KEY_COMP_NAME / VALUE_COMP_NAME), anything else as UTF-16LE. Compression is limited to ASCII
// rather than Latin-1 (which Windows also compresses) so that every reader decodes the bytes the
// same way whatever code page it assumes. Also the upper-casing used for list order and lh hashes.

export interface EncodedName {
  bytes: Uint8Array;
  compressed: boolean;
}

export function encodeName(name: string): EncodedName {
  if (name.length > 0x7fff) throw new RangeError(`a registry name is at most 32,767 characters (got ${name.length})`);
  let ascii = true;
  for (let i = 0; i < name.length && ascii; i++) if (name.charCodeAt(i) >= 0x80) ascii = false;
  if (ascii) {
    const bytes = new Uint8Array(name.length);
    for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
    return { bytes, compressed: true };
  }
  return { bytes: utf16le(name), compressed: false };
}

export function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

/** One UTF-16 unit upper-cased to one unit (a unit whose upper case is longer stays as it is). */
export function upperUnit(c: number): number {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a ? c - 0x20 : c;
  const u = String.fromCharCode(c).toUpperCase();
  return u.length === 1 ? u.charCodeAt(0) : c;
}

/** Windows' order of subkeys: by upper-cased UTF-16 units, a prefix first. */
export function compareKeyNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = upperUnit(a.charCodeAt(i)) - upperUnit(b.charCodeAt(i));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}
