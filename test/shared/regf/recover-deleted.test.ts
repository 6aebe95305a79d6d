// Deleted keys and values: yarp's hives with deleted data give what yarp's test_cases.py expects;
// a value freed in memory from a clean hive comes back with its name, data and key; mutated
// hives never throw and stay within time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, openHive } from '../../../shared/regf/hive';
import { type DeletedScan, recoverDeleted } from '../../../shared/regf/recover-deleted';

const Y = 'msuhanov_yarp/hives_for_tests/';

function open(bytes: Uint8Array, file = 'mem'): Hive {
  const r = openHive(bytes, { file });
  if (!r.ok) throw new Error(`not opened: ${r.problem.code}`);
  return r.hive;
}
const load = (f: string) => new Uint8Array(readFileSync(samplePath(f)));
const scan = (f: string): DeletedScan => recoverDeleted(open(load(Y + f), f), { file: f });
const text = (d?: Uint8Array) => (d ? Buffer.from(d).toString('utf16le') : undefined);

describe.skipIf(!HAVE_SAMPLES)(`deleted data in yarp's hives (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('DeletedDataHive: key 456 with its value v, and v2 attached to the live key 123 through its list slack', () => {
    const d = scan('DeletedDataHive');
    expect(d.keys.map((k) => [k.name, k.path, k.rooted, k.source])).toEqual([['456', '456', true, 'free']]);
    const byName = new Map(d.values.map((v) => [v.name, v]));
    expect(d.values).toHaveLength(2);
    expect(byName.get('v')).toMatchObject({ typeName: 'REG_SZ', dataState: 'free', key: { path: '456', deleted: true } });
    expect(text(byName.get('v')?.data)).toBe('123456\0');
    expect(byName.get('v2')).toMatchObject({ typeName: 'REG_SZ', dataState: 'free', key: { path: '123', deleted: false } });
    expect(text(byName.get('v2')?.data)).toBe('456\0');
  });

  for (const f of ['DeletedTreeHive', 'DeletedTreeNoRootFlagHive']) {
    it(`${f}: a deleted tree of 4 keys under the live 1\\2, full paths`, () => {
      const d = scan(f);
      expect(d.keys.map((k) => k.path).sort()).toEqual(['1\\2\\3', '1\\2\\3\\4', '1\\2\\3\\4\\5', '1\\2\\3\\4\\New Key #1']);
      expect(d.keys.every((k) => k.rooted)).toBe(true);
      expect(d.values).toHaveLength(0);
    });
  }

  it('DeletedTreePartialPathHive: the tree whose top names a garbage parent is unassociated with partial paths', () => {
    const d = scan('DeletedTreePartialPathHive');
    expect(d.keys.map((k) => k.path).sort()).toEqual(['3', '3\\4', '3\\4\\5', '3\\4\\New Key #1']);
    expect(d.keys.some((k) => k.rooted)).toBe(false);
  });

  it('HealedHive: key cccc cut out of its list but still allocated, with its value 123 = test', () => {
    const d = scan('HealedHive');
    expect(d.keys.map((k) => [k.name, k.source])).toEqual([['cccc', 'unreferenced']]);
    expect(d.values.map((v) => [v.name, v.typeName, text(v.data), v.key?.path])).toEqual([['123', 'REG_SZ', 'test\0', 'cccc']]);
  });

  it('RemnantsHive: one default REG_DWORD = 1 past the last hive bin', () => {
    const d = scan('RemnantsHive');
    expect(d.keys).toHaveLength(0);
    expect(d.values).toHaveLength(1);
    const v = d.values[0];
    expect([v.name, v.typeName, v.source, v.dataState, v.data && Buffer.from(v.data).readUInt32LE(0)]).toEqual(['', 'REG_DWORD', 'outside-bins', 'resident', 1]);
  });

  it('SqliteHive: deleted A1\\B1\\C\\D tree with its values, B2_ on the live B2, one unassociated value', () => {
    const d = scan('SqliteHive');
    expect(d.keys.map((k) => k.path).sort()).toEqual(['A1\\B1', 'A1\\B1\\C', 'A1\\B1\\C\\D']);
    const got = d.values.map((v) => [v.name, text(v.data), v.key?.path, v.key?.deleted]).sort();
    expect(got).toEqual([
      ['B1', 'BBB1\0', 'A1\\B1', true], ['B2_', 'BBB2_\0', 'A1\\B2', false], ['C1', 'CCC1\0', 'A1\\B1\\C', true],
      ['C2', 'CCC2\0', 'A1\\B1\\C', true], ['D', 'DDD\0', 'A1\\B1\\C\\D', true], ['Новый параметр #1', '\0', undefined, undefined],
    ]);
  });

  it('ReallocValueHive: deleted key 2, its default value 2222 unassociated; ReallocValueDataHive: the data overwritten, not invented', () => {
    const a = scan('ReallocValueHive');
    expect(a.keys.map((k) => k.path)).toEqual(['2']);
    expect(a.values.map((v) => [v.name, v.dataState, text(v.data), v.key])).toEqual([['', 'free', '2222\0', undefined]]);
    const b = scan('ReallocValueDataHive');
    expect(b.keys.map((k) => k.path)).toEqual(['2']);
    expect(b.values.map((v) => [v.name, v.dataState, v.data, v.key?.path])).toEqual([['', 'overwritten', undefined, '2']]);
  });

  it('DupNameHive: the deleted ccc and Новый раздел #1 beside live keys of the same name', () => {
    const d = scan('DupNameHive');
    expect(d.keys.map((k) => k.name).sort()).toEqual(['bbb', 'ccc', 'Новый раздел #1']);
  });

  it('a value freed in memory from a clean hive comes back deleted with its name, data and key path', () => {
    const bytes = load('mkorman90_regipy/NTUSER.DAT');
    const clean = open(bytes.slice());
    // a key whose last value has its data in a cell of its own
    let target: { path: string; name: string; data: string; cell: number; dataCell: number; nk: number; list: number; count: number } | undefined;
    for (const k of clean.keysUnder()) {
      const vs = clean.values(k);
      const last = vs[vs.length - 1];
      if (vs.length >= 2 && last && !last.inline && last.size > 8 && last.typeName === 'REG_SZ' && vs.length === k.node.valueCount) {
        target = { path: k.path, name: last.name, data: Buffer.from(clean.valueBytes(last)).toString('hex'), cell: last.cell, dataCell: last.dataOffset, nk: k.cell, list: k.node.valuesList, count: vs.length };
        break;
      }
    }
    if (!target) throw new Error('no key with two values in NTUSER.DAT');
    expect(recoverDeleted(clean, { file: 'clean' }).values.some((v) => v.cell === target.cell)).toBe(false);
    // what Windows does when a value is deleted: the count drops (the offset stays past it in
    // the list), the value's and its data's cells become free (size positive)
    const b = bytes.slice();
    const dv = new DataView(b.buffer, 4096);
    dv.setUint32(target.nk + 4 + 36, target.count - 1, true);
    for (const c of [target.cell, target.dataCell]) dv.setInt32(c, -dv.getInt32(c, true), true);
    const hive = open(b);
    const k = hive.key(target.path);
    expect(k && hive.values(k).map((v) => v.name)).not.toContain(target.name);
    const d = recoverDeleted(hive, { file: 'freed' });
    const got = d.values.find((v) => v.cell === target.cell);
    expect(got).toMatchObject({ name: target.name, source: 'free', dataState: 'free', key: { path: target.path, deleted: false, rooted: true } });
    expect(got && Buffer.from(got.data as Uint8Array).toString('hex')).toBe(target.data);
  });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe.skipIf(!HAVE_SAMPLES)('deleted-data scan of mutated hives', () => {
  it('never throws and stays within time and memory on flipped, truncated and overwritten hives (seed 17)', () => {
    const r = rng(17);
    const sources = ['DeletedDataHive', 'SqliteHive', 'DeletedTreeHive', 'HealedHive', 'BigDataHive'].map((f) => load(Y + f));
    sources.push(load('mkorman90_regipy/NTUSER.DAT'));
    const t0 = Date.now();
    let scanned = 0;
    for (let i = 0; i < 240; i++) {
      const src = sources[i % sources.length];
      let b = src.slice();
      const mode = i % 4;
      if (mode === 0) for (let j = 0; j < 64; j++) b[4096 + Math.floor(r() * (b.length - 4096))] ^= 1 << Math.floor(r() * 8);
      else if (mode === 1) b = b.slice(0, 4096 + Math.floor(r() * (b.length - 4096)));
      else if (mode === 2) {
        // huge counts, sizes and offsets written over random dwords of cells
        const dv = new DataView(b.buffer);
        for (let j = 0; j < 32; j++) dv.setUint32(4096 + (Math.floor(r() * (b.length - 4100)) & ~3), [0xffffffff, 0x7fffffff, 0x80000004, 0x10, 0][j % 5], true);
      } else {
        // every cell made free: the whole tree becomes "deleted"
        for (let p = 4096 + 32; p + 4 <= b.length; p += 8) if (b[p + 4] === 0x6e && b[p + 5] === 0x6b && p % 8 === 0) b[p + 3] &= 0x7f;
      }
      const o = openHive(b, { file: `m${i}` });
      if (!o.ok) continue;
      const t = Date.now();
      const heap = process.memoryUsage().heapUsed;
      const d = recoverDeleted(o.hive, { file: `m${i}` });
      expect(Date.now() - t).toBeLessThan(3000);
      // the scan's own memory: a bit per 8 bytes plus the records found, far below this bound
      expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 * 2 ** 20 + 16 * b.length);
      expect(d.keys.length + d.values.length).toBeLessThan(b.length / 8);
      scanned++;
    }
    expect(scanned).toBeGreaterThan(150);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 90_000);
});
