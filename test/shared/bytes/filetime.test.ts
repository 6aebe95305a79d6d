// FILETIME both ways through the byte layer: what the generator's writers encode (filetimeParts)
// the readers decode (filetimeIso) to the same instant, to the 100 ns tick.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filetimeIso, filetimeParts } from '../../../shared/bytes/filetime';

describe('FILETIME written and read back', () => {
  it('gives the ISO time of the epoch ms plus the sub-millisecond ticks', () => {
    const [lo, hi] = filetimeParts(Date.UTC(2024, 2, 5, 13, 4, 5, 678), 9012);
    expect(filetimeIso(lo, hi)).toBe('2024-03-05T13:04:05.6789012Z');
    expect(filetimeParts(-11644473600000, 0)).toEqual([0, 0]);
  });

  it('round-trips every time from 1970 to 2100 to the tick', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.integer({ min: 0, max: 9999 }), (ms, sub) => {
        const [lo, hi] = filetimeParts(ms, sub);
        const want = new Date(ms).toISOString().slice(0, 23) + String(sub).padStart(4, '0') + 'Z';
        expect(filetimeIso(lo, hi)).toBe(want);
      }),
      { numRuns: 500 },
    );
  });
});
