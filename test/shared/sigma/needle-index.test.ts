// The one-pass needle search must report exactly the needles String.includes would.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NeedleIndex } from '../../../shared/sigma/needle-index';

function present(needles: string[], value: string): string[] {
  const ni = new NeedleIndex<string>();
  for (const n of needles) ni.add(n, n);
  const out: string[] = [];
  ni.find(value, (items) => out.push(...items));
  return [...new Set(out)].sort();
}

describe('NeedleIndex', () => {
  it('finds overlapping needles, needles at the ends, and each needle once', () => {
    expect(present(['abc', 'bcd', 'cde', 'xyz', 'abcd'], 'abcde abc')).toEqual(['abc', 'abcd', 'bcd', 'cde']);
    expect(present(['end'], 'the end')).toEqual(['end']);
    expect(present(['abc'], 'ab')).toEqual([]);
  });

  it('refuses needles shorter than three units', () => {
    expect(() => new NeedleIndex<string>().add('ab', 'ab')).toThrow(RangeError);
  });

  it('agrees with includes on random strings', () => {
    const alpha = fc.constantFrom('a', 'b', 'c', '\\', '-', '\u{1F600}');
    const str = (min: number, max: number) => fc.array(alpha, { minLength: min, maxLength: max }).map((a) => a.join(''));
    fc.assert(fc.property(fc.array(str(3, 6), { minLength: 1, maxLength: 12 }), str(0, 40), (needles, value) => {
      const ok = needles.filter((n) => n.length >= 3);
      expect(present(ok, value)).toEqual([...new Set(ok.filter((n) => value.includes(n)))].sort());
    }), { numRuns: 300, seed: 7 });
  });
});
