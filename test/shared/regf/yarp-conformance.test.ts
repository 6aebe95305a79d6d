// yarp's conformance hives (../shared/samples/msuhanov_yarp, made by the author of the regf
// specification), asserted per file against what yarp's own test_cases.py says must come out of
// them. Where yarp raises on damage (a walk or parse exception) we read past it and report a
// problem instead; where yarp turns a lone surrogate into U+FFFD we keep the code unit as stored.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, openHive } from '../../../shared/regf/hive';
import { SIG, cellData, cellSignature } from '../../../shared/regf/cell';
import { VALUE_COMP_NAME, VALUE_TOMBSTONE } from '../../../shared/regf/key-value';
import { KEY_COMP_NAME } from '../../../shared/regf/key-node';

const Y = 'msuhanov_yarp/hives_for_tests/';

function open(f: string): Hive {
  const r = openHive(new Uint8Array(readFileSync(samplePath(Y + f))), { file: f });
  if (!r.ok) throw new Error(`${f}: ${r.problem.code}`);
  return r.hive;
}

function must<T>(x: T | undefined): T {
  expect(x).toBeDefined();
  return x as T;
}

const codes = (h: Hive) => h.problems.map((p) => p.code).sort();

describe.skipIf(!HAVE_SAMPLES)(`yarp's conformance hives (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('EmptyHive: a root without subkeys, its path empty, the base block written 2017-03-04 16:37:31, owner S-1-5-32-544', () => {
    const h = open('EmptyHive');
    const root = must(h.root());
    expect(root.path).toBe('');
    expect(root.name).not.toBe('');
    expect(h.subkeys(root)).toEqual([]);
    expect(h.baseBlock.lastWritten.slice(0, 19)).toBe('2017-03-04T16:37:31');
    expect(h.ownerSid(root)).toBe('S-1-5-32-544');
    expect(h.problems).toEqual([]);
  });

  it('BigDataHive: values of 16,345 and 81,725 bytes read whole from their db segments', () => {
    const h = open('BigDataHive');
    const k = must(h.key('key_with_bigdata'));
    expect(h.values(k).length).toBe(2);
    for (const [name, size, byte] of [['', 16345, 0x31], ['V', 81725, 0x32]] as const) {
      const v = must(h.value(k, name));
      const len = cellData(h, v.dataOffset, 'test');
      expect(cellSignature(h, v.dataOffset, len)).toBe(SIG.db);
      const bytes = h.valueBytes(v);
      expect(bytes.length).toBe(size);
      expect(bytes.every((b) => b === byte)).toBe(true);
    }
    expect(h.value(k, 'doesnt_exist')).toBeUndefined();
    expect(h.problems).toEqual([]);
  });

  it('ManySubkeysHive: 5,000 subkeys under an index root, found by path in any case, with or without a leading backslash', () => {
    const h = open('ManySubkeysHive');
    const k = must(h.key('key_with_many_subkeys'));
    expect(k.node.subkeyCount).toBe(5000);
    const len = cellData(h, k.node.subkeysList, 'test');
    expect(cellSignature(h, k.node.subkeysList, len)).toBe(SIG.ri);
    const subs = h.subkeys(k);
    expect(subs.length).toBe(5000);
    expect(new Set(subs.map((s) => Number(s.name)))).toEqual(new Set(Array.from({ length: 5000 }, (_, i) => i + 1)));
    for (const p of ['key_with_MAny_subkeys\\2119\\find_me', '\\key_with_maNY_sUBkeys\\2119\\Find_me', 'key_with_many_subkeys\\2119\\find_me']) {
      expect(h.key(p)?.path).toBe('key_with_many_subkeys\\2119\\find_me');
    }
    expect(h.key('key_with_many_subkeys\\3000')).toBeDefined();
    expect(h.key('key_with_many_subkeys\\3000\\doesnt_exist')).toBeUndefined();
    expect(h.key('key_with_many_subkeys\\doesnt_exist\\doesnt_exist')).toBeUndefined();
    expect(h.problems).toEqual([]);
  });

  it('GarbageHive: one hive bin of 4,096 bytes; the garbage after the declared size is no bin', () => {
    const h = open('GarbageHive');
    expect(h.baseBlock.hiveBinsDataSize).toBe(4096);
    expect(h.map.effectiveSize).toBe(4096);
    expect(h.map.bins.length).toBe(1);
    expect(codes(h)).toEqual(['BAD_CHECKSUM']);
  });

  it('EffectiveSizeHive: valid bins past a bad base block’s declared size are read (effective size 487,424)', () => {
    const h = open('EffectiveSizeHive');
    expect(h.baseBlock.hiveBinsDataSize).toBe(4096);
    expect(h.map.effectiveSize).toBe(487424);
    expect(h.subkeys(must(h.key('key_with_many_subkeys'))).length).toBe(5000);
    expect(codes(h)).toEqual(['BAD_CHECKSUM', 'BAD_HEADER']);
  });

  it('DuplicateSubkeysHive: a subkey listed twice is reported (yarp raises), the list still read', () => {
    const h = open('DuplicateSubkeysHive');
    const k = must(h.key('key_with_many_subkeys'));
    expect(h.subkeys(k).length).toBe(5000);
    expect(codes(h)).toEqual(['BAD_CELL']);
    expect(h.problems[0].offset).toBe(4096 + k.node.subkeysList);
  });

  it('UnicodeHive: Cyrillic names found case-insensitively; the root’s security descriptor is 144 bytes', () => {
    const h = open('UnicodeHive');
    expect(h.key('ПриВет\\КлюЧ')?.path).toBe('Привет\\Ключ');
    expect(h.key('\\ПриВет\\КлюЧ')?.path).toBe('Привет\\Ключ');
    expect(h.key('привет')?.path).toBe('Привет');
    expect(h.key('\\привеТ')?.path).toBe('Привет');
    const root = must(h.root());
    const sk = h.bins;
    const off = root.node.security + 4;
    expect(sk[off] | (sk[off + 1] << 8)).toBe(0x6b73);
    expect((sk[off + 16] | (sk[off + 17] << 8) | (sk[off + 18] << 16) | (sk[off + 19] << 24)) >>> 0).toBe(144);
  });

  it('ExtendedASCIIHive: a Latin-1 (compressed) key and value name, ëigenaardig, and its string', () => {
    const h = open('ExtendedASCIIHive');
    const k = must(h.key('ËIGENAARDIG'));
    expect(k.path).toBe('ëigenaardig');
    expect(k.node.flags & KEY_COMP_NAME).toBeGreaterThan(0);
    const v = must(h.value(k, 'ëigenaardig'));
    expect(v.flags & VALUE_COMP_NAME).toBeGreaterThan(0);
    expect(h.valueData(v)).toEqual({ kind: 'string', text: 'ëigenaardig', exact: true });
  });

  it('UpcaseHive and PairHive: subkeys in list order, ß and a surrogate pair as stored', () => {
    expect(open('UpcaseHive').subkeys(must(open('UpcaseHive').root())).map((k) => k.name)).toEqual(['ss1', 'SS3', 'ß2']);
    const pair = open('PairHive');
    expect(pair.subkeys(must(pair.root())).map((k) => k.name)).toEqual(['ss1', 'SS3', '\ud801\udc00']);
  });

  it('TruncatedPairHive(2): a name ending in half a surrogate pair keeps that code unit (yarp: U+FFFD) and is found by it', () => {
    const h1 = open('TruncatedPairHive');
    expect(h1.subkeys(must(h1.root())).map((k) => k.name)).toEqual(['ss1', 'SS3', '\ud801']);
    expect(h1.key('\ud801')?.name).toBe('\ud801');
    const h2 = open('TruncatedPairHive2');
    const names = h2.subkeys(must(h2.root())).map((k) => k.name);
    expect(names).toEqual(['key1', 'key2', 'key3', 'key\ud81d', 'key\ud83d']);
    for (const n of names) expect(h2.key(n)?.name).toBe(n);
  });

  it('InvalidParentHive, BadListHive, BadSubkeyHive: a subkey naming another parent is reported (yarp raises), the walk goes on', () => {
    const ip = open('InvalidParentHive');
    let keys = 0;
    ip.walk(() => void keys++);
    expect(keys).toBe(5003);
    expect(codes(ip)).toEqual(['BAD_CELL']);
    for (const f of ['BadListHive', 'BadSubkeyHive']) {
      const h = open(f);
      h.walk(() => undefined);
      expect(codes(h)).toEqual(['BAD_CELL', 'LOOP']);
    }
  });

  it('BogusKeyNamesHive: names with CR LF and NUL in them, found by those names', () => {
    const h = open('BogusKeyNamesHive');
    expect(h.subkeys(must(h.root())).map((k) => k.name).sort()).toEqual(['testnew\r\nne', 'testnu\x00l']);
    expect(h.key('testnew\r\nne')).toBeDefined();
    expect(h.key('testnu\x00l')).toBeDefined();
  });

  it('NewFlagsHive: a 32-bit key has user flags 1 in the new place, no virtualization flags', () => {
    const h = open('NewFlagsHive');
    expect([must(h.key('1')).node.userFlags, must(h.key('1')).node.virtualizationFlags]).toEqual([0, 0]);
    expect([must(h.key('1\\2')).node.userFlags, must(h.key('1\\2')).node.virtualizationFlags]).toEqual([1, 0]);
  });

  it('MultiSzHive and StringValuesHive: multi-strings and strings decoded, binary kept as bytes', () => {
    const m = open('MultiSzHive');
    const k = must(m.key('key'));
    expect(m.value(k, '')).toBeUndefined();
    expect(m.valueData(must(m.value(k, '1')))).toEqual({ kind: 'strings', items: [], exact: true });
    expect(m.valueData(must(m.value(k, '2')))).toEqual({ kind: 'strings', items: ['привет', 'как дела?'], exact: true });
    const s = open('StringValuesHive');
    const sk = must(s.key('kEy'));
    expect(s.valueData(must(s.value(sk, '')))).toEqual({ kind: 'string', text: 'test тест', exact: true });
    expect(s.valueData(must(s.value(sk, '1'))).kind).toBe('bytes');
    expect(Buffer.from(s.valueBytes(must(s.value(sk, '1')))).toString('latin1')).toBe('test');
    expect(s.valueData(must(s.value(sk, '2')))).toEqual({ kind: 'string', text: 'test тест', exact: true });
    expect(s.valueData(must(s.value(sk, '3')))).toEqual({ kind: 'string', text: 'test тест ', exact: true });
  });

  it('WrongOrderHive: lists out of order are reported once each (yarp raises), every subkey still read', () => {
    const h = open('WrongOrderHive');
    expect(h.subkeys(must(h.key('1'))).length).toBeGreaterThan(1);
    expect(h.subkeys(must(h.key('2'))).length).toBeGreaterThan(3);
    let keys = 0;
    h.walk(() => void keys++);
    expect(keys).toBe(11);
    expect(codes(h)).toEqual(['BAD_CELL', 'BAD_CELL']);
  });

  it('TruncatedNameHive: a key name past its cell is cut and reported (yarp raises)', () => {
    const h = open('TruncatedNameHive');
    expect(h.subkeys(must(h.root())).length).toBe(1);
    expect(codes(h)).toEqual(['TRUNCATED']);
  });

  it('TruncatedHive: only keys yarp expects come out of the bytes that are left, the missing rest reported', () => {
    const h = open('TruncatedHive');
    const names: string[] = [];
    h.walk((k) => void names.push(k.name));
    expect(names.length).toBeGreaterThan(1);
    for (const n of names) expect(['{6214ff27-7b1b-41a3-9ae4-5fb851ffed63}', 'key_with_many_subkeys'].includes(n) || Number(n) > 0).toBe(true);
    expect(codes(h)[0]).toBe('BAD_CELL');
    expect(codes(h)).toContain('TRUNCATED');
  });

  it('System_Delta: layered-key bits and a tombstone value as stored', () => {
    const h = open('System_Delta');
    expect(h.key('\\ControlSet001\\Services\\xboxgipsvc')?.node.layeredKeyBits).toBe(0x80 | 3); // InheritClass | IsSupersedeTree
    expect(h.key('\\ControlSet001\\Services\\xboxgipsvc\\a_subkey')?.node.layeredKeyBits).toBe(3);
    expect(h.key('\\ControlSet001\\Services\\XBOXGIP')?.node.layeredKeyBits).toBe(1); // IsTombstone
    const k = must(h.key('\\ControlSet001\\Services\\XboxNetApiSvc'));
    expect(must(h.value(k, 'displayname')).flags & VALUE_TOMBSTONE).toBeGreaterThan(0);
    expect(must(h.value(k, 'start')).flags & VALUE_TOMBSTONE).toBe(0);
  });

  it('NewDirtyHive1: access bits 2; a dirty hive read as it is says so (DIRTY_HEADER)', () => {
    const h = open('NewDirtyHive1/NewDirtyHive');
    expect(h.key('\\key2\\key2_2')?.node.accessBits).toBe(2);
    expect(codes(h)).toEqual(['DIRTY_HEADER']);
    expect(h.problems[0].level).toBe('warning');
  });

  it('BadBaseBlockHive: a bad base block checksum and its version 1.1 are reported, and the bins read anyway', () => {
    const h = open('BadBaseBlockHive/BadBaseBlockHive');
    // its base block says 1.1 (yarp: effective version 1, so it cannot find the key before recovery)
    expect(codes(h)).toEqual(['BAD_CHECKSUM', 'BAD_HEADER', 'DIRTY_HEADER']);
    expect(h.problems.find((p) => p.code === 'BAD_CHECKSUM')?.offset).toBe(508);
    expect(h.problems.find((p) => p.code === 'BAD_HEADER')?.offset).toBe(24);
    expect(h.key('key_with_many_subkeys')).toBeDefined();
  });

  it('TruncatedHiveBin: a lone hive bin is no hive (BAD_MAGIC error)', () => {
    const r = openHive(new Uint8Array(readFileSync(samplePath(Y + 'TruncatedHiveBin'))), { file: 'TruncatedHiveBin' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.problem.code, r.problem.level]).toEqual(['BAD_MAGIC', 'error']);
  });
});
