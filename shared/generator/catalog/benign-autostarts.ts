// Legitimate software writing autostart locations, with the writers and values these products
// really use (the legitimate-writer filters of SigmaHQ's ASEP rules list most of them). Each entry
// says who writes, where, what, and what starts at the next logon because of it. The detection
// engine must leave these at 'low' or below (or baseline them): they are the false-positive check.

import type { RegValueType, UserAccount } from '../model';
import { SYS32 } from './images';

export type Writer = 'explorer' | 'scheduler' | 'services';

export interface BenignAutostart {
  id: string;
  title: string;
  /** HKCU entries go to HKU\<SID>\...; HKLM entries are machine-wide. */
  hive: 'HKCU' | 'HKLM';
  subKey: string;
  valueName: (u: UserAccount) => string;
  valueType: RegValueType;
  data: (u: UserAccount) => string;
  writerImage: (u: UserAccount) => string;
  writerCommandLine: (u: UserAccount) => string;
  /** Which process starts the writer: the user's shell, the task scheduler, or services.exe (SYSTEM). */
  writerParent: Writer;
  runsAsSystem: boolean;
  runOnce: boolean;
  /** What starts at logon because of the entry (image, command line), if anything. */
  fires?: (u: UserAccount) => { image: string; commandLine: string };
}

const RUN = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
const RUNONCE = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnce';
const URUN = 'Software\\Microsoft\\Windows\\CurrentVersion\\Run';
const local = (u: UserAccount) => `${u.profile}\\AppData\\Local`;
const roaming = (u: UserAccount) => `${u.profile}\\AppData\\Roaming`;

