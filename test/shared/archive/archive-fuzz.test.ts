// Fuzzing the archive layer with the duplicate-member operators (./zip-builder) on generated
// evidence, so it runs without ../shared/samples (test/shared/evtx/hostile-input.test.ts applies the
// same operators to mutated chunks of a real Sysmon log). Two properties, seeds fixed:
// - an operator applied to any bytes gives exactly what the bytes alone give (never multiplied);
// - random byte damage anywhere in such a zip (directory, local headers, data) never throws, stays
//   fast, and never yields more events than the member holds.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateToMemory } from '../../../shared/generator/generate';
import { readBytes } from '../readers/read-helpers';
import { DUPLICATE_MEMBER_OPERATORS } from './zip-builder';

const SEED = 8123;
const SYSMON = [...generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 80, format: 'evtx' }).files].find(([n]) => n.endsWith('-Sysmon.evtx'))?.[1] as Uint8Array;
const NDJSON = generateToMemory({ scenario: 'mixed', seed: SEED, hosts: 1, events: 20, format: 'ndjson' }).files.get('events.ndjson') as Uint8Array;
const MEMBERS = [SYSMON, NDJSON.subarray(0, 200_000)];

const mutation = fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 0, maxLength: 24 });

describe('duplicate-member zips under fuzzing', () => {
  it('gives, for mutated evidence in a duplicate-member zip, exactly what the evidence alone gives', async () => {
    const deadline = Date.now() + 15_000;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: MEMBERS.length - 1 }), mutation, fc.integer({ min: 0, max: DUPLICATE_MEMBER_OPERATORS.length - 1 }), fc.integer({ min: 2, max: 60 }), async (m, muts, which, times) => {
        if (Date.now() > deadline) return;
        runs++;
        const b = new Uint8Array(MEMBERS[m]);
        for (const [at, v] of muts) b[Math.floor(at * b.length)] = v;
        const alone = await readBytes(b, 'x.bin');
        const { zip, refused } = DUPLICATE_MEMBER_OPERATORS[which].build(b, times);
        const t0 = Date.now();
        const r = await readBytes(zip, 'x.zip');
        expect(Date.now() - t0).toBeLessThan(5000);
        expect(r.events.length).toBe(alone.events.length);
        expect(r.problems.filter((p) => p.code === 'BAD_ARCHIVE').length).toBe(refused);
      }),
      { seed: 20261208, numRuns: 120 },
    );
    expect(runs).toBeGreaterThan(10);
  }, 60_000);

  it('survives byte damage anywhere in a duplicate-member zip without multiplying events', async () => {
    const deadline = Date.now() + 15_000;
    const bare = [(await readBytes(MEMBERS[0], 'a')).events.length, (await readBytes(MEMBERS[1], 'b')).events.length];
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: MEMBERS.length - 1 }), fc.integer({ min: 0, max: DUPLICATE_MEMBER_OPERATORS.length - 1 }), fc.integer({ min: 2, max: 60 }), mutation, fc.boolean(), async (m, which, times, muts, inTail) => {
        if (Date.now() > deadline) return;
        runs++;
        const { zip } = DUPLICATE_MEMBER_OPERATORS[which].build(MEMBERS[m], times);
        // half the runs aim at the central directory (the end of the file), where the entries are
        const from = inTail ? Math.max(0, zip.length - 46 * times - 200) : 0;
        for (const [at, v] of muts) zip[from + Math.floor(at * (zip.length - from))] = v;
        const t0 = Date.now();
        const r = await readBytes(zip, 'x.zip');
        expect(Date.now() - t0).toBeLessThan(5000);
        expect(r.events.length).toBeLessThanOrEqual(bare[m]);
        for (const p of r.problems) expect(p.file).toBe('x.zip');
      }),
      { seed: 777001, numRuns: 200 },
    );
    expect(runs).toBeGreaterThan(10);
  }, 60_000);
});
