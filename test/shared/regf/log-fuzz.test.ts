// Mutated transaction logs never throw out of the replay or the walk after it, and stay bounded
// in time and memory: byte flips, truncations, huge sizes (entry size, hive-bins size, page
// count, page offset and size; hashes recomputed so the mutation reaches the checks after them),
// sequence gaps. Bases: yarp's NewDirtyHive1 with both HvLE logs, OldDirtyHive's DIRT log,
// regipy's transactions_NTUSER.DAT with its LOG1. Seeded (fast-check), so a failure replays.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { PROBLEM_CODES } from '../../../shared/model/problems';
import { openHiveWithLogs, type LogInput } from '../../../shared/regf/apply-logs';
import { rehash } from './log-generated';

const load = (rel: string) => new Uint8Array(readFileSync(samplePath(rel)));
const CODES = new Set<string>(PROBLEM_CODES);

type Mutation =
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'cut'; at: number }
  | { kind: 'field'; entry: number; field: number; value: number }
  | { kind: 'gap'; entry: number; delta: number };

const FIELD_VALUES = [0, 1, 511, 512, 4096, 0x7fffffff, 0x80000000, 0xfffff000, 0xfffffe00, 0xffffffff];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  // 4 size, 16 hive bins size, 20 page count, 40 first page's offset, 44 its size
  fc.record({ kind: fc.constant('field' as const), entry: fc.nat(7), field: fc.constantFrom(4, 16, 20, 40, 44), value: fc.constantFrom(...FIELD_VALUES) }),
  fc.record({ kind: fc.constant('gap' as const), entry: fc.nat(7), delta: fc.constantFrom(1, 2, -1, 0x7fffffff) }),
);

/** Offsets of the HvLE entries as they lie in the log (before mutation). */
function entryOffsets(log: Uint8Array): number[] {
  const out: number[] = [];
  const dv = new DataView(log.buffer, log.byteOffset);
  for (let at = 512; at + 40 <= log.length;) {
    if (dv.getUint32(at, true) !== 0x454c7648) break;
    out.push(at);
    const size = dv.getUint32(at + 4, true);
    if (size < 512) break;
    at += size;
  }
  return out;
}

function mutate(log: Uint8Array, muts: Mutation[]): Uint8Array {
  let out = log.slice();
  const entries = entryOffsets(log);
  for (const m of muts) {
    const dv = new DataView(out.buffer);
    if (m.kind === 'flip' && out.length > 0) out[m.at % out.length] ^= m.bits;
    else if (m.kind === 'cut') out = out.slice(0, m.at % (out.length + 1));
    else if ((m.kind === 'field' || m.kind === 'gap') && entries.length > 0) {
      const at = entries[m.entry % entries.length];
      if (at + 48 > out.length) continue;
      if (m.kind === 'field') dv.setUint32(at + m.field, m.value, true);
      else dv.setUint32(at + 12, (dv.getUint32(at + 12, true) + m.delta) >>> 0, true);
      rehash(out, at);
    }
  }
  return out;
}

function replayBounded(primary: Uint8Array, logs: LogInput[]): void {
  const t0 = performance.now();
  const { opened, replay } = openHiveWithLogs(primary, logs, { file: 'fuzz' });
  if (opened.ok) {
    let n = 0;
    opened.hive.walk((k) => {
      n++;
      for (const v of opened.hive.values(k)) opened.hive.valueBytes(v);
    });
    expect(n).toBeGreaterThan(0);
    for (const p of opened.hive.problems) expect(CODES.has(p.code)).toBe(true);
  }
  const ms = performance.now() - t0;
  expect(ms).toBeLessThan(5000);
  const fed = primary.length + logs.reduce((s, l) => s + l.bytes.length, 0);
  if (replay.overlay) expect(replay.overlay.bytes.bins.length).toBeLessThanOrEqual(fed + 4096);
  for (const p of replay.problems) {
    expect(CODES.has(p.code)).toBe(true);
    expect(p.level).toBe('warning');
  }
}

describe.skipIf(!HAVE_SAMPLES)(`mutated transaction logs (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  const Y = 'msuhanov_yarp/hives_for_tests/';
  it('NewDirtyHive1 with both logs mutated: no throw, < 5 s, the overlay no larger than its inputs (400 runs)', () => {
    const primary = load(`${Y}NewDirtyHive1/NewDirtyHive`);
    const log1 = load(`${Y}NewDirtyHive1/NewDirtyHive.LOG1`);
    const log2 = load(`${Y}NewDirtyHive1/NewDirtyHive.LOG2`);
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(mutation, { maxLength: 3 }), (m1, m2) => {
      replayBounded(primary, [{ name: 'LOG1', bytes: mutate(log1, m1) }, { name: 'LOG2', bytes: mutate(log2, m2) }]);
    }), { numRuns: 400, seed: 1717 });
  });

  it('OldDirtyHive with its DIRT log mutated (flips, cuts): no throw, < 5 s (300 runs)', () => {
    const primary = load(`${Y}OldDirtyHive/OldDirtyHive`);
    const log = load(`${Y}OldDirtyHive/OldDirtyHive.LOG1`);
    const old = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(2048), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    );
    fc.assert(fc.property(fc.array(old, { minLength: 1, maxLength: 4 }), (m) => {
      const bytes = mutate(log, m);
      // a flip in the base block is caught by its checksum: also try it with the checksum made right
      const fixed = bytes.slice();
      if (fixed.length >= 512) {
        const dv = new DataView(fixed.buffer);
        let c = 0;
        for (let i = 0; i < 508; i += 4) c ^= dv.getUint32(i, true);
        dv.setUint32(508, c === 0 ? 1 : (c >>> 0) === 0xffffffff ? 0xfffffffe : c >>> 0, true);
      }
      replayBounded(primary, [{ name: 'LOG1', bytes }]);
      replayBounded(primary, [{ name: 'LOG1', bytes: fixed }]);
    }), { numRuns: 300, seed: 4242 });
  });

  it('transactions_NTUSER.DAT with its 1.1 MB LOG1 mutated: no throw, < 5 s (40 runs)', () => {
    const primary = load('mkorman90_regipy/transactions_NTUSER.DAT');
    const log = load('mkorman90_regipy/transactions_ntuser.dat.log1');
    fc.assert(fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (m) => {
      replayBounded(primary, [{ name: 'log1', bytes: mutate(log, m) }]);
    }), { numRuns: 40, seed: 99 });
  });
});
