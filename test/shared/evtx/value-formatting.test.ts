// The hand-written value formatters of the EVTX reader's hot path against the slow, obviously
// correct forms: FILETIME against BigInt + Date, hex against Number.toString(16).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { filetimeIso } from '../../../shared/bytes/filetime';
import { filetimeToIso } from '../../../shared/model/time';
import { ByteDecodeError, HEX2, hexUpper, utf16, utf16z } from '../../../shared/bytes/byte-reader';
import { scalarText, VT } from '../../../shared/evtx/binxml/value-types';

/** FILETIME → ISO through Date for the second and BigInt for the 100 ns fraction. */
function viaDate(lo: number, hi: number): string {
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  const unix100ns = ticks - 116444736000000000n;
  const secs = unix100ns >= 0n ? unix100ns / 10000000n : -((-unix100ns + 9999999n) / 10000000n);
  const frac = unix100ns - secs * 10000000n;
  const iso = new Date(Number(secs) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${frac.toString().padStart(7, '0')}Z`;
}

const split = (ticks: bigint): [number, number] => [Number(ticks & 0xffffffffn), Number(ticks >> 32n)];

describe('filetimeIso', () => {
  it('matches Date for random FILETIMEs across 1601-9999', () => {
    const max = 2650467743999999999n; // 9999-12-31T23:59:59.9999999Z
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max }), (t) => {
        const [lo, hi] = split(t);
        expect(filetimeIso(lo, hi)).toBe(viaDate(lo, hi));
      }),
      { numRuns: 20000 },
    );
  });

  it('matches Date around midnights, month ends and leap days, alternating days (the day cache)', () => {
    const days = ['2016-02-29', '2019-12-31', '2020-01-01', '2000-02-29', '1969-12-31', '1970-01-01', '1601-01-01', '2100-03-01'];
    for (let round = 0; round < 3; round++) {
      for (const d of days) {
        const ms = Date.parse(`${d}T00:00:00Z`);
        for (const deltaTicks of [0n, 1n, -1n, 9999999n, 10000000n, 864000000000n - 1n]) {
          const t = (BigInt(ms) * 10000n + 116444736000000000n) + deltaTicks;
          if (t < 0n) continue;
          const [lo, hi] = split(t);
          expect(filetimeIso(lo, hi)).toBe(viaDate(lo, hi));
        }
      }
    }
  });

  it('hands FILETIMEs past 2^61 ticks (year 8907 on) to the BigInt reference, as before', () => {
    fc.assert(
      fc.property(fc.nat(0xffffffff), fc.integer({ min: 0x20000000, max: 0xffffffff }), (lo, hi) => {
        expect(filetimeIso(lo, hi)).toBe(filetimeToIso(lo, hi));
      }),
      { numRuns: 5000 },
    );
  });

  it('is what the reader gives for a FILETIME value', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, 132000000001234567n, true);
    expect(scalarText(b, 0, 8, VT.FileTime)).toBe(viaDate(...split(132000000001234567n)));
  });
});

describe('hex formatting', () => {
  it('HEX2 is the upper-case two-digit hex of every byte', () => {
    for (let b = 0; b < 256; b++) expect(HEX2[b]).toBe(b.toString(16).padStart(2, '0').toUpperCase());
  });

  it('formats GUIDs in Windows order from random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (g) => {
        const h = (i: number, n: number) => Array.from(g.subarray(i, i + n), (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
        const rev = (i: number, n: number) => Array.from(g.subarray(i, i + n)).reverse().map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
        expect(scalarText(g, 0, 16, VT.Guid)).toBe(`{${rev(0, 4)}-${rev(4, 2)}-${rev(6, 2)}-${h(8, 2)}-${h(10, 6)}}`);
        expect(hexUpper(g, 3, 9, 'test')).toBe(h(3, 9));
      }),
      { numRuns: 500 },
    );
  });
});

describe('utf16 / utf16z', () => {
  const encode = (s: string, shift: number): Uint8Array => {
    const b = new Uint8Array(shift + 2 * s.length + 2);
    for (let i = 0; i < s.length; i++) {
      b[shift + 2 * i] = s.charCodeAt(i) & 0xff;
      b[shift + 2 * i + 1] = s.charCodeAt(i) >> 8;
    }
    return b;
  };
  const td = new TextDecoder('utf-16le', { ignoreBOM: true });

  it('decodes well-formed text of any length, at even and odd offsets, like TextDecoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.nat(3), (s, shift) => {
        const b = encode(s, shift);
        expect(utf16(b, shift, s.length, 'test')).toBe(td.decode(b.subarray(shift, shift + 2 * s.length)));
        expect(utf16(b, shift, s.length, 'test')).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a lone surrogate as one code unit in short strings and replaces it in long ones (TextDecoder)', () => {
    const short = 'ab\ud800c\udc00d';
    expect(utf16(encode(short, 1), 1, short.length, 'test')).toBe(short);
    const long = 'x'.repeat(60) + '\ud800' + 'y';
    expect(utf16(encode(long, 0), 0, long.length, 'test')).toBe(td.decode(encode(long, 0).subarray(0, 2 * long.length)));
    expect(utf16(encode(long, 0), 0, long.length, 'test')).toContain('\ufffd');
  });

  it('keeps a leading byte-order mark in long values, as in short ones', () => {
    for (const s of ['\ufeffshort', '\ufeff' + 'C:\\Users\\Public\\'.repeat(5) + 'x.exe']) {
      expect(utf16(encode(s, 0), 0, s.length, 'test')).toBe(s);
      expect(utf16z(encode(s, 1), 1, s.length, 'test')).toBe(s);
    }
  });

  it('utf16z gives each value its own text when recent values repeat and share a memo slot', () => {
    // same length and same characters at every position but the first few: the memo's hash
    // samples none of those, so these share a slot and only the full comparison tells them apart
    const tail = 'x'.repeat(40) + 'C:\\Windows\\System32\\svchost.exe';
    const pool = ['A', 'B', 'C'].map((c) => c + 'yz' + tail);
    pool.push('\ud800yz' + tail, 'Ayz' + tail.slice(0, -1) + 'E', 'short', 'Ayz' + tail.slice(0, -4), 'A' + tail.repeat(40), 'B' + tail.repeat(40));
    fc.assert(
      fc.property(fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 40 }), fc.nat(3), (picks, shift) => {
        for (const k of picks) {
          const b = encode(pool[k] + '\u0000junk', shift);
          expect(utf16z(b, shift, pool[k].length + 5, 'test')).toBe(utf16(b, shift, pool[k].length, 'test'));
        }
      }),
      { numRuns: 300 },
    );
    // a long value with a lone surrogate decodes to U+FFFD; the same text spelled with U+FFFD is that string too
    const lone = '\ud800' + tail;
    const replaced = '\ufffd' + tail;
    expect(utf16z(encode(lone, 0), 0, lone.length, 'test')).toBe(replaced);
    expect(utf16z(encode(replaced, 0), 0, replaced.length, 'test')).toBe(replaced);
    expect(utf16z(encode(lone, 0), 0, lone.length, 'test')).toBe(replaced);
  });

  it('stops at the first NUL code unit (utf16z) and reads nothing past the buffer', () => {
    const b = encode('abc\u0000def', 0);
    expect(utf16z(b, 0, 7, 'test')).toBe('abc');
    expect(utf16z(b, 0, 0, 'test')).toBe('');
    expect(utf16(b, 0, 0, 'test')).toBe('');
    expect(() => utf16(b, 2, b.length, 'test')).toThrow(ByteDecodeError);
  });
});
