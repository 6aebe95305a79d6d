// CRC-32 (IEEE 802.3, reflected, the zlib one) as EVTX uses for its header, chunk header and
// event-record checksums.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC of buf[start, end), continuing from `crc` (pass the previous result to chain ranges). */
export function crc32(buf: Uint8Array, start: number, end: number, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  const stop = Math.min(end, buf.length);
  for (let i = Math.max(0, start); i < stop; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
