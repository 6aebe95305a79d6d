// The safety net (issue #19 item 5): a command line that names an autostart location and a write
// verb, from which no reader extracted a write, is a finding at medium that shows the part naming
// the location; reads and deletions never are.

import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../../shared/detect/engine';
import { unreadWrite } from '../../../shared/detect/safety-net';
import { commandLineWrites } from '../../../shared/detect/command-line';
import { procStart } from './helpers';

const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
// the path is the PSPath of an item the reader does not evaluate (a .NET OpenSubKey off CurrentUser
// was the example before the PowerShell reader learnt it): the Run key is named, the write cannot be followed
const UNREAD = "powershell.exe -NoP -c \"Set-ItemProperty -Path (Get-Item 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run').PSPath -Name upd -Value 'C:\\Users\\Public\\u.exe'\"";
// cmd's for /f hands the key over in a variable
const UNREAD_CMD = "cmd.exe /c \"for /f %k in ('echo HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run') do reg add %k /v upd /d C:\\Users\\Public\\u.exe /f\"";

describe('safety net for command lines the readers could not read', () => {
  it('makes a medium finding that says the arguments could not be fully read and shows the part naming the location', () => {
    expect(commandLineWrites(UNREAD).filter((w) => w.location?.id === 'run' && w.valueName === 'upd')).toEqual([]);
    const fs = analyzeEvents([procStart(PS, UNREAD, { parentImage: 'C:\\Windows\\explorer.exe' })]);
    expect(fs).toHaveLength(1);
    const f = fs[0];
    expect([f.basis, f.location, f.severity === 'medium' || f.severity === 'high']).toEqual(['command-line', 'run', true]);
    const r = f.reasons.find((x) => x.id === 'command-line.unread-write');
    expect(r?.explanation).toMatch(/appears to write the Run key.*could not be fully read/);
    expect(r?.matched).toContain('CurrentVersion\\Run');
    expect(f.score).toBeGreaterThanOrEqual(40);
    expect(commandLineWrites(UNREAD_CMD)).toEqual([]);
    expect(analyzeEvents([procStart('C:\\Windows\\System32\\cmd.exe', UNREAD_CMD)]).map((x) => [x.location, x.reasons.some((r) => r.id === 'command-line.unread-write')])).toEqual([['run', true]]);
  });

  it.each([
    ['reg query', 'reg.exe query "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"'],
    ['reg query with a redirect', 'cmd.exe /c reg query HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run 2>nul >nul'],
    ['reg delete', 'reg.exe delete HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /f'],
    ['Get-ItemProperty', "powershell.exe -c \"Get-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run'\""],
    ['Remove-ItemProperty', "powershell.exe -c \"Remove-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name upd\""],
    ['a Startup folder listed', 'cmd.exe /c dir "C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup"'],
    ['a Startup file run', '"C:\\Windows\\System32\\wscript.exe" "C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.vbs"'],
  ])('flags no %s', (_what, cmd) => {
    expect(unreadWrite(cmd)).toBeUndefined();
    expect(analyzeEvents([procStart('C:\\Windows\\System32\\cmd.exe', cmd)])).toEqual([]);
  });

  it('leaves a command line the readers read to them (no second, vaguer finding)', () => {
    const cmd = 'reg.exe add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /d C:\\Users\\Public\\u.exe /f';
    const fs = analyzeEvents([procStart('C:\\Windows\\System32\\reg.exe', cmd)]);
    expect(fs.map((f) => [f.valueName, f.reasons.some((r) => r.id === 'command-line.unread-write')])).toEqual([['upd', false]]);
    // a .NET OpenSubKey(..., $true).SetValue off CurrentUser is read by the PowerShell reader: a write, not the net
    const dotnet = "powershell.exe -NoP -c \"[Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Software\\Microsoft\\Windows\\CurrentVersion\\Run', $true).SetValue('upd', 'C:\\Users\\Public\\u.exe')\"";
    const ps = analyzeEvents([procStart(PS, dotnet, { parentImage: 'C:\\Windows\\explorer.exe' })]);
    expect(ps.map((f) => [f.valueName, f.reasons.some((r) => r.id === 'command-line.unread-write')])).toEqual([['upd', false]]);
  });

  it('reads a Startup-folder write it cannot follow as a Startup finding', () => {
    const u = unreadWrite('cmd.exe /c copy %TEMP%\\x.lnk "%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\"');
    expect(u?.location.id).toBe('startup-folder');
    expect(u?.verb.toLowerCase()).toBe('copy');
  });
});
