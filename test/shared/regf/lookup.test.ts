// Lookups by path go through the subkey lists' lh hashes and lf hints: they read the key nodes on
// the path (and hash collisions), not the tree. Shown by damaging every other subkey of the keys
// on the path: a lookup still finds its key and reports nothing, where a walk reports them all.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, type RegKey, openHive } from '../../../shared/regf/hive';
import { SIG, forEachCell } from '../../../shared/regf/cell';
import { primaryHiveBytes, withPages } from '../../../shared/regf/hive-bytes';

const BIN = 4096;

function open(bytes: Uint8Array): Hive {
  const r = openHive(bytes, { file: 'lookup' });
  if (!r.ok) throw new Error(r.problem.code);
  return r.hive;
}

describe.skipIf(!HAVE_SAMPLES)(`regf lookups (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it.each([
    ['mkorman90_regipy/NTUSER.DAT', 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', SIG.lf],
    ['mkorman90_regipy/NTUSER_with_winscp.DAT', 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', SIG.lh],
  ])('%s: finds %s without reading the keys beside the path (lists: %s)', (rel, path, listSig) => {
    const bytes = new Uint8Array(readFileSync(samplePath(rel)));
    const h0 = open(bytes);
    // every subkey of every key on the path, except the next key on the path, loses its signature
    const parts = path.split('\\');
    let k = h0.root() as RegKey;
    let damaged = 0;
    let sawList = false;
    for (const part of parts) {
      if (bytes[BIN + k.node.subkeysList + 4] === (listSig & 0xff) && bytes[BIN + k.node.subkeysList + 5] === listSig >> 8) sawList = true;
      const next = h0.subkey(k, part) as RegKey;
      for (const s of h0.subkeys(k)) {
        if (s.cell === next.cell) continue;
        bytes[BIN + s.cell + 4] = 0x78; // 'nk' -> 'xk'
        damaged++;
      }
      k = next;
    }
    expect(sawList).toBe(true);
    expect(damaged).toBeGreaterThan(20);
    const h = open(bytes);
    const run = h.key(path.toLowerCase());
    expect(run?.path).toBe(path);
    expect(h.values(run as RegKey).length).toBeGreaterThan(0);
    expect(h.problems.filter((p) => p.code !== 'DIRTY_HEADER')).toEqual([]);
    // a walk reads them and says so
    h.walk(() => undefined);
    expect(h.problems.filter((p) => p.code === 'BAD_CELL').length).toBeGreaterThanOrEqual(damaged);
  });

  it('reports nothing on the real hives but the dirty ones’ sequence numbers', () => {
    for (const rel of ['mkorman90_regipy/NTUSER.DAT', 'mkorman90_regipy/SYSTEM_B', 'mkorman90_regipy/NTUSER_with_winscp.DAT', 'mkorman90_regipy/transactions_NTUSER.DAT', 'mkorman90_regipy/UsrClass.dat', 'mkorman90_regipy/ntuser_software_partial', 'log2timeline_dfwinreg/NTUSER.DAT']) {
      const h = open(new Uint8Array(readFileSync(samplePath(rel))));
      h.walk((k) => {
        for (const v of h.values(k)) h.valueData(v);
        h.className(k);
        h.ownerSid(k);
      });
      expect(h.problems.filter((p) => p.code !== 'DIRTY_HEADER')).toEqual([]);
    }
  }, 60_000);
});

describe.skipIf(!HAVE_SAMPLES)(`regf hooks for log replay and recovery (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('frames every cell of a clean hive, the live key nodes among its allocated ones', () => {
    const h = open(new Uint8Array(readFileSync(samplePath('mkorman90_regipy/NTUSER.DAT'))));
    let nk = 0;
    let free = 0;
    const bad = forEachCell(h, (off, _size, allocated) => {
      if (!allocated) free++;
      else if (h.bins[off + 4] === 0x6e && h.bins[off + 5] === 0x6b) nk++;
    });
    expect(bad).toBe(0);
    expect(nk).toBeGreaterThanOrEqual(1812);
    expect(free).toBeGreaterThan(0);
  });

  it('reads a hive through a page overlay instead of its own bins, the file untouched', () => {
    const file = new Uint8Array(readFileSync(samplePath('mkorman90_regipy/NTUSER.DAT')));
    const copy = new Uint8Array(file);
    const h0 = open(file);
    const run = h0.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run') as RegKey;
    const v = h0.value(run, 'Sidebar');
    if (!v) throw new Error('no Sidebar');
    // a page that rewrites the value's first character: 'S' -> 'X'
    const page = new Uint8Array(file.subarray(4096 + (v.cell & ~511), 4096 + (v.cell & ~511) + 512));
    page[(v.cell % 512) + 4 + 20] = 0x58;
    const bytes = withPages(primaryHiveBytes(file), [{ offset: v.cell & ~511, bytes: page }], h0.baseBlock.hiveBinsDataSize);
    const r = openHive(file, { file: 'overlay', overlay: { bytes, baseBlock: h0.baseBlock } });
    if (!r.ok) throw new Error(r.problem.code);
    expect(r.hive.values(r.hive.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run') as RegKey).map((x) => x.name)).toEqual(['Xidebar']);
    expect(file).toEqual(copy);
  });
});
