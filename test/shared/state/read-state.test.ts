// Autostart state from real hives (../shared/samples/HIVES.md): every Run / RunOnce value
// Debian's reglookup prints is one of our entries, with its data and its key's last-write time;
// the hive's kind comes from its content; a dirty hive read without logs carries DIRTY_HEADER;
// the transaction-log hive shows values only its logs hold, marked fromLog.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { openHive, type Hive } from '../../../shared/regf/hive';
import { openHiveWithLogs } from '../../../shared/regf/apply-logs';
import { readHiveState } from '../../../shared/state/read-state';
import { hiveKind } from '../../../shared/state/hive-kind';
import { writeDirtyHive, type HiveKey, type HiveValue } from '../../../shared/generator/regf-writer';

const HAVE_REGLOOKUP = existsSync('/usr/bin/reglookup');

function open(rel: string): Hive {
  const r = openHive(new Uint8Array(readFileSync(samplePath(rel))), { file: rel });
  if (!r.ok) throw new Error(`${rel}: ${r.problem.code}`);
  return r.hive;
}

/** reglookup's %XX escapes undone (it escapes ',', '"', '%', '/' and control characters). */
const unescape = (s: string) => s.replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** reglookup -p <key>: the key's mtime (seconds, UTC) and its values (name → data). */
function reglookupKey(file: string, key: string): { mtime?: string; values: Map<string, string> } {
  const out = execFileSync('reglookup', ['-p', key, file], { encoding: 'latin1' });
  const values = new Map<string, string>();
  let mtime: string | undefined;
  const head = key.toLowerCase();
  for (const line of out.split('\n').slice(1)) {
    if (!line) continue;
    const f = line.split(',');
    const path = f[0];
    if (f[1] === 'KEY') {
      if (path.toLowerCase() === head) mtime = f[3];
      continue;
    }
    if (!path.toLowerCase().startsWith(head + '/')) continue;
    const rest = path.slice(head.length + 1);
    if (rest.includes('/')) continue; // a value of a subkey
    values.set(unescape(rest), f[2] === '(null)' ? '' : unescape(f[2]));
  }
  return { mtime, values };
}

const USER_HIVES: ReadonlyArray<{ rel: string; root: string }> = [
  { rel: 'mkorman90_regipy/NTUSER.DAT', root: '/Software' },
  { rel: 'mkorman90_regipy/NTUSER_with_winscp.DAT', root: '/SOFTWARE' },
  { rel: 'mkorman90_regipy/transactions_NTUSER.DAT', root: '/SOFTWARE' },
  { rel: 'mkorman90_regipy/ntuser_software_partial', root: '' },
  { rel: 'log2timeline_dfwinreg/NTUSER.DAT', root: '/Software' },
];

