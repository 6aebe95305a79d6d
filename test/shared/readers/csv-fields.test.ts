// splitCsvFields (the indexOf field splitter) must read every RFC 4180 record exactly as papaparse
// does, and decline what RFC 4180 leaves open so papaparse still decides those.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { splitCsvFields } from '../../../shared/readers/csv-splitter';

const papa = (s: string, delimiter: string) => Papa.parse<string[]>(s, { delimiter, newline: '\n', header: false }).data[0];

function quote(v: string, delimiter: string, always: boolean): string {
  return always || v.includes('"') || v.includes(delimiter) || v.includes('\n') || v.includes('\r') ? `"${v.replace(/"/g, '""')}"` : v;
}

describe('splitCsvFields', () => {
  it('reads generated RFC 4180 records as papaparse does (seeded)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', ',', ';', '\t', '\n', '\r\n', '{', '\\', 'é', '𝄞'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';', '\t', '|'), fc.boolean(), (fields, d, always) => {
        const line = fields.map((f) => quote(f, d, always)).join(d);
        if (line === '') return; // an empty record is skipped before splitting
        expect(splitCsvFields(line, d)).toEqual(fields);
        expect(splitCsvFields(line, d)).toEqual(papa(line, d));
      }),
      { seed: 20240501, numRuns: 400 },
    );
  });

  it('reads an EvtxECmd Payload cell with its doubled quotes', () => {
    const payload = JSON.stringify({ EventData: { Data: [{ '@Name': 'CommandLine', '#text': '"C:\\x.exe" /c "a, b"' }] } });
    const line = `1,2,"${payload.replace(/"/g, '""')}"`;
    expect(splitCsvFields(line, ',')).toEqual(['1', '2', payload]);
  });

  it('keeps empty fields, a trailing delimiter and literal quotes inside unquoted fields like papaparse', () => {
    for (const line of ['a,,b', 'a,b,', ',', 'x"y,z', ' "q",r', '""']) expect(splitCsvFields(line, ','), line).toEqual(papa(line, ','));
  });

  it('declines text after a closing quote and an unterminated quote', () => {
    expect(splitCsvFields('"ab"cd,e', ',')).toBeUndefined();
    expect(splitCsvFields('a,"open', ',')).toBeUndefined();
  });
});
