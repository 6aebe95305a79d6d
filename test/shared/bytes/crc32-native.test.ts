// The host hook for CRC-32: with Node's zlib.crc32 installed, crc32() gives exactly what the pure
// table gives on every range, seed and chain (what EVTX chunk headers, zip and gzip members rely
// on), and a host function that disagrees with the table is refused, not taken.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, crc32Implementation, crc32Pure, installCrc32 } from '../../../shared/bytes/crc32';
import { hostHooksInstalled, installHostHooks } from '../../../shared/bytes/host-hooks';
import { installNativeHooks } from '../../../electron/io/native-hooks';

afterEach(() => {
  installCrc32(undefined);
});

describe('crc32 with the native host hook', () => {
  it('runs the pure table until a host installs its function, and the native one after', () => {
    expect(crc32Implementation()).toBe('pure');
    expect(installNativeHooks()).toEqual({ crc32: 'native' });
    expect(crc32Implementation()).toBe('native');
    installCrc32(undefined);
    expect(hostHooksInstalled()).toEqual({ crc32: 'pure' });
  });

  it('agrees with the pure table on random buffers, ranges, seeds and chained ranges', () => {
    expect(installCrc32(zlibCrc32)).toBe(true);
    fc.assert(
      // lengths on both sides of the size where crc32() starts handing ranges to the host
      fc.property(fc.uint8Array({ maxLength: 5000, size: 'max' }), fc.nat(5100), fc.nat(5100), fc.nat(0xffffffff), (buf, a, b, seed) => {
        const [s, e] = a <= b ? [a, b] : [b, a];
        expect(crc32(buf, s, e)).toBe(crc32Pure(buf, s, e));
        expect(crc32(buf, s, e, seed)).toBe(crc32Pure(buf, s, e, seed));
        const mid = s + ((e - s) >> 1);
        expect(crc32(buf, mid, e, crc32(buf, s, mid))).toBe(crc32Pure(buf, s, e));
        expect(crc32(buf)).toBe(crc32Pure(buf));
      }),
      { numRuns: 400, endOnFailure: true }, // no shrinking: a 5000-byte counterexample takes a minute to shrink
    );
  });

  it('gives the seed back for an empty range, and 0 for an empty buffer, as the table does', () => {
    installCrc32(zlibCrc32);
    const buf = new Uint8Array(1000).fill(7);
    for (const seed of [0, 1, 0xcbf43926, 0xffffffff]) {
      expect(crc32(buf, 500, 500, seed)).toBe(crc32Pure(buf, 500, 500, seed));
      expect(crc32(buf, 900, 400, seed)).toBe(seed >>> 0);
    }
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('checks a 64 KiB chunk and the chunk header two-range chain like the table, at every alignment', () => {
    installCrc32(zlibCrc32);
    const base = new Uint8Array(65536 + 8);
    let x = 12345;
    for (let i = 0; i < base.length; i++) base[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    for (let shift = 0; shift < 8; shift++) {
      const chunk = base.subarray(shift, shift + 65536);
      expect(crc32(chunk, 512, 65000)).toBe(crc32Pure(chunk, 512, 65000));
      expect(crc32(chunk, 128, 512, crc32(chunk, 0, 120))).toBe(crc32Pure(chunk, 128, 512, crc32Pure(chunk, 0, 120)));
    }
  });

  it('refuses a host function that disagrees with the table, and keeps the table', () => {
    const offByOne = (d: Uint8Array, c: number) => (zlibCrc32(d, c) ^ 1) >>> 0;
    const ignoresSeed = (d: Uint8Array) => zlibCrc32(d, 0);
    expect(installCrc32(offByOne)).toBe(false);
    expect(installCrc32(ignoresSeed)).toBe(false);
    expect(installHostHooks({ crc32: offByOne })).toEqual({ crc32: 'pure' });
    expect(crc32Implementation()).toBe('pure');
  });
});
