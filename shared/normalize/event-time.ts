// parseTime (model/time.ts) with a fast path for the one spelling every EVTX record carries:
// canonical UTC 'YYYY-MM-DDThh:mm:ss[.f{1,9}]Z'. For it the result is the input string and the
// epoch ms is computed from the digits, with Date.UTC only when the day changes (Date.UTC is
// linear in hours, minutes, seconds and ms, so day + time of day is the same number, including
// its 0-99 → 19xx year rule). Every other spelling goes to parseTime unchanged.

import { parseTime, type ParsedTime } from '../model/time';

let cachedDayKey = -1;
let cachedDayMs = 0;
let cachedDayIso = false;

/** The last time parseEventTime read that is what toISOString writes (+ 4 digits): see isoTicks. */
let lastIso: string | undefined;
let lastIsoMs = Number.NaN;
let lastIsoTicks = -1;

/**
 * When `iso` is the time parseEventTime read last (the same string) and that is
 * new Date(ms).toISOString(), -1; when it is that with 7 fraction digits, the last 4 of them (the
 * 100 ns ticks below the ms); else undefined (not known). For the case's tables: normalize parses
 * an event's time just before the case indexes it, which then need not read the digits again
 * (EVTX times are concatenations, slow to read character by character).
 */
export function isoTicks(iso: string, ms: number): number | undefined {
  return ms === lastIsoMs && iso === lastIso ? lastIsoTicks : undefined;
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1e6; // makes any sum of digits it enters negative
}

/** Same result as parseTime(value) for every value. */
export function parseEventTime(value: unknown): ParsedTime | undefined {
  if (typeof value !== 'string') return parseTime(value);
  const n = value.length;
  if (n < 20 || n > 30 || value.charCodeAt(n - 1) !== 90 /* Z */) return parseTime(value);
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 84 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) {
    return parseTime(value);
  }
  const y = digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const mo = digit(value, 5) * 10 + digit(value, 6);
  const d = digit(value, 8) * 10 + digit(value, 9);
  const h = digit(value, 11) * 10 + digit(value, 12);
  const mi = digit(value, 14) * 10 + digit(value, 15);
  const sec = digit(value, 17) * 10 + digit(value, 18);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return parseTime(value);
  let fracMs = 0;
  if (n > 20) {
    // '.' then 1-9 digits, then the Z
    if (value.charCodeAt(19) !== 46 || n < 22) return parseTime(value);
    for (let i = 20; i < n - 1; i++) if (digit(value, i) < 0) return parseTime(value);
    fracMs = (digit(value, 20) * 100) + (n > 22 ? digit(value, 21) * 10 : 0) + (n > 23 ? digit(value, 22) : 0);
  } else if (value.charCodeAt(19) !== 90) {
    return parseTime(value);
  }
  const key = y * 10000 + mo * 100 + d;
  if (key !== cachedDayKey) {
    const ms = Date.UTC(y, mo - 1, d);
    if (Number.isNaN(ms)) return parseTime(value);
    cachedDayKey = key;
    cachedDayMs = ms;
    // toISOString writes this day this way: a 4-digit year from 1970, a day Date.UTC did not roll over
    cachedDayIso = y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && new Date(ms).getUTCDate() === d;
  }
  const ms = cachedDayMs + h * 3600000 + mi * 60000 + sec * 1000 + fracMs;
  if ((n === 24 || n === 28) && cachedDayIso && h <= 23 && mi <= 59 && sec <= 59) {
    lastIso = value;
    lastIsoMs = ms;
    lastIsoTicks = n === 24 ? -1 : digit(value, 23) * 1000 + digit(value, 24) * 100 + digit(value, 25) * 10 + digit(value, 26);
  }
  return { iso: value, ms };
}
