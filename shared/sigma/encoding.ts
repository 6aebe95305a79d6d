// Byte-level helpers for the encoding modifiers (base64, base64offset, wide / utf16*), written
// against the Encoding API and btoa only so they run in every host.

export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function utf16Bytes(s: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let o = 0;
  if (bom) {
    out[o++] = order === 'le' ? 0xff : 0xfe;
    out[o++] = order === 'le' ? 0xfe : 0xff;
  }
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const hi = u >> 8;
    const lo = u & 0xff;
    out[o++] = order === 'le' ? lo : hi;
    out[o++] = order === 'le' ? hi : lo;
  }
  return out;
}

export function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

/**
 * The three base64 renderings of `bytes` when it sits at offset 0, 1 or 2 of a larger encoded
 * buffer, cut to the characters that do not depend on the neighbouring bytes (pySigma's
 * base64offset: prefix 0-2 spaces, drop 0 / 2 / 3 leading and 0 / 3 / 2 trailing characters).
 */
export function base64Offsets(bytes: Uint8Array): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const padded = new Uint8Array(i + bytes.length);
    padded.fill(0x20, 0, i);
    padded.set(bytes, i);
    const enc = base64(padded);
    const end = ends[(bytes.length + i) % 3];
    out.push(enc.slice(starts[i], end === 0 ? undefined : enc.length + end));
  }
  return out;
}
