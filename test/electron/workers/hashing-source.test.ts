import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hashingSource } from '../../../electron/workers/run-job';
import { bytesSource } from '../../../shared/readers/types';

describe('hashing while reading', () => {
  it('gives the SHA-256 of the whole source whatever the order and overlap of the reads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 5000 }), fc.array(fc.tuple(fc.nat(6000), fc.nat(3000)), { maxLength: 20 }), async (bytes, reads) => {
        const hs = hashingSource(bytesSource(bytes));
        for (const [offset, length] of reads) await hs.read(offset, length);
        expect(await hs.finish()).toBe(createHash('sha256').update(bytes).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });
});