export const BENIGN_AUTOSTARTS: readonly BenignAutostart[] = [
  {
    id: 'onedrive', title: 'OneDrive per-user updater re-registers OneDrive', hive: 'HKCU', subKey: URUN,
    valueName: () => 'OneDrive', valueType: 'REG_SZ',
    data: (u) => `"${local(u)}\\Microsoft\\OneDrive\\OneDrive.exe" /background`,
    writerImage: (u) => `${local(u)}\\Microsoft\\OneDrive\\Update\\OneDriveSetup.exe`,
    writerCommandLine: (u) => `"${local(u)}\\Microsoft\\OneDrive\\Update\\OneDriveSetup.exe" /update /restart /updateSource:ODU /peruser /childprocess /renameReplaceOneDriveExe /renameReplaceODSUExe`,
    writerParent: 'scheduler', runsAsSystem: false, runOnce: false,
    fires: (u) => ({ image: `${local(u)}\\Microsoft\\OneDrive\\OneDrive.exe`, commandLine: `"${local(u)}\\Microsoft\\OneDrive\\OneDrive.exe" /background` }),
  },
  {
    id: 'teams', title: 'Teams (Squirrel) registers Update.exe --processStart', hive: 'HKCU', subKey: URUN,
    valueName: () => 'com.squirrel.Teams.Teams', valueType: 'REG_SZ',
    data: (u) => `${local(u)}\\Microsoft\\Teams\\Update.exe --processStart "Teams.exe" --process-start-args "--system-initiated"`,
    writerImage: (u) => `${local(u)}\\Microsoft\\Teams\\current\\Teams.exe`,
    writerCommandLine: (u) => `"${local(u)}\\Microsoft\\Teams\\current\\Teams.exe" --system-initiated`,
    writerParent: 'explorer', runsAsSystem: false, runOnce: false,
    fires: (u) => ({ image: `${local(u)}\\Microsoft\\Teams\\Update.exe`, commandLine: `${local(u)}\\Microsoft\\Teams\\Update.exe --processStart "Teams.exe" --process-start-args "--system-initiated"` }),
  },
  {
    id: 'securityhealth', title: 'Windows Security tray icon (SecurityHealth)', hive: 'HKLM', subKey: RUN,
    valueName: () => 'SecurityHealth', valueType: 'REG_EXPAND_SZ',
    data: () => '%windir%\\system32\\SecurityHealthSystray.exe',
    writerImage: () => `${SYS32}\\SecurityHealthService.exe`,
    writerCommandLine: () => `${SYS32}\\SecurityHealthService.exe`,
    writerParent: 'services', runsAsSystem: true, runOnce: false,
    fires: () => ({ image: `${SYS32}\\SecurityHealthSystray.exe`, commandLine: `"${SYS32}\\SecurityHealthSystray.exe"` }),
  },
  {
    id: 'windows-defender', title: 'Microsoft Defender platform update registers its tray client', hive: 'HKLM', subKey: RUN,
    valueName: () => 'Windows Defender', valueType: 'REG_EXPAND_SZ',
    data: () => '"%ProgramFiles%\\Windows Defender\\MSASCuiL.exe"',
    writerImage: () => 'C:\\Program Files\\Windows Defender\\MsMpEng.exe',
    writerCommandLine: () => '"C:\\Program Files\\Windows Defender\\MsMpEng.exe"',
    writerParent: 'services', runsAsSystem: true, runOnce: false,
  },
  {
    id: 'edge', title: 'Microsoft Edge startup boost (MicrosoftEdgeAutoLaunch)', hive: 'HKCU', subKey: URUN,
    valueName: (u) => `MicrosoftEdgeAutoLaunch_${hex32(u.sid)}`, valueType: 'REG_SZ',
    data: () => '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --no-startup-window --win-session-start /prefetch:5',
    writerImage: () => 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    writerCommandLine: () => '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --single-argument microsoft-edge:',
    writerParent: 'explorer', runsAsSystem: false, runOnce: false,
    fires: () => ({ image: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', commandLine: '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --no-startup-window --win-session-start /prefetch:5' }),
  },
  {
    id: 'vmware-tools', title: 'VMware Tools upgrade (msiexec) registers the user process', hive: 'HKLM', subKey: RUN,
    valueName: () => 'VMware User Process', valueType: 'REG_SZ',
    data: () => '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr',
    writerImage: () => `${SYS32}\\msiexec.exe`,
    writerCommandLine: () => `${SYS32}\\MsiExec.exe -Embedding 4C3B2A1F0E9D8C7B6A5F4E3D2C1B0A99 E Global\\MSI0000`,
    writerParent: 'services', runsAsSystem: true, runOnce: false,
    fires: () => ({ image: 'C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe', commandLine: '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr' }),
  },
  {
    id: 'office-c2r', title: 'Office Click-to-Run schedules removal of its cached update binary', hive: 'HKLM', subKey: RUNONCE,
    valueName: () => 'Delete Cached Update Binary', valueType: 'REG_SZ',
    data: () => 'C:\\Windows\\system32\\cmd.exe /q /c del /q "C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\Updates\\16.0.17231.20236\\OfficeClickToRun.exe"',
    writerImage: () => 'C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe',
    writerCommandLine: () => '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" /service',
    writerParent: 'services', runsAsSystem: true, runOnce: true,
  },
  {
    id: 'msiexec-runonce', title: 'Windows Installer finishes an install after reboot (RunOnce)', hive: 'HKLM', subKey: RUNONCE,
    valueName: () => '{9A25302D-30C0-39D9-BD6F-21E6EC160475}', valueType: 'REG_SZ',
    data: () => `${SYS32}\\msiexec.exe /qn /i "C:\\Windows\\Installer\\4f1a7c.msi" REBOOTPROMPT=S`,
    writerImage: () => `${SYS32}\\msiexec.exe`,
    writerCommandLine: () => `${SYS32}\\msiexec.exe /V`,
    writerParent: 'services', runsAsSystem: true, runOnce: true,
  },
  {
    id: 'wu-delnode', title: 'Windows Update package (IExpress) schedules DelNodeRunDLL32 clean-up', hive: 'HKLM', subKey: RUNONCE,
    valueName: () => 'wextract_cleanup0', valueType: 'REG_SZ',
    data: () => 'rundll32.exe C:\\Windows\\system32\\advpack.dll,DelNodeRunDLL32 "C:\\Windows\\TEMP\\IXP000.TMP\\"',
    writerImage: () => 'C:\\Windows\\SoftwareDistribution\\Download\\Install\\Windows-KB890830-x64-V5.120.exe',
    writerCommandLine: () => '"C:\\Windows\\SoftwareDistribution\\Download\\Install\\Windows-KB890830-x64-V5.120.exe" /Q /W',
    writerParent: 'scheduler', runsAsSystem: true, runOnce: true,
  },
  {
    id: 'spotify', title: 'Spotify enables start at login', hive: 'HKCU', subKey: URUN,
    valueName: () => 'Spotify', valueType: 'REG_SZ',
    data: (u) => `"${roaming(u)}\\Spotify\\Spotify.exe" --autostart --minimized`,
    writerImage: (u) => `${roaming(u)}\\Spotify\\Spotify.exe`,
    writerCommandLine: (u) => `"${roaming(u)}\\Spotify\\Spotify.exe"`,
    writerParent: 'explorer', runsAsSystem: false, runOnce: false,
    fires: (u) => ({ image: `${roaming(u)}\\Spotify\\Spotify.exe`, commandLine: `"${roaming(u)}\\Spotify\\Spotify.exe" --autostart --minimized` }),
  },
  {
    id: 'discord', title: 'Discord (Squirrel) registers Update.exe --processStart', hive: 'HKCU', subKey: URUN,
    valueName: () => 'Discord', valueType: 'REG_SZ',
    data: (u) => `${local(u)}\\Discord\\Update.exe --processStart Discord.exe`,
    writerImage: (u) => `${local(u)}\\Discord\\app-1.0.9032\\Discord.exe`,
    writerCommandLine: (u) => `"${local(u)}\\Discord\\app-1.0.9032\\Discord.exe"`,
    writerParent: 'explorer', runsAsSystem: false, runOnce: false,
    fires: (u) => ({ image: `${local(u)}\\Discord\\Update.exe`, commandLine: `${local(u)}\\Discord\\Update.exe --processStart Discord.exe` }),
  },
  {
    id: 'zoom', title: 'Zoom installer schedules an MSI repair (zoommsirepair RunOnce)', hive: 'HKLM', subKey: RUNONCE,
    valueName: () => 'zoommsirepair', valueType: 'REG_SZ',
    data: () => '"C:\\Program Files\\Zoom\\bin\\installer.exe" /repair',
    writerImage: () => 'C:\\Program Files\\Zoom\\bin\\installer.exe',
    writerCommandLine: () => '"C:\\Program Files\\Zoom\\bin\\installer.exe" /upgrade',
    writerParent: 'services', runsAsSystem: true, runOnce: true,
  },
];

function hex32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return (h.toString(16).toUpperCase() + 'A5C3E1F0B2D4968778695A4B3C2D1E0F').slice(0, 32);
}
