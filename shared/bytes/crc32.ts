// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: the zlib one), the one checksum of the byte
// layer: EVTX's file header, chunk header and records area, zip members, gzip members, and the
// generator's writers all use it. Every EVTX chunk's records area (up to 64 KiB) is checked once, so
// this is the largest single cost of a scan: a host with a native CRC32 (Node's zlib.crc32 in Node
// and Electron) installs it with installCrc32, and crc32() then hands it every range long enough to
// pay for the call. The pure table version below stays the fallback (browsers, older Node) and the
// reference the native one is checked against before it is accepted, so a host function that
// disagrees is refused and every checksum is still verified the same way: speed never changes which
// chunks and records are reported BAD_CHECKSUM.
//
// The pure version is slice-by-8 (eight 256-entry tables, one 8-byte step per iteration), several
// times faster than the byte-at-a-time loop, which is kept for the head and tail bytes.

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

/** The table CRC of buf[start, end), continuing from `crc`; what crc32() uses without a host function. */
export function crc32Pure(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
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

/**
 * A host's CRC-32 of all of `data`, continuing from `crc` (0 starts a new one), as an unsigned
 * 32-bit number: the signature of Node's zlib.crc32(data, value).
 */
export type Crc32Fn = (data: Uint8Array, crc: number) => number;

let native: Crc32Fn | undefined;

/**
 * Ranges shorter than this stay with the table loop: below it the call into the host (and the
 * subarray it needs) costs more than the bytes. Measured with zlib.crc32 on Node 20 (ns per call,
 * table / native): 64 B 127 / 188, 128 B 149 / 162, 256 B 224 / 207, 4 KiB 2426 / 985, 64 KiB
 * 37457 / 13213. EVTX's records area (up to 64 KiB) and chunk-header tail (384 B) go native.
 */
const NATIVE_MIN = 256;

/** CRC of buf[start, end) (clamped to the buffer), continuing from `crc` (pass the previous result to chain ranges). */
export function crc32(buf: Uint8Array, start = 0, end = buf.length, crc = 0): number {
  const s = start > 0 ? start : 0;
  const e = end < buf.length ? end : buf.length;
  if (native !== undefined && e - s >= NATIVE_MIN) return native(s === 0 && e === buf.length ? buf : buf.subarray(s, e), crc >>> 0);
  return crc32Pure(buf, s, e, crc);
}

/** Inputs a host function must get right, plain and chained, before it replaces the table. */
function agreesWithTable(fn: Crc32Fn): boolean {
  const probe = new Uint8Array(1000);
  for (let i = 0; i < probe.length; i++) probe[i] = (i * 131 + (i >>> 3)) & 0xff;
  const check = new TextEncoder().encode('123456789'); // the standard check value 0xCBF43926
  if (fn(check, 0) >>> 0 !== 0xcbf43926) return false;
  if (fn(probe, 0) >>> 0 !== crc32Pure(probe)) return false;
  const seed = crc32Pure(probe, 0, 333);
  return fn(probe.subarray(333), seed) >>> 0 === crc32Pure(probe, 333, probe.length, seed) && fn(new Uint8Array(0), seed) >>> 0 === seed;
}

/**
 * Installs the host's CRC-32 (undefined goes back to the table). Returns whether it was taken: a
 * function that disagrees with the table on the probe inputs is refused, so a broken host function
 * cannot turn good chunks bad or bad ones good.
 */
export function installCrc32(fn: Crc32Fn | undefined): boolean {
  if (fn === undefined) {
    native = undefined;
    return true;
  }
  const ok = agreesWithTable(fn);
  if (ok) native = fn;
  return ok;
}

/** Which CRC-32 crc32() runs: the host's native function or the pure table. */
export function crc32Implementation(): 'native' | 'pure' {
  return native === undefined ? 'pure' : 'native';
}
