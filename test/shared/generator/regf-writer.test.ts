// The regf writer's hives read back by Debian's reglookup / reglookup-recover, libregf's regfexport
// and our own reader (shared/regf), each compared with the tree that was written: keys, values,
// types, data and key times. Trees are generated from seeds (NTUSER.DAT-, SOFTWARE- and SYSTEM-
// like); files for the external tools go to a temp folder and are removed after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Prng } from '../../../shared/generator/prng';
import { BIG_DATA_SEGMENT, type HiveValue } from '../../../shared/generator/regf-writer/key-value';
import { writeDirtyHive } from '../../../shared/generator/regf-writer/transaction-log';
import { type HiveKey, buildHive, writeHive } from '../../../shared/generator/regf-writer';
import { openHiveWithLogs } from '../../../shared/regf/apply-logs';
import { recoverDeleted } from '../../../shared/regf/recover-deleted';
import { type Hive, type RegKey, openHive } from '../../../shared/regf/hive';
import {
  HAVE_REGFEXPORT, HAVE_REGLOOKUP, diffRegfexport, diffSorted, ourRegfexportLines, ourReglookupLines, regfexportLines, reglookupLines,
} from '../regf/reference-readers';

const HAVE_RECOVER = existsSync('/usr/bin/reglookup-recover');
const OWNER = 'S-1-5-32-544';
const dir = mkdtempSync(join(tmpdir(), 'regf-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function save(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

// ---- seeded trees ----------------------------------------------------------------------------

/** An ISO time with 7 fractional digits, `prng`-chosen within a day after `base`. */
function timeAfter(prng: Prng, base: string): string {
  const ms = Date.parse(base) + prng.int(0, 86_400_000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(prng.int(0, 9_999_999)).padStart(7, '0')}Z`;
}

function randomBytes(prng: Prng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = prng.int(0, 255);
  return b;
}

function key(name: string, lastWrite: string, values: HiveValue[] = [], subkeys: HiveKey[] = [], extra: Partial<HiveKey> = {}): HiveKey {
  return { name, lastWrite, values, subkeys, ...extra };
}

/** A path of nested keys ending in `leaf`, all with time `t`. */
function chain(names: string[], t: string, leaf: HiveKey): HiveKey {
  return names.reduceRight<HiveKey>((child, n) => key(n, t, [], [child]), leaf);
}

function ntuserTree(seed: number, runValues?: HiveValue[], deleted?: HiveValue[]): HiveKey {
  const p = new Prng(seed);
  const t = () => timeAfter(p, '2024-03-01T08:00:00Z');
  const updater = `Upd${p.hex(6)}`;
  const run = key('Run', t(), runValues ?? [
    { name: 'OneDrive', type: 'REG_SZ', data: '"C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background' },
    { name: updater, type: 'REG_EXPAND_SZ', data: `%APPDATA%\\${updater}\\${updater}.exe -silent` },
    { name: 'Démarrage Ünïcode', type: 'REG_SZ', data: 'C:\\Programmes\\été\\app.exe' },
    { name: '', type: 'REG_SZ', data: '' },
  ], [], { deletedValues: deleted });
  const currentVersion = key('CurrentVersion', t(), [], [
    run,
    key('RunOnce', t(), [{ name: 'Cleanup', type: 'REG_SZ', data: 'cmd.exe /c del %TEMP%\\x.tmp' }]),
    key('Explorer', t(), [], [key('StartupApproved', t(), [], [key('Run', t(), [{ name: 'OneDrive', type: 'REG_BINARY', data: randomBytes(p, 12) }])])]),
  ]);
  return key('CMI-CreateHive{6A1C4018-979D-4291-A7DC-7AED1C75B67C}', t(), [], [
    key('Console', t(), [
      { name: 'FontSize', type: 'REG_DWORD', data: p.int(0, 0xffffffff) },
      { name: 'HistoryBufferSize', type: 'REG_DWORD_BIG_ENDIAN', data: 50 },
      { name: 'Quick', type: 'REG_QWORD', data: (BigInt(p.int(0, 0xffffffff)) << 32n) | BigInt(p.int(0, 0xffffffff)) },
    ]),
    key('Environment', t(), [
      { name: 'TEMP', type: 'REG_EXPAND_SZ', data: '%USERPROFILE%\\AppData\\Local\\Temp' },
      { name: 'Paths', type: 'REG_MULTI_SZ', data: ['C:\\Tools', 'D:\\bin', 'E:\\x'] },
      { name: 'Größe', type: 'REG_MULTI_SZ', data: ['ĀĒĪ', 'Ключ'] },
      { name: 'Big', type: 'REG_BINARY', data: randomBytes(p, 40_000 + p.int(0, 999)) },
      { name: 'Segment', type: 'REG_BINARY', data: randomBytes(p, BIG_DATA_SEGMENT) },
      { name: 'SegmentPlus1', type: 'REG_BINARY', data: randomBytes(p, BIG_DATA_SEGMENT + 1) },
      { name: 'Resident3', type: 'REG_BINARY', data: randomBytes(p, 3) },
      { name: 'Empty', type: 'REG_BINARY', data: new Uint8Array(0) },
    ]),
    key('Ключ реестра', t(), [{ name: 'Значение', type: 'REG_SZ', data: 'ascii data' }], [], { className: 'КлассName' }),
    chain(['Software', 'Microsoft', 'Windows'], t(), currentVersion),
  ]);
}

function softwareTree(seed: number, many = 2000): HiveKey {
  const p = new Prng(seed);
  const t = () => timeAfter(p, '2023-11-20T00:00:00Z');
  const stems = ['App', 'app', 'Zeta', '_x', 'Äpfel', 'élan', 'ZZ', 'a'];
  const classes: HiveKey[] = [];
  for (let i = 0; i < many; i++) classes.push(key(`${p.pick(stems)}${i.toString(36)}`, t(), i % 97 === 0 ? [{ name: '', type: 'REG_SZ', data: `Class ${i}` }] : []));
  const sid = `S-1-5-21-${p.int(1e8, 4e9)}-${p.int(1e8, 4e9)}-${p.int(1e8, 4e9)}-1001`;
  return key('ROOT', t(), [], [
    key('Classes', t(), [], classes),
    key('Microsoft', t(), [], [
      key('Windows', t(), [], [key('CurrentVersion', t(), [], [
        key('Run', t(), [
          { name: 'SecurityHealth', type: 'REG_EXPAND_SZ', data: '%windir%\\system32\\SecurityHealthSystray.exe' },
          { name: 'VMware User Process', type: 'REG_SZ', data: '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr' },
        ]),
      ])]),
      key('Windows NT', t(), [], [key('CurrentVersion', t(), [{ name: 'ProductName', type: 'REG_SZ', data: 'Windows 10 Pro' }], [
        key('ProfileList', t(), [], [key(sid, t(), [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: 'C:\\Users\\alice' }])]),
      ])]),
    ]),
  ]);
}

function systemTree(seed: number, computer: string): HiveKey {
  const p = new Prng(seed);
  const t = () => timeAfter(p, '2024-01-05T12:00:00Z');
  const cs = (n: string) => key(n, t(), [], [
    key('Control', t(), [], [
      key('ComputerName', t(), [], [
        key('ComputerName', t(), [{ name: 'ComputerName', type: 'REG_SZ', data: computer }]),
        key('ActiveComputerName', t(), [{ name: 'ComputerName', type: 'REG_SZ', data: computer }]),
      ]),
      key('Session Manager', t(), [{ name: 'BootExecute', type: 'REG_MULTI_SZ', data: ['autocheck autochk *'] }]),
    ]),
  ]);
  return key('ROOT', t(), [], [
    key('Select', t(), [
      { name: 'Current', type: 'REG_DWORD', data: 1 },
      { name: 'Default', type: 'REG_DWORD', data: 1 },
      { name: 'Failed', type: 'REG_DWORD', data: 0 },
      { name: 'LastKnownGood', type: 'REG_DWORD', data: 2 },
    ]),
    cs('ControlSet001'),
    cs('ControlSet002'),
  ]);
}

// ---- what each reader must show, derived from the tree ---------------------------------------

const hex = (b: Uint8Array | number[]): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf16 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf16le'));
const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) < 0x80);
const RL_TYPE: Record<string, string> = {
  REG_SZ: 'SZ', REG_EXPAND_SZ: 'EXPAND_SZ', REG_BINARY: 'BINARY', REG_DWORD: 'DWORD', REG_DWORD_BIG_ENDIAN: 'DWORD_BE', REG_MULTI_SZ: 'MULTI_SZ', REG_QWORD: 'QWORD',
};
const TYPE_NO: Record<string, number> = { REG_SZ: 1, REG_EXPAND_SZ: 2, REG_BINARY: 3, REG_DWORD: 4, REG_DWORD_BIG_ENDIAN: 5, REG_MULTI_SZ: 7, REG_QWORD: 11 };

/** The bytes Windows would store, written here independently of the writer. */
function expectedBytes(v: HiveValue): Uint8Array {
  const d = v.data;
  if (d instanceof Uint8Array) return d;
  if (typeof d === 'string') return utf16(`${d}\0`);
  if (Array.isArray(d)) return utf16(d.map((s) => `${s}\0`).join('') + '\0');
  const b = Buffer.alloc(v.type === 'REG_QWORD' ? 8 : 4);
  if (v.type === 'REG_QWORD') b.writeBigUInt64LE(BigInt(d as number | bigint));
  else if (v.type === 'REG_DWORD_BIG_ENDIAN') b.writeUInt32BE(Number(d));
  else b.writeUInt32LE(Number(d));
  return new Uint8Array(b);
}

/** reglookup's name: ASCII as is, anything else as the stored bytes (UTF-16LE: the writer compresses ASCII only). */
const rlName = (s: string): string => hex(isAscii(s) ? [...s].map((c) => c.charCodeAt(0)) : utf16(s));

function rlData(v: HiveValue): string {
  const b = expectedBytes(v);
  if (b.length === 0) return 'empty';
  const d = v.data;
  if (typeof d === 'string') return isAscii(d) ? `str:${rlName(d)}` : `raw:${hex(b)}`;
  if (Array.isArray(d)) return d.every(isAscii) ? `multi:${d.filter((s) => s !== '').map(rlName).join('|')}` : `raw:${hex(b)}`;
  if (typeof d === 'number' || typeof d === 'bigint') {
    const n = v.type === 'REG_DWORD_BIG_ENDIAN' ? Buffer.from(b).readUInt32BE() : v.type === 'REG_QWORD' ? Buffer.from(b).readBigUInt64LE() : Buffer.from(b).readUInt32LE();
    return `num:0x${n.toString(16).toUpperCase().padStart(v.type === 'REG_QWORD' ? 16 : 8, '0')}`;
  }
  return `bytes:${hex(b)}`;
}

/** The tree in the normalized form of reference-readers' reglookupLines (reglookup -H -s). */
function treeReglookupLines(tree: HiveKey): string[] {
  const lines: string[] = [];
  const walk = (k: HiveKey, comps: string[]) => {
    const p = comps.join('/');
    const t = typeof k.lastWrite === 'string' ? `${k.lastWrite.slice(0, 10)} ${k.lastWrite.slice(11, 19)}` : '';
    lines.push(`K ${p} ${t} ${OWNER} ${k.className ? rlName(k.className) : ''}`);
    for (const v of k.values ?? []) lines.push(`V ${p} ${rlName(v.name)} ${RL_TYPE[String(v.type)]} ${rlData(v)}`);
    for (const s of k.subkeys ?? []) walk(s, [...comps, rlName(s.name)]);
  };
  walk(tree, []);
  return lines.sort();
}

function countKeys(tree: HiveKey): number {
  return 1 + (tree.subkeys ?? []).reduce((n, s) => n + countKeys(s), 0);
}

function open(bytes: Uint8Array, file = 'gen.dat'): Hive {
  const r = openHive(bytes, { file });
  if (!r.ok) throw new Error(`openHive: ${r.problem.code}`);
  return r.hive;
}

/**
 * Our reader against the tree: every key found by path (through the lh hashes and list order),
 * its time to the 100 ns, its values in the order written with their type and exact bytes, its
 * subkeys and class name; and a full walk finds no key the tree lacks. Returns the keys checked.
 */
function checkOurReader(hive: Hive, tree: HiveKey): number {
  let checked = 0;
  const visit = (k: HiveKey, path: string) => {
    const found: RegKey | undefined = hive.key(path.toUpperCase());
    expect(found, `key '${path}'`).toBeDefined();
    if (!found) return;
    checked++;
    expect(found.name).toBe(k.name);
    expect(found.lastWritten).toBe(k.lastWrite);
    expect(hive.className(found)).toBe(k.className);
    expect(hive.ownerSid(found)).toBe(OWNER);
    const values = hive.values(found);
    expect(values.map((v) => v.name)).toEqual((k.values ?? []).map((v) => v.name));
    (k.values ?? []).forEach((v, i) => {
      expect(values[i].type, `${path}\\${v.name} type`).toBe(TYPE_NO[String(v.type)]);
      expect(hex(hive.valueBytes(values[i])), `${path}\\${v.name} data`).toBe(hex(expectedBytes(v)));
    });
    expect(hive.subkeys(found).map((s) => s.name).sort()).toEqual((k.subkeys ?? []).map((s) => s.name).sort());
    for (const s of k.subkeys ?? []) visit(s, path ? `${path}\\${s.name}` : s.name);
  };
  visit(tree, '');
  expect(hive.walk(() => undefined).keys).toBe(checked);
  expect(hive.problems.map((p) => p.code)).toEqual([]);
  return checked;
}

/** Equal line lists; on a difference, the first differing lines cut to 200 characters (big data lines are long). */
function expectSameLines(got: string[], want: string[]): void {
  const d = diffSorted(got, want);
  const cut = (ls: string[]) => ls.map((l) => l.slice(0, 200));
  expect({ onlyGot: cut(d.onlyA), onlyWanted: cut(d.onlyB), counts: [d.countA, d.countB] }).toEqual({ onlyGot: [], onlyWanted: [], counts: [0, 0] });
  expect(got.length).toBe(want.length);
}

const HEXDUMPED = (t: number) => ![1, 2, 4, 5, 6, 11].includes(t);

// ---- tests -----------------------------------------------------------------------------------

const TREES: [string, () => HiveKey][] = [
  ['NTUSER.DAT-like (Run values, Unicode names, big data, every value type)', () => ntuserTree(18)],
  ['SOFTWARE-like (2,000 subkeys under Classes)', () => softwareTree(18)],
  ['SYSTEM-like (Select\\Current, ComputerName)', () => systemTree(18, 'WS-ACCT-0042')],
];

describe('regf writer: hives read back', () => {
  for (const [label, make] of TREES) {
    it(`our reader reads the ${label} hive exactly as written`, () => {
      const tree = make();
      const t0 = performance.now();
      const bytes = writeHive(tree, { fileName: 'gen.dat', seed: 18 });
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(checkOurReader(open(bytes), tree)).toBe(countKeys(tree));
    });

    it.skipIf(!HAVE_REGLOOKUP)(`reglookup reads the ${label} hive with exactly its keys, values, types, data and key times`, () => {
      const tree = make();
      const run = reglookupLines(save(`rl-${label.slice(0, 6)}.dat`, writeHive(tree, { seed: 18 })));
      const want = treeReglookupLines(tree);
      expectSameLines(run.lines, want);
    });

    it.skipIf(!HAVE_REGFEXPORT)(`regfexport reads the ${label} hive as our reader does`, () => {
      const tree = make();
      const bytes = writeHive(tree, { seed: 18 });
      const theirs = regfexportLines(save(`rf-${label.slice(0, 6)}.dat`, bytes));
      const ours = ourRegfexportLines(open(bytes), HEXDUMPED);
      expect(theirs.filter((l) => l.startsWith('K ')).length).toBe(countKeys(tree));
      expect(diffRegfexport(ours, theirs)).toEqual({ onlyOurs: [], onlyTheirs: [] });
    });
  }

  if (!HAVE_REGLOOKUP) it.skip('reglookup is not installed (/usr/bin/reglookup): its read-back tests are skipped', () => undefined);
  if (!HAVE_REGFEXPORT) it.skip('regfexport is not installed (/usr/bin/regfexport): its read-back tests are skipped', () => undefined);

  it('splits 2,000 subkeys into an ri over lh leaves of 500, each found by its hash', () => {
    const tree = softwareTree(7);
    const bytes = writeHive(tree);
    const hive = open(bytes);
    const classes = hive.key('Classes');
    expect(classes).toBeDefined();
    if (!classes) return;
    const dv = new DataView(bytes.buffer);
    const list = 4096 + classes.node.subkeysList;
    expect(String.fromCharCode(bytes[list + 4], bytes[list + 5])).toBe('ri');
    expect(dv.getUint16(list + 6, true)).toBe(4);
    for (let i = 0; i < 4; i++) {
      const leaf = 4096 + dv.getUint32(list + 8 + i * 4, true);
      expect(String.fromCharCode(bytes[leaf + 4], bytes[leaf + 5])).toBe('lh');
      expect(dv.getUint16(leaf + 6, true)).toBe(500);
    }
    const names = (tree.subkeys ?? []).find((k) => k.name === 'Classes')?.subkeys?.map((k) => k.name) ?? [];
    expect(names.length).toBe(2000);
    // lookups go through the hashes and the order across leaves: a wrong hash or order misses
    for (const n of names) expect(hive.subkey(classes, n.toLowerCase())?.name).toBe(n);
    expect(hive.subkeys(classes).map((k) => k.name)).toEqual([...names].sort((a, b) => {
      const ua = a.toUpperCase();
      const ub = b.toUpperCase();
      return ua < ub ? -1 : ua > ub ? 1 : 0;
    }));
  });

  it('stores data over 16,344 bytes as big data (db) and exactly 16,344 bytes in one cell', () => {
    const tree = ntuserTree(3);
    const bytes = writeHive(tree);
    const hive = open(bytes);
    const env = hive.key('Environment');
    if (!env) throw new Error('no Environment key');
    const dataCellSig = (name: string) => {
      const v = hive.value(env, name);
      if (!v) throw new Error(name);
      const at = 4096 + new DataView(bytes.buffer).getUint32(v.offset + 4 + 8, true);
      return String.fromCharCode(bytes[at + 4], bytes[at + 5]);
    };
    expect(dataCellSig('Big')).toBe('db');
    expect(dataCellSig('SegmentPlus1')).toBe('db');
    expect(dataCellSig('Segment')).not.toBe('db');
    const big = hive.value(env, 'Big');
    expect(big && hive.valueBytes(big).length).toBeGreaterThan(40_000);
  });

  it.skipIf(!HAVE_REGLOOKUP || !HAVE_REGFEXPORT)('big data of every last-segment length reads back in full in reglookup and regfexport', () => {
    // both tools read a segment as at most its cell size less 8: a cell sized to the data alone cut 40,321 bytes to 40,320
    const sizes = [16345, 16346, 16348, 16349, 16351, 16352, 32688, 32689, 40321, 40500];
    const p = new Prng(5);
    const tree = key('ROOT', '2024-05-01T00:00:00.0000001Z', sizes.map((n) => ({ name: `v${n}`, type: 'REG_BINARY', data: randomBytes(p, n) })));
    const path = save('big-tails.dat', writeHive(tree));
    expectSameLines(reglookupLines(path).lines, treeReglookupLines(tree));
    const sizesSeen = regfexportLines(path).filter((l) => l.startsWith('V ')).map((l) => Number(l.split(' ')[4]));
    expect(sizesSeen.sort((a, b) => a - b)).toEqual(sizes);
  });

  it('writes the same bytes twice for a seed, and other bytes for another seed', () => {
    for (const make of [(s: number) => ntuserTree(s), (s: number) => softwareTree(s, 600), (s: number) => systemTree(s, 'HOST')]) {
      const a = writeHive(make(99), { seed: 99, fileName: 'x' });
      const b = writeHive(make(99), { seed: 99, fileName: 'x' });
      expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
      expect(Buffer.from(writeHive(make(100), { seed: 100, fileName: 'x' })).equals(Buffer.from(a))).toBe(false);
    }
  });

  it('keeps the base block valid: checksum, version 1.5, bins size, root cell, file name tail', () => {
    const bytes = writeHive(systemTree(5, 'H'), { fileName: '\\??\\C:\\Windows\\System32\\config\\SYSTEM' });
    const hive = open(bytes);
    const bb = hive.baseBlock;
    expect(bb.checksumOk).toBe(true);
    expect(bb.sequenceDirty).toBe(false);
    expect(hive.minorVersion).toBe(5);
    expect(bb.rootCellOffset).toBe(0x20);
    expect(4096 + bb.hiveBinsDataSize).toBe(bytes.length);
    expect(bytes.length % 4096).toBe(0);
    expect(Buffer.from(bytes.subarray(48, 48 + 62)).toString('utf16le')).toBe('\\C:\\Windows\\System32\\config\\SYSTEM'.slice(-31));
  });
});

describe('regf writer: a Run value removed after its write', () => {
  const EVIL_DATA = 'C:\\Users\\Public\\Libraries\\wuhelp.exe -k';
  const evil: HiveValue = { name: 'WinUpdateHelper', type: 'REG_SZ', data: EVIL_DATA };
  const tree = ntuserTree(41, [{ name: 'OneDrive', type: 'REG_SZ', data: 'C:\\OneDrive.exe /background' }], [evil]);
  const built = buildHive(tree, { seed: 41 });

  it('is not among the key\'s values, and its vk cell is free with its name and data intact', () => {
    const hive = open(built.bytes);
    const run = hive.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    if (!run) throw new Error('no Run key');
    expect(hive.values(run).map((v) => v.name)).toEqual(['OneDrive']);
    expect(hive.value(run, evil.name)).toBeUndefined();
    expect(built.deletedValues).toEqual([{ keyPath: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', name: evil.name, vkCell: built.deletedValues[0].vkCell }]);
    const at = 4096 + built.deletedValues[0].vkCell;
    const dv = new DataView(built.bytes.buffer);
    expect(dv.getInt32(at, true)).toBeGreaterThan(0); // free
    expect(String.fromCharCode(built.bytes[at + 4], built.bytes[at + 5])).toBe('vk');
    const dataAt = 4096 + dv.getUint32(at + 12, true);
    expect(dv.getInt32(dataAt, true)).toBeGreaterThan(0);
    expect(Buffer.from(built.bytes.subarray(dataAt + 4, dataAt + 4 + EVIL_DATA.length * 2)).toString('utf16le')).toBe(EVIL_DATA);
    expect(checkOurReader(hive, tree)).toBe(countKeys(tree));
  });

  it.skipIf(!HAVE_REGLOOKUP)('reglookup does not show it', () => {
    const run = reglookupLines(save('deleted-rl.dat', built.bytes));
    expectSameLines(run.lines, treeReglookupLines(tree));
    expect(run.lines.some((l) => l.includes(rlName(evil.name)))).toBe(false);
  });

  it.skipIf(!HAVE_RECOVER)('reglookup-recover finds it in unallocated cells, with its data, at its cell', () => {
    const r = spawnSync('reglookup-recover', [save('deleted-rr.dat', built.bytes)], { encoding: 'latin1' });
    const rows = r.stdout.split('\n').filter((l) => l.includes(',VALUE,')).map((l) => l.split(','));
    expect(rows.length).toBe(1);
    const [offset, , , , name, , , type, data, len] = rows[0];
    expect(parseInt(offset, 16)).toBe(4096 + built.deletedValues[0].vkCell);
    expect([name, type, data, parseInt(len, 10)]).toEqual([evil.name, 'SZ', EVIL_DATA, EVIL_DATA.length * 2 + 2]);
  });
  it('our reader recovers it from the free cells, with its data, under the Run key', () => {
    const scan = recoverDeleted(open(built.bytes), { file: 'gen.dat' });
    const found = scan.values.filter((v) => v.name === evil.name);
    expect(found).toHaveLength(1);
    const [v] = found;
    expect([v.cell, v.typeName, v.dataState]).toEqual([built.deletedValues[0].vkCell, 'REG_SZ', 'free']);
    expect(Buffer.from(v.data ?? new Uint8Array()).toString('utf16le').replace(/\0+$/, '')).toBe(EVIL_DATA);
    expect(scan.values.some((x) => x.name === 'OneDrive')).toBe(false); // the live value is never reported deleted
  });
  if (!HAVE_RECOVER) it.skip('reglookup-recover is not installed: its deleted-value test is skipped', () => undefined);
});

describe('regf writer: a dirty hive with an HvLE .LOG1', () => {
  const RUN = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
  const oldRun: HiveValue[] = [{ name: 'OneDrive', type: 'REG_SZ', data: 'C:\\OneDrive.exe /background' }];
  const midRun: HiveValue[] = [...oldRun, { name: 'Updater', type: 'REG_SZ', data: 'C:\\ProgramData\\upd\\upd.exe' }];
  const newRun: HiveValue[] = [{ name: 'OneDrive', type: 'REG_SZ', data: 'C:\\Users\\Public\\OneDrive.exe' }, midRun[1]];
  const states = [ntuserTree(77, oldRun), ntuserTree(77, midRun), ntuserTree(77, newRun)];
  const dirty = writeDirtyHive(states, { seed: 77, sequence: 40, fileName: 'NTUSER.DAT' });
  const log = [{ name: 'NTUSER.DAT.LOG1', bytes: dirty.log1 }];

  it('has a primary whose sequence numbers differ and which reads as the first state without its log', () => {
    const hive = open(dirty.primary, 'NTUSER.DAT');
    expect(hive.baseBlock.checksumOk).toBe(true);
    expect([hive.baseBlock.primarySequence, hive.baseBlock.secondarySequence]).toEqual([41, 40]);
    expect(hive.problems.map((p) => p.code)).toEqual(['DIRTY_HEADER']);
    const run = hive.key(RUN);
    if (!run) throw new Error('no Run');
    expect(hive.values(run).map((v) => v.name)).toEqual(['OneDrive']);
  });

  it('reads as the last state once our reader replays the log: 2 entries, hashes checked', () => {
    const { opened, replay } = openHiveWithLogs(dirty.primary, log, { file: 'NTUSER.DAT' });
    expect(replay.problems.map((p) => p.code)).toEqual([]);
    expect(replay.applied.map((a) => [a.format, a.entries, a.firstSequence, a.lastSequence])).toEqual([['new', 2, 41, 42]]);
    if (!opened.ok) throw new Error(opened.problem.code);
    const run = opened.hive.key(RUN);
    if (!run) throw new Error('no Run');
    expect(opened.hive.values(run).map((v) => [v.name, opened.hive.valueData(v)])).toEqual([
      ['OneDrive', { kind: 'string', text: 'C:\\Users\\Public\\OneDrive.exe', exact: true }],
      ['Updater', { kind: 'string', text: 'C:\\ProgramData\\upd\\upd.exe', exact: true }],
    ]);
    expect(ourReglookupLines(opened.hive)).toEqual(ourReglookupLines(open(dirty.replayed)));
    expect(checkOurReader(opened.hive, states[2])).toBe(countKeys(states[2]));
    // the log holds only the pages that changed, not the whole hive
    const pageBytes = dirty.entries.flat().reduce((n, p) => n + p.bytes.length, 0);
    expect(pageBytes).toBeLessThan(dirty.replayed.length * 2);
  });

  it('is not replayed when a page in the log is altered (Hash-1 no longer matches)', () => {
    const bad = dirty.log1.slice();
    bad[512 + 40 + dirty.entries[0].length * 8 + 100] ^= 0xff;
    const { opened, replay } = openHiveWithLogs(dirty.primary, [{ name: 'NTUSER.DAT.LOG1', bytes: bad }], { file: 'NTUSER.DAT' });
    expect(replay.applied).toEqual([]);
    if (!opened.ok) throw new Error(opened.problem.code);
    const run = opened.hive.key(RUN);
    expect(run && opened.hive.values(run).map((v) => v.name)).toEqual(['OneDrive']);
  });

  it.skipIf(!HAVE_REGLOOKUP)('reglookup (no log replay) shows the old values in the primary, the new ones in the replayed hive', () => {
    expectSameLines(reglookupLines(save('dirty.dat', dirty.primary)).lines, treeReglookupLines(states[0]));
    expectSameLines(reglookupLines(save('replayed.dat', dirty.replayed)).lines, treeReglookupLines(states[2]));
  });
});
