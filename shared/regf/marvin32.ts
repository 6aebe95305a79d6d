// Marvin32, the 64-bit keyed hash Windows puts in each HvLE log entry (Hash-1, Hash-2). Pure
// 32-bit arithmetic: additions wrap with `>>> 0`, rotations are shifts, so no BigInt in the loop
// (a SYSTEM log hashes megabytes). Verified against the .NET runtime's published test vectors
// and against the hashes Windows wrote in real logs. Reads only [start, start + length) of the
// buffer; the caller keeps that range inside it.

/** The seed of registry log entries: the 64-bit number 0x82EF4D887A4E55C5 (spec: bytes 82 EF 4D 88 7A 4E 55 C5). */
export const LOG_ENTRY_SEED_LO = 0x7a4e55c5;
export const LOG_ENTRY_SEED_HI = 0x82ef4d88;

export interface Marvin32Hash {
  /** Low 32 bits (the first 4 bytes of the hash as stored little-endian). */
  lo: number;
  hi: number;
}

export function marvin32(buf: Uint8Array, start: number, length: number, seedLo = LOG_ENTRY_SEED_LO, seedHi = LOG_ENTRY_SEED_HI): Marvin32Hash {
  let lo = seedLo >>> 0;
  let hi = seedHi >>> 0;
  let p = start;
  const end = start + length;
  // the mix, written out twice (words, then the padded tail and the closing zero) to keep it inlined
  while (end - p >= 4) {
    lo = (lo + (buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16) | (buf[p + 3] << 24))) >>> 0;
    hi = (hi ^ lo) >>> 0;
    lo = (((lo << 20) | (lo >>> 12)) + hi) >>> 0;
    hi = (((hi << 9) | (hi >>> 23)) ^ lo) >>> 0;
    lo = (((lo << 27) | (lo >>> 5)) + hi) >>> 0;
    hi = ((hi << 19) | (hi >>> 13)) >>> 0;
    p += 4;
  }
  let last = 0x80;
  const rest = end - p;
  if (rest === 3) last = (last << 24) | (buf[p + 2] << 16) | (buf[p + 1] << 8) | buf[p];
  else if (rest === 2) last = (last << 16) | (buf[p + 1] << 8) | buf[p];
  else if (rest === 1) last = (last << 8) | buf[p];
  for (const v of [last >>> 0, 0]) {
    lo = (lo + v) >>> 0;
    hi = (hi ^ lo) >>> 0;
    lo = (((lo << 20) | (lo >>> 12)) + hi) >>> 0;
    hi = (((hi << 9) | (hi >>> 23)) ^ lo) >>> 0;
    lo = (((lo << 27) | (lo >>> 5)) + hi) >>> 0;
    hi = ((hi << 19) | (hi >>> 13)) >>> 0;
  }
  return { lo, hi };
}
