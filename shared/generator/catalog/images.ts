// Version-resource metadata of the executables the scenarios run, as Sysmon 1 reports it
// (FileVersion, Description, Product, Company, OriginalFileName). Unknown images (payloads) get
// Sysmon's "-" placeholders, as unsigned droppers usually have no version resource.

import type { ImageMeta } from '../model';

const MS = 'Microsoft Corporation';
const WINOS = 'Microsoft® Windows® Operating System';
const WINVER = '10.0.19041.1 (WinBuild.160101.0800)';

const META: Readonly<Record<string, readonly [string, string, string, string, string]>> = {
  // file name → [fileVersion, description, product, company, originalFileName]
  'cmd.exe': [WINVER, 'Windows Command Processor', WINOS, MS, 'Cmd.Exe'],
  'reg.exe': [WINVER, 'Registry Console Tool', WINOS, MS, 'reg.exe'],
  'regedit.exe': [WINVER, 'Registry Editor', WINOS, MS, 'REGEDIT.EXE'],
  'powershell.exe': [WINVER, 'Windows PowerShell', WINOS, MS, 'PowerShell.EXE'],
  'mshta.exe': ['11.00.19041.1 (WinBuild.160101.0800)', 'Microsoft (R) HTML Application host', 'Internet Explorer', MS, 'MSHTA.EXE'],
  'rundll32.exe': [WINVER, 'Windows host process (Rundll32)', WINOS, MS, 'RUNDLL32.EXE'],
  'wscript.exe': ['5.812.10240.16384', 'Microsoft ® Windows Based Script Host', 'Microsoft ® Windows Script Host', MS, 'wscript.exe'],
  'cscript.exe': ['5.812.10240.16384', 'Microsoft ® Console Based Script Host', 'Microsoft ® Windows Script Host', MS, 'cscript.exe'],
  'curl.exe': ['8.4.0', 'The curl executable', 'The curl executable', 'curl, https://curl.se/', 'curl.exe'],
  'explorer.exe': [WINVER, 'Windows Explorer', WINOS, MS, 'EXPLORER.EXE'],
  'userinit.exe': [WINVER, 'Userinit Logon Application', WINOS, MS, 'USERINIT.EXE'],
  'winlogon.exe': [WINVER, 'Windows Logon Application', WINOS, MS, 'WINLOGON.EXE'],
  'svchost.exe': [WINVER, 'Host Process for Windows Services', WINOS, MS, 'svchost.exe'],
  'services.exe': [WINVER, 'Services and Controller app', WINOS, MS, 'services.exe'],
  'msiexec.exe': ['5.0.19041.1 (WinBuild.160101.0800)', 'Windows® installer', 'Windows Installer - Unicode', MS, 'msiexec.exe'],
  'conhost.exe': [WINVER, 'Console Window Host', WINOS, MS, 'CONHOST.EXE'],
  'taskhostw.exe': [WINVER, 'Host Process for Windows Tasks', WINOS, MS, 'taskhostw.exe'],
  'backgroundtaskhost.exe': [WINVER, 'Background Task Host', WINOS, MS, 'backgroundTaskHost.exe'],
  'searchprotocolhost.exe': ['7.0.19041.1 (WinBuild.160101.0800)', 'Microsoft Windows Search Protocol Host', 'Windows® Search', MS, 'SearchProtocolHost.exe'],
  'runtimebroker.exe': [WINVER, 'Runtime Broker', WINOS, MS, 'RuntimeBroker.exe'],
  'notepad.exe': [WINVER, 'Notepad', WINOS, MS, 'NOTEPAD.EXE'],
  'taskmgr.exe': [WINVER, 'Task Manager', WINOS, MS, 'Taskmgr.exe'],
  'securityhealthsystray.exe': ['4.18.1907.16384', 'Windows Security notification icon', WINOS, MS, 'SecurityHealthSystray.exe'],
  'securityhealthservice.exe': ['4.18.1907.16384', 'Windows Security Health Service', WINOS, MS, 'SecurityHealthService.exe'],
  'msmpeng.exe': ['4.18.24010.12', 'Antimalware Service Executable', 'Microsoft® Windows® Operating System', MS, 'MsMpEng.exe'],
  'mpcmdrun.exe': ['4.18.24010.12', 'Microsoft Malware Protection Command Line Utility', WINOS, MS, 'MpCmdRun.exe'],
  'onedrivesetup.exe': ['24.020.0128.0003', 'Microsoft OneDrive Setup', 'Microsoft OneDrive', MS, 'OneDriveSetup.exe'],
  'onedrive.exe': ['24.020.0128.0003', 'Microsoft OneDrive', 'Microsoft OneDrive', MS, 'OneDrive.exe'],
  'update.exe': ['1.5.0.0', 'Update', 'Squirrel', 'GitHub', 'Update.exe'],
  'teams.exe': ['1.6.00.4472', 'Microsoft Teams', 'Microsoft Teams', MS, 'Teams.exe'],
  'msedge.exe': ['121.0.2277.128', 'Microsoft Edge', 'Microsoft Edge', MS, 'msedge.exe'],
  'microsoftedgeupdate.exe': ['1.3.185.17', 'Microsoft Edge Update', 'Microsoft Edge Update', MS, 'MicrosoftEdgeUpdate.exe'],
  'setup.exe': ['121.0.2277.128', 'Microsoft Edge Installer', 'Microsoft Edge Installer', MS, 'setup.exe'],
  'vmtoolsd.exe': ['12.3.5.46049', 'VMware Tools Core Service', 'VMware Tools', 'VMware, Inc.', 'vmtoolsd.exe'],
  'officeclicktorun.exe': ['16.0.17231.20236', 'Microsoft Office Click-to-Run (SxS)', 'Microsoft Office', MS, 'OfficeClickToRun.exe'],
  'winword.exe': ['16.0.17231.20236', 'Microsoft Word', 'Microsoft Office', MS, 'WinWord.exe'],
  'excel.exe': ['16.0.17231.20236', 'Microsoft Excel', 'Microsoft Office', MS, 'Excel.exe'],
  'outlook.exe': ['16.0.17231.20236', 'Microsoft Outlook', 'Microsoft Office', MS, 'Outlook.exe'],
  'chrome.exe': ['121.0.6167.161', 'Google Chrome', 'Google Chrome', 'Google LLC', 'chrome.exe'],
  'spotify.exe': ['1.2.31.1205', 'Spotify', 'Spotify', 'Spotify Ltd', 'Spotify.exe'],
  'discord.exe': ['1.0.9032.0', 'Discord', 'Discord', 'Discord Inc.', 'Discord.exe'],
  'zoom.exe': ['5.17.5.31030', 'Zoom Meetings', 'Zoom Meetings', 'Zoom Video Communications, Inc.', 'Zoom.exe'],
  'installer.exe': ['5.17.5.31030', 'Zoom Installer', 'Zoom Meetings', 'Zoom Video Communications, Inc.', 'Installer.exe'],
  'wuauclt.exe': [WINVER, 'Windows Update', WINOS, MS, 'wuauclt.exe'],
  'trustedinstaller.exe': [WINVER, 'Windows Modules Installer', WINOS, MS, 'TrustedInstaller.exe'],
  'tiworker.exe': [WINVER, 'Windows Modules Installer Worker', WINOS, MS, 'TiWorker.exe'],
  'gpupdate.exe': [WINVER, 'Microsoft® Windows Group Policy Update Utility', WINOS, MS, 'gpupdate.exe'],
  'whoami.exe': [WINVER, 'whoami - displays logged on user information', WINOS, MS, 'whoami.exe'],
  'ipconfig.exe': [WINVER, 'IP Configuration Utility', WINOS, MS, 'ipconfig.exe'],
  'code.exe': ['1.86.1', 'Visual Studio Code', 'Visual Studio Code', MS, 'electron.exe'],
};

const UNKNOWN: ImageMeta = { fileVersion: '-', description: '-', product: '-', company: '-', originalFileName: '-' };

export function imageMeta(image: string): ImageMeta {
  const name = image.slice(image.lastIndexOf('\\') + 1).toLowerCase();
  const m = META[name];
  if (!m) return UNKNOWN;
  return { fileVersion: m[0], description: m[1], product: m[2], company: m[3], originalFileName: m[4] };
}

export const SYS32 = 'C:\\Windows\\System32';
export const SYSWOW64 = 'C:\\Windows\\SysWOW64';
export const PS_EXE = `${SYS32}\\WindowsPowerShell\\v1.0\\powershell.exe`;
