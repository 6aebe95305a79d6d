// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the checksum EVTX uses for the file
// header, the chunk header and the chunk's event records. Incremental so the chunk header's two
// ranges (bytes 0-120 and 128-512) can be fed one after the other.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continue a CRC over `bytes[start, end)`; start a new one with crc = 0. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
