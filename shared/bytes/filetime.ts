// FILETIME (100 ns ticks since 1601-01-01 UTC), read and written. Reading gives ISO 8601 with 7
// fractional digits, the way Windows renders SystemTime. Every record carries one, so reading
// avoids BigInt and Date: the ticks are split exactly with doubles, the time of day is integer
// arithmetic, and the date part comes from Date only when the day changes (records of a chunk share
// a few days at most). Values outside what doubles hold exactly fall back to the BigInt reference
// (model/time.ts). Writing (the generator) is rare and uses BigInt, exact for any input.

import { filetimeToIso } from '../model/time';

const TWO: string[] = [];
for (let i = 0; i < 60; i++) TWO.push(i < 10 ? '0' + i : String(i));
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000'];

let cachedDay = Number.NaN;
let cachedDayText = ''; // 'YYYY-MM-DDT'

/** FILETIME given as its low and high u32 halves → 'YYYY-MM-DDThh:mm:ss.fffffffZ'. */
export function filetimeIso(lo: number, hi: number): string {
  // ticks = hi * 2^32 + lo = hi * 429 * 1e7 + (hi * 4967296 + lo); exact while the sum < 2^53
  if (hi >= 0x20000000) return filetimeToIso(lo, hi);
  const rest = hi * 4967296 + lo;
  const q = Math.floor(rest / 1e7);
  const frac = rest - q * 1e7;
  const secs = hi * 429 + q - 11644473600;
  const day = Math.floor(secs / 86400);
  let sod = secs - day * 86400;
  if (day !== cachedDay) {
    const iso = new Date(day * 86400000).toISOString();
    if (iso.length !== 24) return filetimeToIso(lo, hi); // years outside 0000-9999
    cachedDay = day;
    cachedDayText = iso.slice(0, 11);
  }
  const h = Math.floor(sod / 3600);
  sod -= h * 3600;
  const m = Math.floor(sod / 60);
  const f = String(frac);
  return cachedDayText + TWO[h] + ':' + TWO[m] + ':' + TWO[sod - m * 60] + '.' + ZEROS[7 - f.length] + f + 'Z';
}

const FILETIME_EPOCH_DIFF_100NS = 116444736000000000n;

/** Epoch ms + 100 ns ticks → FILETIME as [low, high] 32-bit halves (the writers' direction; exact, BigInt). */
export function filetimeParts(ms: number, sub: number): [number, number] {
  const t = BigInt(ms) * 10000n + BigInt(sub) + FILETIME_EPOCH_DIFF_100NS;
  return [Number(t & 0xffffffffn), Number(t >> 32n)];
}
