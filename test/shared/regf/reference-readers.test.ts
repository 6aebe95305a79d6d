// Our keys and values against Debian's reglookup and libregf's regfexport on every hive in
// ../shared/samples/HIVES.md they read: equal line for line after normalization (see
// reference-readers.ts for the systematic differences taken out, and why). Dirty hives are
// compared as they are: neither tool applies transaction logs, nor do we yet. Where a hive is
// damaged, the lines that differ are exactly the damage we report and read past.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, openHive } from '../../../shared/regf/hive';
import {
  HAVE_REGFEXPORT, HAVE_REGLOOKUP, diffRegfexport, diffSorted, ourRegfexportLines, ourReglookupLines, regfexportLines, reglookupLines,
} from './reference-readers';

const Y = 'msuhanov_yarp/hives_for_tests/';
const REAL = [
  'mkorman90_regipy/NTUSER.DAT', 'mkorman90_regipy/NTUSER_with_winscp.DAT', 'mkorman90_regipy/transactions_NTUSER.DAT',
  'mkorman90_regipy/UsrClass.dat', 'mkorman90_regipy/SYSTEM_B', 'mkorman90_regipy/ntuser_software_partial',
  'log2timeline_dfwinreg/NTUSER.DAT',
];
/** yarp's conformance hives that are not damaged where reglookup walks (deleted data, slack, dirty ones as they are). */
const YARP_CLEAN = [
  'BadBaseBlockHive/BadBaseBlockHive', 'BadLogHive1/BadLogHive', 'BadLogHive2/BadLogHive', 'BadLogHive3/BadLogHive', 'BigDataHive',
  'BogusKeyNamesHive', 'CompHive', 'DeletedDataHive', 'DeletedTreeHive', 'DeletedTreeNoRootFlagHive', 'DeletedTreePartialPathHive',
  'DupNameHive', 'DuplicateSubkeysHive', 'EffectiveSizeHive', 'EmptyHive', 'ExtendedASCIIHive', 'GarbageHive', 'HealedHive',
  'InvalidParentHive', 'ManySubkeysHive', 'MultiSzHive', 'NewDirtyHive1/NewDirtyHive', 'NewDirtyHive1/RecoveredHive_Windows10',
  'NewDirtyHive2/NewDirtyHive', 'NewFlagsHive', 'OffHive', 'OldDirtyHive/OldDirtyHive', 'OldDirtyHive/RecoveredHive_Windows7',
  'PairHive', 'ReallocValueDataHive', 'ReallocValueHive', 'RemnantData', 'RemnantsHive', 'SlackHive', 'SqliteHive',
  'StringValuesHive', 'System_Delta', 'TruncatedDirtyHive', 'TruncatedHive', 'TruncatedPairHive', 'TruncatedPairHive2',
  'TwoOwnersHive', 'UnicodeHive', 'UpcaseHive', 'ValuesOrderHive', 'WrongOrderHive',
].map((f) => Y + f);

function open(rel: string): Hive {
  const r = openHive(new Uint8Array(readFileSync(samplePath(rel))), { file: rel });
  if (!r.ok) throw new Error(`${rel}: ${r.problem.code}`);
  return r.hive;
}

const hexName = (s: string) => Buffer.from(s, 'latin1').toString('hex');