describe.skipIf(!HAVE_SAMPLES || !HAVE_REGLOOKUP)(`state entries against reglookup (${!HAVE_SAMPLES ? NO_SAMPLES_REASON : HAVE_REGLOOKUP ? 'reglookup present' : 'reglookup not installed'})`, () => {
  it.each(USER_HIVES)('every Run / RunOnce value of $rel is an entry with its data and key time', ({ rel, root }) => {
    const hive = open(rel);
    const state = readHiveState(hive, rel);
    expect(state.kind).toBe('NTUSER');
    let compared = 0;
    for (const [loc, sub] of [['run', 'Run'], ['runonce', 'RunOnce']] as const) {
      const key = `${root}/Microsoft/Windows/CurrentVersion/${sub}`;
      const ref = reglookupKey(samplePath(rel), key);
      const ours = state.entries.filter((e) => e.location.id === loc && /\\currentversion\\run(once)?$/i.test(e.keyPath));
      expect(new Map(ours.map((e) => [e.valueName, e.data]))).toEqual(ref.values);
      for (const e of ours) {
        expect(e.keyLastWritten.slice(0, 19).replace('T', ' ')).toBe(ref.mtime);
        expect(e.registryKey).toMatch(/^HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run(Once)?$/i);
        expect(e.fromLog).toBe(false);
      }
      compared += ref.values.size;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('reads the known Run values of the samples (figures from HIVES.md)', () => {
    const names = (rel: string) => readHiveState(open(rel), rel).entries.filter((e) => e.location.id === 'run').map((e) => e.valueName).sort();
    expect(names('mkorman90_regipy/NTUSER.DAT')).toEqual(['Sidebar']);
    expect(names('mkorman90_regipy/NTUSER_with_winscp.DAT')).toEqual(['', 'BCClipboard', 'Ditto', 'Docker Desktop', 'OneDrive']);
    expect(names('log2timeline_dfwinreg/NTUSER.DAT')).toEqual(['Spotify', 'Spotify Web Helper']);
    const sidebar = readHiveState(open('mkorman90_regipy/NTUSER.DAT'), 'x').entries.find((e) => e.valueName === 'Sidebar');
    expect(sidebar?.keyLastWritten.slice(0, 19)).toBe('2012-04-03T21:19:54');
    expect(sidebar?.typeName).toBe('REG_EXPAND_SZ');
  });
});

describe.skipIf(!HAVE_SAMPLES)(`hive kind and logs (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('tells SYSTEM, NTUSER and UsrClass by content and reads SYSTEM under Select\\Current', () => {
    expect(hiveKind(open('mkorman90_regipy/SYSTEM_B'))).toBe('SYSTEM');
    expect(hiveKind(open('mkorman90_regipy/UsrClass.dat'))).toBe('USRCLASS');
    expect(hiveKind(open('mkorman90_regipy/ntuser_software_partial'))).toBe('NTUSER');
    const sys = readHiveState(open('mkorman90_regipy/SYSTEM_B'), 'SYSTEM_B');
    expect(sys.controlSet).toMatch(/^ControlSet00\d$/);
    const boot = sys.entries.find((e) => e.location.id === 'bootexecute' && e.valueName.toLowerCase() === 'bootexecute');
    expect(boot?.data.toLowerCase()).toContain('autocheck autochk');
    expect(boot?.registryKey).toBe(`HKLM\\SYSTEM\\${sys.controlSet}\\Control\\Session Manager`);
  });

  it('flags a dirty hive read without its logs', () => {
    const codes: string[] = [];
    const r = openHive(new Uint8Array(readFileSync(samplePath('mkorman90_regipy/NTUSER_with_winscp.DAT'))), { file: 'w', onProblem: (p) => codes.push(p.code) });
    expect(r.ok).toBe(true);
    expect(codes).toContain('DIRTY_HEADER');
  });

  it('the real transaction-log hive: its logs apply and every autostart entry of the primary is still read', () => {
    const rel = 'mkorman90_regipy/transactions_NTUSER.DAT';
    const primary = new Uint8Array(readFileSync(samplePath(rel)));
    const logs = ['transactions_ntuser.dat.log1', 'transactions_ntuser.dat.log2'].map((n) => ({ name: n, bytes: new Uint8Array(readFileSync(samplePath('mkorman90_regipy/' + n))) }));
    const before = readHiveState(open(rel), rel).entries;
    const { opened, replay } = openHiveWithLogs(primary, logs, { file: rel });
    if (!opened.ok) throw new Error(opened.problem.code);
    expect(replay.applied.map((a) => a.entries)).toEqual([23]);
    const after = readHiveState(opened.hive, rel, { origin: replay.origin }).entries;
    // the 23 entries rewrite other keys: no autostart value of this sample lives only in its logs
    expect(after.map((e) => [e.keyPath, e.valueName, e.data, e.fromLog])).toEqual(before.map((e) => [e.keyPath, e.valueName, e.data, false]));
  });

});

describe('state from a generated dirty hive and its log', () => {
  const run = (values: HiveValue[]): HiveKey => ({
    name: 'ROOT', lastWrite: '2024-01-01T00:00:00Z', subkeys: [{ name: 'Software', lastWrite: '2024-01-01T00:00:00Z', subkeys: [{ name: 'Microsoft', lastWrite: '2024-01-01T00:00:00Z', subkeys: [{ name: 'Windows', lastWrite: '2024-01-01T00:00:00Z', subkeys: [{ name: 'CurrentVersion', lastWrite: '2024-01-01T00:00:00Z', subkeys: [{ name: 'Run', lastWrite: '2024-03-05T10:20:30Z', values }] }] }] }] }, { name: 'Control Panel', lastWrite: '2024-01-01T00:00:00Z' }],
  });
  const od: HiveValue = { name: 'OneDrive', type: 'REG_SZ', data: 'C:\\OneDrive.exe /background' };
  const upd: HiveValue = { name: 'Updater', type: 'REG_SZ', data: 'c:\\temp\\x.exe' };
  const dirty = writeDirtyHive([run([od]), run([od, upd])], { seed: 5, sequence: 10, fileName: '\\??\\C:\\Users\\bob\\ntuser.dat' });

  it('shows the value only the log holds, marked fromLog, and the primary value not', () => {
    const { opened, replay } = openHiveWithLogs(dirty.primary, [{ name: 'NTUSER.DAT.LOG1', bytes: dirty.log1 }], { file: 'NTUSER.DAT' });
    if (!opened.ok) throw new Error(opened.problem.code);
    const st = readHiveState(opened.hive, 'NTUSER.DAT', { origin: replay.origin, userRoot: 'HKU\\S-1-5-21-1-2-3-1001' });
    expect(st.kind).toBe('NTUSER');
    expect(st.entries.map((e) => [e.valueName, e.data, e.fromLog])).toEqual([['OneDrive', 'C:\\OneDrive.exe /background', false], ['Updater', 'c:\\temp\\x.exe', true]]);
    expect(st.entries[1].registryKey).toBe('HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(st.entries[1].keyLastWritten.slice(0, 19)).toBe('2024-03-05T10:20:30');
    // without the log the primary has only OneDrive, and the reader says the hive is dirty
    const alone = openHive(dirty.primary, { file: 'NTUSER.DAT' });
    if (!alone.ok) throw new Error(alone.problem.code);
    expect(readHiveState(alone.hive, 'NTUSER.DAT').entries.map((e) => e.valueName)).toEqual(['OneDrive']);
    expect(alone.hive.problems.map((p) => p.code)).toContain('DIRTY_HEADER');
  });
});
