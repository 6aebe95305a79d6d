import { describe, expect, it } from 'vitest';
import { filetimeToIso, parseTime } from '../../../shared/model/time';

describe('time', () => {
  it('converts FILETIME with 100 ns precision', () => {
    // 2019-03-19T02:38:12.1234567Z = 132 0... computed from the Unix epoch
    const unixMs = Date.UTC(2019, 2, 19, 2, 38, 12, 123);
    const ticks = BigInt(unixMs) * 10000n + 4567n + 116444736000000000n;
    const lo = Number(ticks & 0xffffffffn);
    const hi = Number(ticks >> 32n);
    expect(filetimeToIso(lo, hi)).toBe('2019-03-19T02:38:12.1234567Z');
  });

  it('converts FILETIMEs before 1970 without rounding the second up', () => {
    // 1601-01-01T00:00:00.0000001Z is tick 1; 1969-12-31T23:59:59.9999999Z is one tick before the Unix epoch
    expect(filetimeToIso(1, 0)).toBe('1601-01-01T00:00:00.0000001Z');
    const t = 116444736000000000n - 1n;
    expect(filetimeToIso(Number(t & 0xffffffffn), Number(t >> 32n))).toBe('1969-12-31T23:59:59.9999999Z');
  });

  it.each([
    ['2026-01-05T06:29:01.086253Z', '2026-01-05T06:29:01.086253Z'],
    ['2026-01-05 06:29:01.070', '2026-01-05T06:29:01.070Z'],
    ['2026-03-01T17:01:50.000Z', '2026-03-01T17:01:50.000Z'],
    ['2020-09-04T03:06:08+02:00', '2020-09-04T01:06:08Z'],
    ['/Date(1600000000000)/', '2020-09-13T12:26:40.000Z'],
  ])('parses %s', (input, iso) => {
    expect(parseTime(input)?.iso).toBe(iso);
  });

  it('refuses what it cannot read instead of guessing', () => {
    expect(parseTime('yesterday')).toBeUndefined();
    expect(parseTime(undefined)).toBeUndefined();
  });

  it('orders by epoch ms', () => {
    expect(parseTime('2026-01-05 06:29:01.070')!.ms).toBe(Date.UTC(2026, 0, 5, 6, 29, 1, 70));
  });
});
