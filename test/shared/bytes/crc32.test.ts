import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32Pure as crc32 } from '../../../shared/bytes/crc32';

/** Bit-at-a-time CRC-32 (reflected, polynomial 0xEDB88320): the definition, no tables. */
function crc32Bitwise(buf: Uint8Array, start: number, end: number, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = Math.max(0, start); i < Math.min(end, buf.length); i++) {
    c ^= buf[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (0xedb88320 ^ (c >>> 1)) >>> 0 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32Pure (slice-by-8 table)', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xcbf43926);
  });

  it('matches the bitwise definition on random buffers, ranges and chained starts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(310), fc.nat(310), fc.nat(0xffffffff), (buf, a, b, seed) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        expect(crc32(buf, s, e)).toBe(crc32Bitwise(buf, s, e));
        expect(crc32(buf, s, e, seed)).toBe(crc32Bitwise(buf, s, e, seed));
        const mid = s + ((e - s) >> 1);
        expect(crc32(buf, mid, e, crc32(buf, s, mid))).toBe(crc32Bitwise(buf, s, e));
      }),
      { numRuns: 500 },
    );
  });

  it('matches the bitwise definition on a whole 64 KiB chunk-sized buffer', () => {
    const buf = new Uint8Array(65536);
    let x = 12345;
    for (let i = 0; i < buf.length; i++) buf[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    expect(crc32(buf, 512, 65000)).toBe(crc32Bitwise(buf, 512, 65000));
  });

  it('gives the same CRC for a view at any byte alignment of its backing buffer', () => {
    const base = new Uint8Array(1100);
    for (let i = 0; i < base.length; i++) base[i] = (i * 7919) & 0xff;
    const want = crc32Bitwise(base.subarray(0, 1000), 3, 997);
    for (let shift = 0; shift < 8; shift++) {
      const copy = new Uint8Array(1100);
      copy.set(base.subarray(0, 1000), shift);
      expect(crc32(copy.subarray(shift, shift + 1000), 3, 997)).toBe(want);
    }
  });
});
