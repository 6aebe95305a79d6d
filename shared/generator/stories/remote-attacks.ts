// Attack stories that show the write somewhere other than a registry event alone, or make it from
// another machine (issue #19): PowerShell script block and module logging of a Run-key write, a
// Remote Registry write with the network logon that carried it, a write made in a PowerShell
// remoting session (wsmprovhost.exe), and a command line no reader can follow (the safety net).
// Kept apart from ATTACK_STORIES so the existing scenarios' outputs stay as they were; the
// 'powershell-and-remote' scenario runs them.

import { PS_EXE, SYS32 } from '../catalog/images';
import type { Label, StoryRole, UserAccount } from '../model';
import type { AttackStory, StoryContext } from './story';
import type { Severity } from '../../model/finding';

const CV = 'Software\\Microsoft\\Windows\\CurrentVersion';
const HKLM_RUN = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
const hkcu = (u: UserAccount, sub: string) => `HKU\\${u.sid}\\${sub}`;

/** The account Remote Registry runs as; it impersonates its caller for the write. */
const LOCAL_SERVICE: UserAccount = { domain: 'NT AUTHORITY', name: 'LOCAL SERVICE', sid: 'S-1-5-19', profile: 'C:\\Windows\\ServiceProfiles\\LocalService' };
/** The intruder's account on the domain, used from another machine. */
const INTRUDER: UserAccount = { domain: 'CONTOSO', name: 'svc_backup', sid: 'S-1-5-21-3623811015-3361044348-30300820-1177', profile: 'C:\\Users\\svc_backup' };

function story(id: string, title: string, techniques: string[], minSeverity: Severity,
  body: (ctx: StoryContext, L: (role: StoryRole, extra?: string[]) => Label) => void): AttackStory {
  const L = (role: StoryRole, extra: string[] = []): Label => ({
    story: id, title, role, malicious: true,
    techniques: role === 'persistence' || role === 'execution' ? [...techniques, ...extra] : extra,
    minSeverity: role === 'persistence' ? minSeverity : undefined,
  });
  return { id, title, techniques, run: (ctx) => body(ctx, L) };
}

/** A remote account's network logon on this host, as the Security log shows it. */
function remoteLogon(ctx: StoryContext, ip: string, workstation: string, label: Label): void {
  const { chain } = ctx;
  const carrier = chain.env.spawn(chain.env.services, `${SYS32}\\lsass.exe`, 'lsass.exe', chain.t, { user: INTRUDER });
  carrier.logonId = `0x${(0x5d2a00 + chain.rng.int(1, 0xff)).toString(16)}`;
  chain.networkLogon(carrier, ip, workstation, label);
}

export const REMOTE_AND_SCRIPT_STORIES: readonly AttackStory[] = [
  story('ps-scriptblock-run', 'A downloaded PowerShell script writes HKCU\\...\\Run (4104 in three parts, 4103 bound parameters)', ['T1547.001', 'T1059.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const payload = `${user.profile}\\AppData\\Local\\Temp\\wupd.exe`;
    const ps = chain.spawn(explorer, PS_EXE, `"${PS_EXE}" -NoProfile -ExecutionPolicy Bypass -File "${user.profile}\\Downloads\\setup-helper.ps1"`, L('writer-process', ['T1059.001']));
    chain.wait(800, 3000);
    const filler = Array.from({ length: 60 }, (_, i) => `Write-Verbose "checking component ${i} of the update channel"`).join('\r\n');
    const script = `$ErrorActionPreference = 'SilentlyContinue'\r\n$k = 'HKCU:\\${CV}\\Run'\r\n${filler}\r\nSet-ItemProperty -Path $k -Name 'WindowsUpdateHelper' -Value '${payload}'\r\nWrite-Output 'done'`;
    chain.scriptBlock(ps, script, 3, L('persistence'), 'Set-ItemProperty -Path $k');
    chain.wait(20, 200);
    chain.moduleLog(ps, 'Set-ItemProperty', [['Path', `HKCU:\\${CV}\\Run`], ['Name', 'WindowsUpdateHelper'], ['Value', payload]], L('persistence'));
    chain.wait(1, 10);
    chain.reg(ps, { action: 'set-value', key: hkcu(user, `${CV}\\Run`), valueName: 'WindowsUpdateHelper', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'ps-scriptblock-run', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, label: L('execution') });
  }),

  story('remote-registry-run', 'An intruder on another machine adds an HKLM Run value over Remote Registry (reg add \\\\host\\HKLM\\...)', ['T1547.001', 'T1112', 'T1021'], 'high', (ctx, L) => {
    const { chain } = ctx;
    const payload = 'C:\\ProgramData\\Intel\\igfxsvc.exe';
    const svc = chain.spawn(chain.env.services, `${SYS32}\\svchost.exe`, `${SYS32}\\svchost.exe -k localService -p -s RemoteRegistry`, L('writer-process', ['T1021', 'T1112']), { user: LOCAL_SERVICE, integrity: 'System' });
    chain.wait(200, 900);
    remoteLogon(ctx, '10.20.7.41', 'HELPDESK-07', L('delivery', ['T1021']));
    chain.wait(100, 600);
    const writer = { ...svc, user: INTRUDER };
    chain.reg(writer, { action: 'set-value', key: HKLM_RUN, valueName: 'IntelGraphics', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'remote-registry-run', launcher: 'explorer', image: payload, commandLine: payload, label: L('execution') });
  }),

  story('wsmprovhost-run', 'A PowerShell remoting session (Invoke-Command) writes an HKLM Run value inside wsmprovhost.exe', ['T1547.001', 'T1021.006', 'T1059.001'], 'high', (ctx, L) => {
    const { chain } = ctx;
    const payload = 'C:\\Windows\\Temp\\svcmon.exe';
    remoteLogon(ctx, '10.20.7.41', 'HELPDESK-07', L('delivery', ['T1021.006']));
    chain.wait(300, 1500);
    const host = chain.spawn(chain.env.svchost, `${SYS32}\\wsmprovhost.exe`, `${SYS32}\\wsmprovhost.exe -Embedding`, L('writer-process', ['T1021.006']), { user: INTRUDER, integrity: 'High' });
    chain.wait(500, 2500);
    chain.scriptBlock(host, `New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run' -Name 'SvcMonitor' -Value '${payload}' -PropertyType String -Force`, 1, L('persistence'));
    chain.wait(5, 50);
    chain.reg(host, { action: 'set-value', key: HKLM_RUN, valueName: 'SvcMonitor', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'wsmprovhost-run', launcher: 'explorer', image: payload, commandLine: payload, label: L('execution') });
  }),

  story('unreadable-run-command', 'PowerShell writes the Run key through the PSPath of an item it looks up (the reader does not evaluate it): only the process start is logged', ['T1547.001', 'T1059.001'], 'medium', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const payload = `${user.profile}\\AppData\\Roaming\\Zoom\\zupd.exe`;
    // a script from a mail attachment starts it; the host audits process creation but this write
    // is not in any registry log: the command line is all there is
    const js = chain.spawn(explorer, `${SYS32}\\wscript.exe`, `"C:\\Windows\\System32\\WScript.exe" "${user.profile}\\Downloads\\Invoice_0912.js"`, L('writer-process', ['T1059.007']));
    chain.wait(300, 1500);
    chain.spawn(js, PS_EXE, `powershell.exe -NoP -c "Set-ItemProperty -Path (Get-Item 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run').PSPath -Name ZoomUpdate -Value '${payload}'"`, L('persistence'));
    ctx.register({ id: 'unreadable-run-command', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, label: L('execution') });
  }),
];
