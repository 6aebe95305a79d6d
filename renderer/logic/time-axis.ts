// A linear UTC time axis for the SVG timelines: map times to pixels, zoom around a point, pan, and
// pick "nice" tick steps. Pure so it is unit-tested; the components only draw what it returns.

export interface TimeDomain {
  start: number;
  end: number;
}

/** Domain that contains every time, padded so points at the edges are not clipped. */
export function domainOf(times: readonly number[], padFraction = 0.05): TimeDomain {
  const finite = times.filter((t) => Number.isFinite(t));
  if (finite.length === 0) return { start: 0, end: 1000 };
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1000) {
    const mid = (lo + hi) / 2;
    lo = mid - 500;
    hi = mid + 500;
  }
  const pad = (hi - lo) * padFraction;
  return { start: lo - pad, end: hi + pad };
}

export function scaleTime(d: TimeDomain, width: number, t: number): number {
  const span = d.end - d.start;
  if (!(span > 0)) return 0;
  return ((t - d.start) / span) * width;
}

export function invertX(d: TimeDomain, width: number, x: number): number {
  if (!(width > 0)) return d.start;
  return d.start + (x / width) * (d.end - d.start);
}

/** Zoom by factor (>1 zooms in) keeping the time under `anchor` fixed. Never narrower than 1 ms. */
export function zoom(d: TimeDomain, factor: number, anchor: number): TimeDomain {
  const span = Math.max(1, (d.end - d.start) / factor);
  const ratio = d.end > d.start ? (anchor - d.start) / (d.end - d.start) : 0.5;
  const start = anchor - span * ratio;
  return { start, end: start + span };
}

export function pan(d: TimeDomain, deltaMs: number): TimeDomain {
  return { start: d.start + deltaMs, end: d.end + deltaMs };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY, 365 * DAY,
];

/** Smallest step giving at most maxTicks ticks over the domain. */
export function tickStep(d: TimeDomain, maxTicks: number): number {
  const span = d.end - d.start;
  for (const s of STEPS) if (span / s <= maxTicks) return s;
  return Math.ceil(span / maxTicks / (365 * DAY)) * 365 * DAY;
}

export function ticks(d: TimeDomain, maxTicks: number): number[] {
  const step = tickStep(d, maxTicks);
  const out: number[] = [];
  for (let t = Math.ceil(d.start / step) * step; t <= d.end; t += step) out.push(t);
  return out;
}

/** Tick label precise enough for the step: date for days, hh:mm for minutes, ss.mmm below a second. */
export function tickLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  if (step >= DAY) return iso.slice(0, 10);
  if (step >= MINUTE) return iso.slice(11, 16);
  if (step >= SECOND) return iso.slice(11, 19);
  return iso.slice(17, 23);
}
