// Little-endian writes into a fixed buffer with a cursor. Running past the end throws a
// RangeError: the chunk writer catches it to start a new chunk, so callers never see a short write.

export class ByteWriter {
  pos = 0;
  constructor(readonly buf: Uint8Array, readonly limit = buf.length) {}

  private need(n: number): void {
    if (this.pos + n > this.limit) throw new RangeError('chunk full');
  }
  u8(v: number): void {
    this.need(1);
    this.buf[this.pos++] = v & 0xff;
  }
  u16(v: number): void {
    this.need(2);
    this.buf[this.pos++] = v & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
  }
  u32(v: number): void {
    this.need(4);
    this.putU32(this.pos, v);
    this.pos += 4;
  }
  /** A 64-bit value given as low and high 32-bit halves. */
  u64(lo: number, hi: number): void {
    this.u32(lo);
    this.u32(hi);
  }
  bytes(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** UTF-16LE code units, no terminator. */
  utf16(s: string): void {
    this.need(s.length * 2);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      b[p++] = c & 0xff;
      b[p++] = c >>> 8;
    }
    this.pos = p;
  }
  putU32(at: number, v: number): void {
    const b = this.buf;
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
    b[at + 2] = (v >>> 16) & 0xff;
    b[at + 3] = (v >>> 24) & 0xff;
  }
  putU16(at: number, v: number): void {
    this.buf[at] = v & 0xff;
    this.buf[at + 1] = (v >>> 8) & 0xff;
  }
}

/** "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" → its 16-byte little-endian (mixed-endian) form. */
export function guidBytes(guid: string): Uint8Array {
  const h = guid.replace(/[{}-]/g, '');
  const out = new Uint8Array(16);
  const byte = (i: number) => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  out[0] = byte(3); out[1] = byte(2); out[2] = byte(1); out[3] = byte(0);
  out[4] = byte(5); out[5] = byte(4);
  out[6] = byte(7); out[7] = byte(6);
  for (let i = 8; i < 16; i++) out[i] = byte(i);
  return out;
}

/** "S-1-5-21-a-b-c-rid" → the binary SID (revision, count, 48-bit big-endian authority, LE sub-authorities). */
export function sidBytes(sid: string): Uint8Array {
  const parts = sid.split('-');
  const authority = Number(parts[2]);
  const subs = parts.slice(3).map(Number);
  const out = new Uint8Array(8 + subs.length * 4);
  out[0] = Number(parts[1]);
  out[1] = subs.length;
  for (let i = 0; i < 6; i++) out[2 + i] = Math.floor(authority / 2 ** (8 * (5 - i))) & 0xff;
  subs.forEach((v, i) => {
    const o = 8 + i * 4;
    out[o] = v & 0xff; out[o + 1] = (v >>> 8) & 0xff; out[o + 2] = (v >>> 16) & 0xff; out[o + 3] = (v >>> 24) & 0xff;
  });
  return out;
}

/** Name hash of the chunk string table: h = h * 65599 + code unit, low 16 bits kept. */
export function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}
