// Ordinary activity between the stories: applications users start, service housekeeping, file
// creations in profile and temp folders, and the registry writes a common Sysmon configuration
// still logs (BAM, service start types) plus near-misses that look like autostarts but are not
// (RunMRU, StartupApproved). Weights are rough proportions seen on office workstations.

import { PS_EXE, SYS32 } from './images';
import type { Chain } from '../chain';
import type { Label, Proc, UserAccount } from '../model';

type NoiseFn = (c: Chain, u: UserAccount, shell: Proc) => void;

const nearMiss = (title: string): Label => ({ story: 'near-miss', title, role: 'near-miss', malicious: false, techniques: [], maxSeverity: 'low' });

const APPS: readonly (readonly [string, string])[] = [
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" '],
  ['C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" '],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE" '],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n'],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE" '],
  [`${SYS32}\\notepad.exe`, '"C:\\Windows\\system32\\notepad.exe" '],
  [`${SYS32}\\Taskmgr.exe`, '"C:\\Windows\\system32\\taskmgr.exe" /4'],
];

const DOCS = ['Q1 forecast.xlsx', 'minutes 2026-03-02.docx', 'travel policy.pdf', 'roadmap.pptx', 'budget_v3.xlsx', 'onboarding checklist.docx'];

const noiseUserApp: NoiseFn = (c, _u, shell) => {
  const [img, cl] = c.rng.pick(APPS);
  c.spawn(shell, img, cl);
};

const noiseDownload: NoiseFn = (c, u, shell) => {
  const browser = c.env.spawn(shell, 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService', c.t - 3_600_000);
  c.file(browser, `${u.profile}\\Downloads\\${c.rng.pick(DOCS)}`);
};

const noiseOfficeTemp: NoiseFn = (c, u, shell) => {
  const word = c.spawn(shell, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${u.profile}\\Documents\\${c.rng.pick(DOCS)}"`);
  c.wait(500, 4000);
  c.file(word, `${u.profile}\\AppData\\Local\\Temp\\~DF${c.rng.hex(4).toUpperCase()}${c.rng.hex(8).toUpperCase()}.TMP`);
};

const noiseService: NoiseFn = (c) => {
  const pick = c.rng.int(0, 3);
  if (pick === 0) c.spawn(c.env.svchost, `${SYS32}\\taskhostw.exe`, 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly', undefined, {});
  else if (pick === 1) c.spawn(c.env.svchost, `${SYS32}\\backgroundTaskHost.exe`, `"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider`);
  else if (pick === 2) c.spawn(c.env.svchost, `${SYS32}\\SearchProtocolHost.exe`, `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${c.rng.int(1, 40)}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${c.rng.int(1, 40)} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"`);
  else {
    const mp = c.spawn(c.env.svchost, 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24010.12-0\\MpCmdRun.exe', '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24010.12-0\\MpCmdRun.exe" SignaturesUpdateService -ScheduleJob -RestrictPrivileges');
    c.wait(1000, 9000);
    c.file(mp, `C:\\Windows\\Temp\\MpCmdRun.log`);
  }
};

const noiseBam: NoiseFn = (c, u) => {
  const exe = c.rng.pick(['chrome.exe', 'OUTLOOK.EXE', 'WINWORD.EXE', 'Teams.exe', 'explorer.exe', 'notepad.exe']);
  c.reg(c.env.svchost, { action: 'set-value', key: `HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\${u.sid}`, valueName: `\\Device\\HarddiskVolume3\\Program Files\\${exe}`, valueType: 'REG_BINARY', data: 'Binary Data' });
};

const noiseServiceStart: NoiseFn = (c) => {
  const svc = c.rng.pick(['BITS', 'wuauserv', 'TrustedInstaller', 'edgeupdate', 'MapsBroker']);
  c.reg(c.env.services, { action: 'set-value', key: `HKLM\\System\\CurrentControlSet\\Services\\${svc}`, valueName: 'Start', valueType: 'REG_DWORD', data: c.rng.pick([2, 3, 4]) });
};

const noiseRunMru: NoiseFn = (c, u, shell) => {
  const cmd = c.rng.pick(['cmd', 'notepad', 'mstsc', '\\\\fileserver01\\share', 'control', 'regedit']);
  c.reg(shell, { action: 'set-value', key: `HKU\\${u.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU`, valueName: c.rng.pick(['a', 'b', 'c', 'd']), valueType: 'REG_SZ', data: `${cmd}\\1` },
    nearMiss('Run dialog history (RunMRU) is not an autostart'));
};

const noiseStartupApproved: NoiseFn = (c, u, shell) => {
  const tm = c.spawn(shell, `${SYS32}\\Taskmgr.exe`, '"C:\\Windows\\system32\\taskmgr.exe" /7');
  c.wait(4000, 30000);
  c.reg(tm, { action: 'set-value', key: `HKU\\${u.sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run`, valueName: c.rng.pick(['Spotify', 'Discord', 'com.squirrel.Teams.Teams']), valueType: 'REG_BINARY', data: 'Binary Data' },
    nearMiss('Task Manager disabling a startup entry (StartupApproved) is not a new autostart'));
};

const noiseAdmin: NoiseFn = (c, _u, shell) => {
  const cmd = c.spawn(shell, `${SYS32}\\cmd.exe`, '"C:\\Windows\\system32\\cmd.exe" ');
  c.wait(2000, 20000);
  c.spawn(cmd, `${SYS32}\\conhost.exe`, '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1');
  c.wait(3000, 30000);
  const [exe, args] = c.rng.pick([['ipconfig.exe', 'ipconfig  /all'], ['whoami.exe', 'whoami  /groups'], ['gpupdate.exe', 'gpupdate  /force']] as const);
  c.spawn(cmd, `${SYS32}\\${exe}`, args);
};

const noisePowerShellQuery: NoiseFn = (c, _u, shell) => {
  // An admin reading (not writing) the Run key: a near-miss for command-line rules.
  c.spawn(shell, PS_EXE, 'powershell.exe -NoProfile -Command "Get-ItemProperty HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"');
};

export const NOISE: readonly (readonly [NoiseFn, number])[] = [
  [noiseUserApp, 30], [noiseDownload, 8], [noiseOfficeTemp, 10], [noiseService, 30], [noiseBam, 12],
  [noiseServiceStart, 3], [noiseRunMru, 2], [noiseStartupApproved, 1], [noiseAdmin, 3], [noisePowerShellQuery, 1],
];
