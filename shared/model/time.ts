// Times are kept as ISO 8601 UTC strings with the source's own precision (EVTX FILETIME gives
// 100 ns, Sysmon's UtcTime gives ms, Defender gives ms or 100 ns) plus epoch milliseconds for
// ordering. Sources without a zone are UTC by convention (Sysmon UtcTime, Defender Timestamp).

const FILETIME_EPOCH_DIFF_100NS = 116444736000000000n;

/** FILETIME (100 ns ticks since 1601) → ISO 8601 with 7 fractional digits. */
export function filetimeToIso(lo: number, hi: number): string {
  const ticks = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  const unix100ns = ticks - FILETIME_EPOCH_DIFF_100NS;
  // floor division: BigInt '/' truncates toward zero, which would put times before 1970 a second late
  const frac = ((unix100ns % 10000000n) + 10000000n) % 10000000n;
  const seconds = (unix100ns - frac) / 10000000n;
  const d = new Date(Number(seconds) * 1000);
  if (Number.isNaN(d.getTime())) return '';
  const base = d.toISOString().slice(0, 19);
  return `${base}.${frac.toString().padStart(7, '0')}Z`;
}

/** SYSTEMTIME fields → ISO 8601 with ms. */
export function systemtimeToIso(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): string {
  const p = (n: number, w = 2) => n.toString().padStart(w, '0');
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.${p(ms, 3)}Z`;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const MS_DATE_RE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

export interface ParsedTime {
  iso: string;
  ms: number;
}

/**
 * Accepts the time spellings found in exports: ISO 8601 with or without zone and fraction,
 * "YYYY-MM-DD hh:mm:ss.fff" (Sysmon UtcTime), "/Date(ms)/" (ConvertTo-Json), epoch ms numbers.
 * Returns undefined for anything else rather than guessing.
 */
export function parseTime(value: unknown): ParsedTime | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value > 1e14 ? Math.floor(value / 1000) : value; // µs epochs appear in some exports
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? undefined : { iso: d.toISOString(), ms };
  }
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  const msd = MS_DATE_RE.exec(s);
  if (msd) return parseTime(Number(msd[1]));
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z' && zone.toUpperCase() !== 'UTC') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const fracMs = frac ? Number((frac + '000').slice(0, 3)) : 0;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, fracMs) - offsetMin * 60000;
  if (Number.isNaN(ms)) return undefined;
  if (offsetMin === 0) {
    return { iso: `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac ? '.' + frac : ''}Z`, ms };
  }
  const shifted = new Date(ms).toISOString().slice(0, 19);
  return { iso: `${shifted}${frac ? '.' + frac : ''}Z`, ms };
}