describe.skipIf(!HAVE_SAMPLES || !HAVE_REGLOOKUP)(`regf reader against reglookup (${!HAVE_SAMPLES ? NO_SAMPLES_REASON : HAVE_REGLOOKUP ? 'reglookup present' : 'reglookup not installed: apt-get install reglookup'})`, () => {
  it.each([...REAL, ...YARP_CLEAN])('%s: keys (time, owner SID, class name), values, types and data equal reglookup’s', (rel) => {
    const hive = open(rel);
    const ours = ourReglookupLines(hive);
    const theirs = reglookupLines(samplePath(rel));
    const d = diffSorted(ours, theirs.lines);
    expect({ onlyOurs: d.onlyA, onlyReglookup: d.onlyB }).toEqual({ onlyOurs: [], onlyReglookup: [] });
    expect(ours.length).toBe(theirs.lines.length);
  }, 60_000);

  it('gives regipy’s NTUSER.DAT 1,812 keys and 4,094 values and SYSTEM_B 33,123 and 74,957, as reglookup does', () => {
    for (const [rel, keys, values] of [['mkorman90_regipy/NTUSER.DAT', 1812, 4094], ['mkorman90_regipy/SYSTEM_B', 33123, 74957]] as const) {
      const lines = reglookupLines(samplePath(rel)).lines;
      expect(lines.filter((l) => l.startsWith('K ')).length).toBe(keys);
      expect(lines.filter((l) => l.startsWith('V ')).length).toBe(values);
      const hive = open(rel);
      let k = 0;
      let v = 0;
      hive.walk((key) => {
        k++;
        v += hive.values(key).length;
      });
      expect([k, v]).toEqual([keys, values]);
    }
  }, 60_000);

  it('reads a key node listed under two keys once, where reglookup prints it under both (BadListHive, BadSubkeyHive)', () => {
    for (const f of ['BadListHive', 'BadSubkeyHive']) {
      const hive = open(Y + f);
      const d = diffSorted(ourReglookupLines(hive), reglookupLines(samplePath(Y + f)).lines);
      expect(d.onlyA).toEqual([]);
      expect(d.onlyB).toEqual([`K ${hexName('3')}/${hexName('subkey')} 2017-03-09 12:05:29 S-1-5-32-544 `]);
      expect(hive.problems.map((p) => p.code).sort()).toEqual(['BAD_CELL', 'LOOP']);
    }
  });

  it('keeps a key whose name runs past its cell, cut, where reglookup drops it (TruncatedNameHive)', () => {
    const hive = open(Y + 'TruncatedNameHive');
    const d = diffSorted(ourReglookupLines(hive), reglookupLines(samplePath(Y + 'TruncatedNameHive')).lines);
    expect(d.onlyB).toEqual([]);
    expect(d.countA).toBe(1);
    expect(hive.problems.map((p) => p.code)).toEqual(['TRUNCATED']);
  });

  it('keeps a key whose values list is outside the hive bins, where reglookup drops it (DeletedDataHiveTruncated)', () => {
    const hive = open(Y + 'DeletedDataHiveTruncated');
    const d = diffSorted(ourReglookupLines(hive), reglookupLines(samplePath(Y + 'DeletedDataHiveTruncated')).lines);
    expect(d.onlyB).toEqual([]);
    expect(d.onlyA).toEqual([`K ${hexName('123')} 2017-03-20 21:15:44 S-1-5-32-544 `]);
    expect(hive.problems.map((p) => p.code)).toEqual(['BAD_CELL']);
  });

  it('reads the intact part of regipy’s corrupted SYSTEM hive, of which reglookup prints nothing', () => {
    const rel = 'mkorman90_regipy/corrupted_system_hive';
    expect(reglookupLines(samplePath(rel)).lines).toEqual([]);
    const hive = open(rel);
    let keys = 0;
    hive.walk(() => void keys++);
    expect(keys).toBeGreaterThan(1000);
    expect(hive.key('ControlSet001\\Control')).toBeDefined();
    const codes = new Set(hive.problems.map((p) => p.code));
    expect(codes.has('BAD_MAGIC')).toBe(true);
    for (const p of hive.problems) expect(p.offset).toBeGreaterThanOrEqual(0);
  }, 30_000);
});

describe.skipIf(!HAVE_SAMPLES || !HAVE_REGFEXPORT)(`regf reader against regfexport (${!HAVE_SAMPLES ? NO_SAMPLES_REASON : HAVE_REGFEXPORT ? 'regfexport present' : 'regfexport not installed: apt-get install libregf-utils'})`, () => {
  const HEXDUMPED = (t: number) => ![1, 2, 4, 5, 6, 11].includes(t);
  // regfexport writes its dump slowly (SYSTEM_B: 50 s on a loaded CI machine): the three largest
  // hives are compared with reglookup only
  const SMALL = REAL.filter((r) => !/SYSTEM_B|winscp|software_partial/.test(r));
  it.each([...SMALL, ...['BigDataHive', 'UnicodeHive', 'ExtendedASCIIHive', 'MultiSzHive', 'StringValuesHive', 'ManySubkeysHive', 'EmptyHive'].map((f) => Y + f)])(
    '%s: key paths, value names, types, sizes and data equal regfexport’s',
    (rel) => {
      const theirs = regfexportLines(samplePath(rel));
      const ours = ourRegfexportLines(open(rel), HEXDUMPED);
      expect(diffRegfexport(ours, theirs)).toEqual({ onlyOurs: [], onlyTheirs: [] });
      expect(ours.length).toBe(theirs.length);
    },
    60_000,
  );
});
