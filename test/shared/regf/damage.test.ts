// Damaged hives made here from a real one (regipy's NTUSER.DAT, 1,812 keys and 4,094 values):
// each attack is generated in the test by patching a copy, never committed. What is intact is
// read; the rest is reported with its code and file offset; nothing throws, nothing hangs.
// The fuzz test at the end mutates real hives at random (seeded) for a bounded time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, type RegKey, openHive } from '../../../shared/regf/hive';
import { SIG } from '../../../shared/regf/cell';

const NTUSER = 'mkorman90_regipy/NTUSER.DAT';
const BIN = 4096;

function load(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(samplePath(rel)));
}

function open(bytes: Uint8Array): Hive {
  const r = openHive(bytes, { file: 'attack' });
  if (!r.ok) throw new Error(r.problem.code);
  return r.hive;
}

/** Keys, values and every value's data: everything a reader of the hive would touch. */
function readAll(h: Hive): { keys: number; values: number } {
  let keys = 0;
  let values = 0;
  h.walk((k) => {
    keys++;
    for (const v of h.values(k)) {
      values++;
      h.valueData(v);
      h.className(k);
      h.ownerSid(k);
    }
  });
  return { keys, values };
}

const put32 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(off, v >>> 0, true);
const put16 = (b: Uint8Array, off: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint16(off, v, true);
const sig = (b: Uint8Array, cell: number) => b[BIN + cell + 4] | (b[BIN + cell + 5] << 8);
const codes = (h: Hive) => new Set(h.problems.map((p) => p.code));

/** The first key (depth first) whose subkey list is a leaf (lf / lh / li) with at least `n` entries. */
function keyWithLeaf(h: Hive, bytes: Uint8Array, n: number): RegKey {
  let found: RegKey | undefined;
  h.walk((k) => {
    if (!found && k.node.subkeyCount >= n && ([SIG.lf, SIG.lh, SIG.li] as number[]).includes(sig(bytes, k.node.subkeysList))) found = k;
  });
  if (!found) throw new Error('no such key');
  return found;
}

describe.skipIf(!HAVE_SAMPLES)(`regf damage (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('ends a subkey list that points back at an ancestor (LOOP), reading every key once', () => {
    const bytes = load(NTUSER);
    const h0 = open(bytes);
    const k = keyWithLeaf(h0, bytes, 2);
    const root = h0.baseBlock.rootCellOffset;
    put32(bytes, BIN + k.node.subkeysList + 8, root); // first element -> the root
    const h = open(bytes);
    const t0 = performance.now();
    const r = readAll(h);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.keys).toBeLessThan(1812);
    expect(r.keys).toBeGreaterThan(1000);
    expect(codes(h).has('LOOP')).toBe(true);
    expect(h.problems.find((p) => p.code === 'LOOP')?.offset).toBe(BIN + root);
  });

  it('does not follow an index root that lists itself (LOOP) or another index root (BAD_CELL)', () => {
    const asRi = (bytes: Uint8Array, list: number, element: number) => {
      bytes[BIN + list + 4] = 0x72; // 'ri'
      bytes[BIN + list + 5] = 0x69;
      put16(bytes, BIN + list + 6, 1);
      put32(bytes, BIN + list + 8, element);
    };
    for (const [self, code] of [[true, 'LOOP'], [false, 'BAD_CELL']] as const) {
      const bytes = load(NTUSER);
      const h0 = open(bytes);
      const a = keyWithLeaf(h0, bytes, 2);
      const b = h0.subkeys(h0.root() as RegKey).find((k) => k.cell !== a.cell && k.node.subkeyCount > 0) as RegKey;
      asRi(bytes, a.node.subkeysList, self ? a.node.subkeysList : b.node.subkeysList);
      if (!self) asRi(bytes, b.node.subkeysList, a.node.subkeysList);
      const h = open(bytes);
      expect(h.subkeys(h.key(a.path) as RegKey)).toEqual([]);
      expect(h.problems.find((p) => p.code === code)?.offset).toBe(BIN + (self ? a.node.subkeysList : b.node.subkeysList));
      readAll(h);
    }
  });

  it('reads counts that claim more than the file holds only as far as their cells go (TRUNCATED)', () => {
    const bytes = load(NTUSER);
    const h0 = open(bytes);
    const k = keyWithLeaf(h0, bytes, 2);
    const nk = BIN + k.cell + 4;
    put32(bytes, nk + 20, 0xffffffff); // subkey count
    put32(bytes, nk + 36, 0x7fffffff); // value count
    put16(bytes, BIN + k.node.subkeysList + 6, 0xffff); // leaf element count
    const h = open(bytes);
    const t0 = performance.now();
    const r = readAll(h);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(r.keys).toBeGreaterThan(1000);
    expect(codes(h).has('TRUNCATED')).toBe(true);
    expect(codes(h).has('BAD_CELL')).toBe(true);
  });

  it('skips a hive bin with a bad signature (BAD_MAGIC at its offset) and reads the bins after it', () => {
    const bytes = load(NTUSER);
    const h0 = open(bytes);
    const bad = h0.map.bins[3];
    bytes[BIN + bad.offset] = 0x58;
    const h = open(bytes);
    const r = readAll(h);
    const p = h.problems.find((x) => x.code === 'BAD_MAGIC');
    expect(p?.offset).toBe(BIN + bad.offset);
    expect(h.map.bins.length).toBe(h0.map.bins.length - 1);
    expect(r.keys).toBeGreaterThan(1000);
    expect(codes(h).has('BAD_CELL')).toBe(true);
  });

  it('reports a referenced cell marked free (BAD_CELL) and reads its siblings', () => {
    const bytes = load(NTUSER);
    const h0 = open(bytes);
    const k = h0.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run') as RegKey;
    const size = new DataView(bytes.buffer).getInt32(BIN + k.cell, true);
    put32(bytes, BIN + k.cell, -size);
    const h = open(bytes);
    expect(h.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run')).toBeUndefined();
    expect(h.key('Software\\Microsoft\\Windows\\CurrentVersion\\Explorer')).toBeDefined();
    const p = h.problems.find((x) => x.code === 'BAD_CELL');
    expect(p?.offset).toBe(BIN + k.cell);
    expect(readAll(h).keys).toBe(1811);
  });

  it('reads the first half of a truncated hive and reports the rest missing (TRUNCATED)', () => {
    const full = load(NTUSER);
    const h = open(full.subarray(0, 4096 + 256 * 1024));
    const r = readAll(h);
    expect(r.keys).toBeGreaterThan(10);
    expect(r.keys).toBeLessThan(1812);
    const t = h.problems.find((x) => x.code === 'TRUNCATED');
    expect(t?.offset).toBe(4096 + 256 * 1024);
  });

  it('cuts big data whose segment is gone, keeping the intact start (BigDataHive)', () => {
    const bytes = load('msuhanov_yarp/hives_for_tests/BigDataHive');
    const h0 = open(bytes);
    const k = h0.key('key_with_bigdata') as RegKey;
    const v = h0.value(k, 'V');
    if (!v) throw new Error('no V');
    const db = BIN + v.dataOffset + 4;
    const list = new DataView(bytes.buffer).getUint32(db + 4, true);
    put32(bytes, BIN + list + 4 + 4 * 2, 0xfffffff8); // third segment -> nowhere
    const h = open(bytes);
    const b = h.valueBytes(h.value(h.key('key_with_bigdata') as RegKey, 'V') as typeof v);
    expect(b.length).toBe(2 * 16344);
    expect(b.every((x) => x === 0x32)).toBe(true);
    expect(codes(h).has('BAD_CELL')).toBe(true);
  });

  it('refuses what is no hive: no signature (BAD_MAGIC), too short (TRUNCATED), no readable root (BAD_CELL)', () => {
    const cases: [Uint8Array, string][] = [
      [new TextEncoder().encode('ElfFile\0 not a hive at all'), 'BAD_MAGIC'],
      [new TextEncoder().encode('regf and nothing else'), 'TRUNCATED'],
    ];
    const noRoot = load(NTUSER);
    put32(noRoot, 36, 0x7ffffff8);
    cases.push([noRoot, 'BAD_CELL']);
    for (const [bytes, code] of cases) {
      const r = openHive(bytes, { file: 'x' });
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.problem.code, r.problem.level]).toEqual([code, 'error']);
    }
  });

  it('survives random damage to real hives: no exception, bounded time and memory (fuzz, seeded)', () => {
    const seeds = [NTUSER, 'msuhanov_yarp/hives_for_tests/ManySubkeysHive', 'msuhanov_yarp/hives_for_tests/BigDataHive', 'mkorman90_regipy/UsrClass.dat'].map(load);
    let state = 0x2545f491;
    const rnd = (n: number) => {
      // xorshift32: the same mutations on every run
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const heap0 = process.memoryUsage().heapUsed;
    const until = performance.now() + 8_000;
    let runs = 0;
    let slowest = 0;
    let problems = 0;
    while (performance.now() < until || runs < 20) {
      const src = seeds[rnd(seeds.length)];
      let bytes = new Uint8Array(src);
      const kind = rnd(4);
      if (kind === 0) {
        // byte flips anywhere past the signature
        for (let i = 0, n = 1 + rnd(64); i < n; i++) bytes[4 + rnd(bytes.length - 4)] ^= 1 << rnd(8);
      } else if (kind === 1) {
        bytes = bytes.subarray(0, 512 + rnd(bytes.length - 512));
      } else if (kind === 2) {
        // 32-bit words set to large counts or to offsets of other cells (lists that loop)
        for (let i = 0, n = 1 + rnd(32); i < n; i++) put32(bytes, BIN + (rnd(bytes.length - BIN - 4) & ~3), [0xffffffff, 0x7fffffff, 0x20, rnd(bytes.length - BIN) & ~7][rnd(4)]);
      } else {
        // cell sizes flipped between allocated and free, or made huge
        for (let i = 0, n = 1 + rnd(16); i < n; i++) {
          const off = BIN + (rnd(bytes.length - BIN - 4) & ~7);
          put32(bytes, off, rnd(2) ? -(8 + 8 * rnd(1 << 20)) : 8 * rnd(1 << 20));
        }
      }
      const t0 = performance.now();
      const r = openHive(bytes, { file: 'fuzz' });
      if (r.ok) {
        readAll(r.hive);
        problems += r.hive.problems.length;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      runs++;
    }
    expect(runs).toBeGreaterThanOrEqual(20);
    expect(problems).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(512 * 1024 * 1024);
  }, 60_000);
});
