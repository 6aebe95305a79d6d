// CRC-32 (IEEE 802.3, reflected, the zlib one) as EVTX uses for its header, chunk header and
// event-record checksums. Every chunk's records area (up to 64 KiB) is checked once, so this is
// on the hot path: slice-by-8 (eight 256-entry tables, one 8-byte step per iteration) runs
// several times faster than the byte-at-a-time loop, which is kept for the head and tail bytes.

const TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  // t[k*256 + n]: the CRC of byte n followed by k zero bytes
  for (let n = 0; n < 256; n++) {
    let c = t[n];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** CRC of buf[start, end), continuing from `crc` (pass the previous result to chain ranges). */
export function crc32(buf: Uint8Array, start: number, end: number, crc = 0): number {
  const t = TABLES;
  let c = ~crc;
  const stop = Math.min(end, buf.length);
  let i = Math.max(0, start);
  if (LITTLE_ENDIAN && stop - i >= 64) {
    // whole words through an aligned Int32Array view: one load per 4 bytes
    while ((buf.byteOffset + i) & 3) c = t[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
    const words = new Int32Array(buf.buffer, buf.byteOffset + i, (stop - i) >>> 3 << 1);
    for (let w = 0; w < words.length; w += 2) {
      const a = c ^ words[w];
      const b = words[w + 1];
      c =
        t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
        t[768 + (b & 0xff)] ^ t[512 + ((b >>> 8) & 0xff)] ^ t[256 + ((b >>> 16) & 0xff)] ^ t[b >>> 24];
    }
    i += words.length << 2;
  } else {
    for (const fast = stop - 8; i <= fast; i += 8) {
      const a = c ^ (buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24));
      const b = buf[i + 4] | (buf[i + 5] << 8) | (buf[i + 6] << 16) | (buf[i + 7] << 24);
      c =
        t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
        t[768 + (b & 0xff)] ^ t[512 + ((b >>> 8) & 0xff)] ^ t[256 + ((b >>> 16) & 0xff)] ^ t[b >>> 24];
    }
  }
  for (; i < stop; i++) c = t[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
