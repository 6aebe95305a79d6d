// The per-event fast paths of normalize against the general code they stand in for:
// parseEventTime against parseTime, canonicalGuid's braced-GUID check against its regex.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoTicks, parseEventTime } from '../../../shared/normalize/event-time';
import { canonicalGuid } from '../../../shared/normalize/canonical-values';
import { parseTime } from '../../../shared/model/time';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
/** 'YYYY-MM-DDThh:mm:ss[.f…]Z' with any digits (months 00-99, hours 00-99 ...), sometimes one character changed. */
const isoLike = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.option(fc.integer({ min: 0, max: 11 }).chain(digits), { nil: undefined }), fc.option(fc.tuple(fc.nat(30), fc.constantFrom(' ', 'z', 'a', '+', '.', '0', 'T', '-', ':')), { nil: undefined }))
  .map(([y, mo, d, h, mi, s, frac, edit]) => {
    let v = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac === undefined ? '' : '.' + frac}Z`;
    if (edit) v = v.slice(0, edit[0]) + edit[1] + v.slice(edit[0] + 1);
    return v;
  });

describe('isoTicks', () => {
  it('knows the time just parsed exactly when it is what toISOString writes (+ 4 digits of 100 ns ticks)', () => {
    fc.assert(
      fc.property(isoLike, (v) => {
        const t = parseEventTime(v);
        if (!t) return;
        const ticks = isoTicks(v, t.ms);
        const iso = Number.isFinite(t.ms) && Math.abs(t.ms) <= 8.64e15 ? new Date(t.ms).toISOString() : '';
        const expected = v === iso ? -1 : v.length === 28 && v.slice(0, 23) + 'Z' === iso ? Number(v.slice(23, 27)) : undefined;
        // never wrong; known for every EVTX-style time (3 or 7 fraction digits, valid fields)
        if (ticks !== undefined) expect(ticks).toBe(expected);
        else if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{3}|\d{7})Z$/.test(v) && Number(v.slice(0, 4)) >= 1970) expect(expected).toBeUndefined();
      }),
      { numRuns: 20000 },
    );
    const t = parseEventTime('2026-03-02T07:18:24.5542892Z');
    expect(isoTicks('2026-03-02T07:18:24.5542892Z', t?.ms ?? 0)).toBe(2892);
    // only the string parsed last, with its ms
    expect(isoTicks('2026-03-02T07:18:24.5542892Z', (t?.ms ?? 0) + 1)).toBeUndefined();
    for (const bad of ['2024-02-30T10:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-03-01T24:00:00.000Z', '2024-03-01T10:00:00.12Z']) {
      const p = parseEventTime(bad);
      expect(isoTicks(bad, p?.ms ?? NaN)).toBeUndefined();
    }
  });
});

describe('parseEventTime', () => {
  it('gives what parseTime gives for ISO-like strings, damaged ones and anything else', () => {
    fc.assert(
      fc.property(fc.oneof(isoLike, fc.string({ maxLength: 32 }), fc.integer(), fc.constant(undefined)), (v) => {
        expect(parseEventTime(v)).toStrictEqual(parseTime(v));
      }),
      { numRuns: 20000 },
    );
  });

  it('gives what parseTime gives for real EVTX times, with the day cache switching days', () => {
    const times = ['2019-03-19T02:38:12.1234567Z', '0050-01-01T00:00:00.0000001Z', '2019-03-19T23:59:59.9999999Z', '2020-02-29T12:00:00Z', '2019-03-19T02:38:12.1Z', '1601-01-01T00:00:00.000000000Z'];
    for (let round = 0; round < 3; round++) for (const t of times) expect(parseEventTime(t)).toStrictEqual(parseTime(t));
    expect(parseEventTime('2019-03-19T02:38:12.1234567Z')).toStrictEqual({ iso: '2019-03-19T02:38:12.1234567Z', ms: Date.UTC(2019, 2, 19, 2, 38, 12, 123) });
  });
});

describe('canonicalGuid', () => {
  const GUID_RE = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
  const viaRegex = (s: string) => {
    const m = GUID_RE.exec(s.trim());
    return m ? `{${m[1].toLowerCase()}}` : s;
  };
  const hexChar = fc.constantFrom(...'0123456789abcdefABCDEFgG-{} '.split(''));
  const guidLike = fc.array(hexChar, { minLength: 36, maxLength: 40 }).map((a) => a.join(''));
  const braced = fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'.split('')), { minLength: 32, maxLength: 32 }).map((a) => {
    const h = a.join('');
    return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}}`;
  });

  it('lower-cases braced GUIDs and treats everything else as the regex does', () => {
    fc.assert(
      fc.property(fc.oneof(braced, guidLike, fc.string({ maxLength: 40 })), (s) => {
        expect(canonicalGuid(s)).toBe(viaRegex(s));
      }),
      { numRuns: 20000 },
    );
    expect(canonicalGuid('{747F3D96-68F7-5CC7-0000-001018020100}')).toBe('{747f3d96-68f7-5cc7-0000-001018020100}');
  });
});
