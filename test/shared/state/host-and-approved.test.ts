// Host identity and StartupApproved on real hives: SYSTEM_B's ComputerName under Select\Current
// (ControlSet001 there) is what reglookup shows; a generated SOFTWARE's ProfileList maps a
// collection path C\Users\bob\NTUSER.DAT (and bob's UsrClass.dat) to bob's SID; the real
// NTUSER_with_winscp's StartupApproved\Run flag for Docker Desktop (all zero bytes) is decoded onto
// its Run entry as enabled, and a generated disabled flag (03 + FILETIME) as disabled since then.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { openHive, type Hive } from '../../../shared/regf/hive';
import { writeHive, type HiveKey, type HiveValue } from '../../../shared/generator/regf-writer';
import { computerName, profileList, profileOfHive } from '../../../shared/state/host-identity';
import { readHiveState } from '../../../shared/state/read-state';
import { stateCandidates } from '../../../shared/state/state-candidates';

function openBytes(b: Uint8Array, file: string): Hive {
  const r = openHive(b, { file });
  if (!r.ok) throw new Error(r.problem.code);
  return r.hive;
}
const k = (name: string, subkeys: HiveKey[] = [], values?: HiveValue[]): HiveKey => ({ name, lastWrite: '2024-01-01T00:00:00Z', subkeys, values });

describe.skipIf(!HAVE_SAMPLES)(`host identity and StartupApproved on real hives (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('reads SYSTEM_B\'s ComputerName under Select\\Current', () => {
    expect(computerName(openBytes(new Uint8Array(readFileSync(samplePath('mkorman90_regipy/SYSTEM_B'))), 'SYSTEM_B'))).toBe('DESKTOP-PM6C56D');
  });

  it('decodes the real StartupApproved flag of Docker Desktop onto its Run entry as enabled', () => {
    const rel = 'mkorman90_regipy/NTUSER_with_winscp.DAT';
    const st = readHiveState(openBytes(new Uint8Array(readFileSync(samplePath(rel))), rel), rel);
    const c = stateCandidates(st.entries.map((entry) => ({ entry, host: 'H' })));
    const docker = c.find((x) => x.location === 'run' && x.valueName === 'Docker Desktop');
    expect(docker?.reasons.map((r) => r.id)).toContain('state.startup-approved-enabled');
    expect(c.find((x) => x.location === 'run' && x.valueName === 'Ditto')?.reasons.some((r) => r.id.startsWith('state.startup-approved'))).toBe(false);
  });
});

describe('profiles and a disabled entry (generated hives)', () => {
  it('maps a collection path to its ProfileList SID', () => {
    const sw = writeHive(k('ROOT', [k('Microsoft', [k('Windows NT', [k('CurrentVersion', [k('ProfileList', [
      k('S-1-5-18', [], [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: '%systemroot%\\system32\\config\\systemprofile' }]),
      k('S-1-5-21-1-2-3-1001', [], [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: 'C:\\Users\\bob' }]),
      k('S-1-5-21-1-2-3-1002', [], [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: 'C:\\Users\\alice' }]),
    ])])])])]), { seed: 4 });
    const profiles = profileList(openBytes(sw, 'SOFTWARE'));
    expect(profiles.map((p) => p.sid)).toEqual(['S-1-5-18', 'S-1-5-21-1-2-3-1001', 'S-1-5-21-1-2-3-1002']);
    expect(profileOfHive('case/H1/C/Users/bob/NTUSER.DAT', profiles)?.sid).toBe('S-1-5-21-1-2-3-1001');
    expect(profileOfHive('uploads/auto/C%3A/Users/alice/NTUSER.DAT', profiles)?.sid).toBe('S-1-5-21-1-2-3-1002');
    expect(profileOfHive('E\\Users\\bob\\AppData\\Local\\Microsoft\\Windows\\UsrClass.dat', profiles)?.sid).toBe('S-1-5-21-1-2-3-1001');
    expect(profileOfHive('C/Users/carol/NTUSER.DAT', profiles)).toBeUndefined();
  });

  it('a StartupApproved flag 03 with a FILETIME says disabled since that time', () => {
    // 2024-02-01T00:00:00Z as FILETIME
    const ft = (BigInt(Date.parse('2024-02-01T00:00:00Z')) * 10000n) + 116444736000000000n;
    const flag = new Uint8Array(12);
    flag[0] = 3;
    new DataView(flag.buffer).setBigUint64(4, ft, true);
    const cv = (subs: HiveKey[]) => k('ROOT', [k('Software', [k('Microsoft', [k('Windows', [k('CurrentVersion', subs)])])]), k('Control Panel')]);
    const hive = writeHive(cv([
      k('Run', [], [{ name: 'Updater', type: 'REG_SZ', data: 'c:\\temp\\x.exe' }]),
      k('Explorer', [k('StartupApproved', [k('Run', [], [{ name: 'Updater', type: 'REG_BINARY', data: flag }])])]),
    ]), { seed: 6, fileName: '\\??\\C:\\Users\\bob\\ntuser.dat' });
    const st = readHiveState(openBytes(hive, 'NTUSER.DAT'), 'NTUSER.DAT');
    const c = stateCandidates(st.entries.map((entry) => ({ entry, host: 'H' })));
    const r = c.find((x) => x.location === 'run')?.reasons.find((x) => x.id === 'state.startup-approved-disabled');
    expect(r?.explanation).toContain('2024-02-01T00:00:00');
    expect(r?.weight).toBeLessThan(0);
  });
});
