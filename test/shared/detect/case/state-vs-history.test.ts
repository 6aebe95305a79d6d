// Hive state merged with logged writes (case/state-vs-history through analyzeCase): a Sysmon 13
// Run write on host H paired with a generated NTUSER.DAT of H where the value is still set (one
// finding, "still set now"), absent ("removed since it was written"), holding other data ("data
// changed"), and a hive value no log wrote ("set with no logged write", key time against the logs'
// span). A Run value of c:\temp\x.exe read from a hive gets the same indicator reasons as the same
// value written in Sysmon 13.
import { describe, expect, it } from 'vitest';
import { writeHive, type HiveKey, type HiveValue } from '../../../../shared/generator/regf-writer';
import { openHive } from '../../../../shared/regf/hive';
import { readHiveState } from '../../../../shared/state/read-state';
import { stateCandidates } from '../../../../shared/state/state-candidates';
import { analyzeCase } from '../../../../shared/detect/analyze-case';
import { detectCandidate } from '../../../../shared/detect/detect-event';
import { emptyIndex, type Candidate } from '../../../../shared/detect/types';
import type { RegistryEvent } from '../../../../shared/model/events';
import type { Finding } from '../../../../shared/model/finding';

const SID = 'S-1-5-21-1111-2222-3333-1001';
const RUN = `HKU\\${SID}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`;

function ntuser(values: HiveValue[]): Uint8Array {
  const k = (name: string, subkeys: HiveKey[] = [], vals?: HiveValue[], lastWrite = '2024-01-01T00:00:00Z'): HiveKey => ({ name, lastWrite, subkeys, values: vals });
  return writeHive(k('ROOT', [k('Software', [k('Microsoft', [k('Windows', [k('CurrentVersion', [k('Run', [], values, '2024-03-05T10:20:30Z')])])])]), k('Control Panel')]), { seed: 9, fileName: '\\??\\C:\\Users\\bob\\ntuser.dat' });
}

function sysmon13(valueName: string, details: string, time = '2024-03-05T10:20:29.123Z'): Candidate {
  const ev: RegistryEvent = {
    kind: 'registry', source: 'sysmon', key: `evtx:sysmon:${valueName}:${time}`, ref: { file: 'Sysmon.evtx', format: 'evtx', recordId: 42 },
    eventId: 13, host: 'H.corp.local', time, timeMs: Date.parse(time), action: 'set-value', registryKey: RUN, valueName,
    targetObject: `${RUN}\\${valueName}`, originalPath: `${RUN}\\${valueName}`, details, process: { image: 'C:\\Windows\\System32\\reg.exe', pid: 4242 },
  };
  const c = detectCandidate(ev);
  if (!c) throw new Error('no candidate');
  return c;
}

function analyze(writes: Candidate[], hiveValues: HiveValue[] | undefined): Finding[] {
  const index = emptyIndex();
  index.hosts['H.corp.local'] = writes.length;
  if (!hiveValues) return analyzeCase({ candidates: writes, index });
  const r = openHive(ntuser(hiveValues), { file: 'H/C/Users/bob/NTUSER.DAT' });
  if (!r.ok) throw new Error(r.problem.code);
  const st = readHiveState(r.hive, 'H/C/Users/bob/NTUSER.DAT', { userRoot: `HKU\\${SID}` });
  const candidates = stateCandidates(st.entries.map((entry) => ({ entry, host: 'H.corp.local' })));
  return analyzeCase({ candidates: writes, index, state: { candidates, hives: [{ host: 'H.corp.local', kind: st.kind, sid: SID }] } });
}

const ids = (f: Finding) => f.reasons.map((r) => r.id).filter((id) => id.startsWith('state.'));
const EVIL = 'c:\\temp\\x.exe';

describe('state vs history', () => {
  it('a write whose value the hive still holds is one finding, "still set now", with the writer', () => {
    const f = analyze([sysmon13('Updater', EVIL)], [{ name: 'Updater', type: 'REG_SZ', data: EVIL }]);
    expect(f).toHaveLength(1);
    expect(f[0].basis).toBe('registry');
    expect(ids(f[0])).toEqual(['state.still-set']);
    expect(f[0].writer.image).toBe('C:\\Windows\\System32\\reg.exe');
    expect(f[0].alsoSeenIn?.map((s) => s.source)).toEqual(['hive']);
  });

  it('a write whose value is gone from the hive is "removed since it was written"', () => {
    const f = analyze([sysmon13('Updater', EVIL)], [{ name: 'OneDrive', type: 'REG_SZ', data: 'C:\\OneDrive.exe' }]);
    const w = f.find((x) => x.valueName === 'Updater');
    expect(w && ids(w)).toEqual(['state.removed']);
    // and without any hive of the host, absence says nothing
    expect(ids(analyze([sysmon13('Updater', EVIL)], undefined)[0])).toEqual([]);
  });

  it('a write whose value now holds other data is "data changed since the last logged write"', () => {
    const f = analyze([sysmon13('Updater', EVIL, '2024-03-01T00:00:00Z'), sysmon13('Updater', 'C:\\other.exe', '2024-02-01T00:00:00Z')], [{ name: 'Updater', type: 'REG_SZ', data: 'C:\\Users\\Public\\y.exe' }]);
    const last = f.find((x) => x.value === EVIL);
    expect(last && ids(last)).toEqual(['state.data-changed']);
    expect(f.filter((x) => x.basis === 'hive')).toHaveLength(0);
  });

  it('a hive value with no logged write is a hive finding, "set with no logged write", its key time against the logs span', () => {
    const f = analyze([sysmon13('Other', 'C:\\a.exe', '2024-01-10T00:00:00Z')], [{ name: 'Updater', type: 'REG_SZ', data: EVIL }]);
    const h = f.find((x) => x.basis === 'hive');
    expect(h && ids(h)).toEqual(['state.no-logged-write']);
    expect(h?.time.slice(0, 19)).toBe('2024-03-05T10:20:30');
    expect(h?.reasons.find((r) => r.id === 'state.no-logged-write')?.explanation).toContain('2024-01-10T00:00:00Z');
    expect(h?.evidence.ref.format).toBe('regf');
  });

  it('c:\\temp\\x.exe from a hive gets the same indicator reasons as the same Sysmon 13 write', () => {
    const fromLog = analyze([sysmon13('Updater', EVIL)], undefined)[0];
    const fromHive = analyze([], [{ name: 'Updater', type: 'REG_SZ', data: EVIL }]).find((x) => x.basis === 'hive');
    const indicator = (f: Finding | undefined) => (f?.reasons ?? []).map((r) => r.id).filter((id) => !id.startsWith('state.') && !id.startsWith('rarity.') && !id.startsWith('writer.') && !id.startsWith('correlation.')).sort();
    expect(indicator(fromHive).length).toBeGreaterThan(0);
    expect(indicator(fromHive)).toEqual(['location.run', 'name.masquerade', 'path.nonstandard-root', 'path.temp', 'path.user-writable']);
    expect(indicator(fromHive)).toEqual(indicator(fromLog));
    expect(fromHive?.score).toBeGreaterThan(0);
    expect(fromHive?.payloadPath?.toLowerCase()).toBe(EVIL);
  });
});
