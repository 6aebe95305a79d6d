import { describe, expect, it } from 'vitest';
import { matchRegistryLocation, matchStartupFile } from '../../../shared/detect/catalog';
import { canonicalRegistryPath, splitValuePath } from '../../../shared/model/registry-path';

function loc(targetObject: string): string | undefined {
  const { key, valueName } = splitValuePath(canonicalRegistryPath(targetObject));
  return matchRegistryLocation(key, valueName)?.location.id;
}

describe('autostart catalog', () => {
  it.each([
    // the hunting-notes weaknesses: per-user keys as Sysmon writes them, WOW6432Node, Policies
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'run'],
    ['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'run'],
    ['HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\RunOnce\\x', 'runonce'],
    ['\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'run'],
    ['HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'run'],
    ['hklm\\software\\microsoft\\windows\\currentversion\\run\\x', 'run'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run\\x', 'policies-run'],
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\Run\\x', 'policies-run'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunOnceEx\\0001\\Depend\\1', 'runonceex'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\RunServicesOnce\\x', 'runservices'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Terminal Server\\Install\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x', 'run'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Userinit', 'winlogon-userinit'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell', 'winlogon-shell'],
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell', 'winlogon-shell'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Notify\\evil\\DLLName', 'winlogon-notify'],
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows\\Load', 'windows-load'],
    ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\BootExecute', 'bootexecute'],
    ['HKLM\\SYSTEM\\ControlSet001\\Control\\Session Manager\\SetupExecute', 'bootexecute'],
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders\\Startup', 'shell-folders-startup'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders\\Common Startup', 'shell-folders-startup'],
    ['HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run\\x', 'startup-approved'],
    ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\Wds\\rdpwd\\StartupPrograms', 'rdp-startup-programs'],
    ['HKLM\\System\\CurrentControlSet\\Control\\BootVerificationProgram\\ImagePath', 'boot-verification'],
    ['HKCR\\CLSID\\{645FF040-5081-101B-9F08-00AA002F954E}\\shell\\open\\command\\(Default)', 'recycle-bin-open'],
    ['HKU\\S-1-5-21-1-2-3-1000_Classes\\CLSID\\{11111111-2222-3333-4444-555555555555}\\InprocServer32\\(Default)', 'inprocserver32'],
  ])('finds %s as %s', (path, id) => {
    expect(loc(path)).toBe(id);
  });

  it.each([
    // value-level locations must not fire on other values of the same key
    'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Userinit-backup',
    'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\DefaultUserName',
    'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\PendingFileRenameOperations',
    'HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\User Shell Folders\\Desktop',
    // look-alikes that are other things
    'HKU\\S-1-5-21-1-2-3-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU\\a',
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Group Policy\\GPStartup',
    'HKU\\S-1-5-21-1-2-3-1000\\Environment\\UserInitMprLogonScript',
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Runner\\x',
    'HKCR\\CLSID\\{11111111-2222-3333-4444-555555555555}\\InprocServer32\\ThreadingModel',
  ])('does not treat %s as an autostart location', (path) => {
    expect(loc(path)).toBeUndefined();
  });

  it('recognises Startup-folder files per user, for all users and through \\\\tsclient', () => {
    expect(matchStartupFile('C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\a.vbs')?.fileName).toBe('a.vbs');
    expect(matchStartupFile('C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\StartUp\\Notepad.lnk')?.fileName).toBe('Notepad.lnk');
    expect(matchStartupFile('\\\\tsclient\\C\\Users\\x\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\cmd.exe')?.fileName).toBe('cmd.exe');
    expect(matchStartupFile('C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Accessories\\a.lnk')).toBeUndefined();
  });
});
