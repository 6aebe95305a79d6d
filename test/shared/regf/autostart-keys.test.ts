// The autostart keys of the real hives hold what ../shared/samples/HIVES.md says they do, read
// by path lookups: the values the next issue's detection will see.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { type Hive, type RegKey, openHive } from '../../../shared/regf/hive';

function open(rel: string): Hive {
  const r = openHive(new Uint8Array(readFileSync(samplePath(rel))), { file: rel });
  if (!r.ok) throw new Error(r.problem.code);
  return r.hive;
}

/** name -> text of each value of the key (its type's name when it is no string). */
function values(h: Hive, path: string): Record<string, string> {
  const k = h.key(path) as RegKey;
  expect(k).toBeDefined();
  const out: Record<string, string> = {};
  for (const v of h.values(k)) {
    const d = h.valueData(v);
    out[v.name] = d.kind === 'string' ? d.text : v.typeName;
  }
  return out;
}

describe.skipIf(!HAVE_SAMPLES)(`autostart keys of the real hives (${HAVE_SAMPLES ? 'samples present' : NO_SAMPLES_REASON})`, () => {
  it('regipy NTUSER.DAT: Run holds Sidebar, an unexpanded REG_EXPAND_SZ', () => {
    const h = open('mkorman90_regipy/NTUSER.DAT');
    expect(values(h, 'Software\\Microsoft\\Windows\\CurrentVersion\\Run')).toEqual({ Sidebar: '%ProgramFiles%\\Windows Sidebar\\Sidebar.exe /autoRun' });
    expect(h.key('Software\\Microsoft\\Windows\\CurrentVersion\\Run')?.lastWritten).toBe('2012-04-03T21:19:54.8377168Z');
  });

  it('NTUSER_with_winscp.DAT: Run holds OneDrive, Ditto, BCClipboard, Docker Desktop and a default value; StartupApproved a binary flag', () => {
    const h = open('mkorman90_regipy/NTUSER_with_winscp.DAT');
    expect(values(h, 'Software\\Microsoft\\Windows\\CurrentVersion\\Run')).toEqual({
      OneDrive: '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
      Ditto: 'C:\\Program Files\\Ditto\\Ditto.exe',
      BCClipboard: 'C:\\Program Files\\Beyond Compare 4\\BCClipboard.exe',
      '': '',
      'Docker Desktop': 'C:\\Program Files\\Docker\\Docker\\Docker Desktop.exe -Autostart',
    });
    expect(values(h, 'Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run')).toEqual({ 'Docker Desktop': 'REG_BINARY' });
  });

  it('dfwinreg NTUSER.DAT: Run holds Spotify Web Helper and Spotify from AppData\\Roaming', () => {
    const run = values(open('log2timeline_dfwinreg/NTUSER.DAT'), 'Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(Object.keys(run)).toEqual(['Spotify Web Helper', 'Spotify']);
    for (const t of Object.values(run)) expect(t).toMatch(/\\AppData\\Roaming\\Spotify\\/);
  });

  it('ntuser_software_partial (root Software): RunOnce holds the OneDrive clean-up cmd.exe /q /c entries', () => {
    const once = values(open('mkorman90_regipy/ntuser_software_partial'), 'Microsoft\\Windows\\CurrentVersion\\RunOnce');
    expect(Object.keys(once).length).toBe(4);
    for (const t of Object.values(once)) expect(t).toMatch(/^C:\\WINDOWS\\system32\\cmd\.exe \/q \/c (del|rmdir) /);
  });

  it('transactions_NTUSER.DAT before its logs: Run holds OneDrive', () => {
    expect(Object.keys(values(open('mkorman90_regipy/transactions_NTUSER.DAT'), 'Software\\Microsoft\\Windows\\CurrentVersion\\Run'))).toEqual(['OneDrive']);
  });
});
