import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventKey, isEventKey, type EvidenceRef } from '../../../shared/model/raw-event';

const num = fc.oneof(fc.nat(), fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(0, 1, 10, 100));
const refArb: fc.Arbitrary<EvidenceRef> = fc.record(
  {
    file: fc.string({ minLength: 1, maxLength: 12 }),
    member: fc.string({ maxLength: 8 }),
    format: fc.constantFrom('evtx', 'xml', 'json', 'csv'),
    recordId: num,
    line: num,
    offset: num,
    index: num,
  },
  { requiredKeys: ['file', 'format'] },
) as fc.Arbitrary<EvidenceRef>;

describe('isEventKey', () => {
  it('is true for eventKey(ref) and false for any other key', () => {
    fc.assert(
      fc.property(refArb, refArb, fc.string({ maxLength: 3 }), (a, b, junk) => {
        const key = eventKey(a);
        expect(isEventKey(key, a)).toBe(true);
        expect(isEventKey(key + junk, a)).toBe(junk === '');
        expect(isEventKey(key.slice(0, -1), a)).toBe(false);
        expect(isEventKey(eventKey(b), a)).toBe(eventKey(b) === key);
      }),
      { numRuns: 3000 },
    );
  });
});
