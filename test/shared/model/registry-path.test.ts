import { describe, expect, it } from 'vitest';
import { canonicalRegistryPath, parseRegistryPath, splitValuePath } from '../../../shared/model/registry-path';

describe('canonicalRegistryPath', () => {
  const sid = 'S-1-5-21-3456789012-1234567890-987654321-1001';
  it.each([
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'],
    ['\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'],
    ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run'],
    [`\\REGISTRY\\USER\\${sid}\\Software\\Run`, `HKU\\${sid}\\Software\\Run`],
    [`HKEY_USERS\\${sid}\\Software\\Run`, `HKU\\${sid}\\Software\\Run`],
    [`HKEY_CURRENT_USER\\${sid}\\Software\\Run`, `HKU\\${sid}\\Software\\Run`],
    ['HKEY_CURRENT_USER\\Software\\Run', 'HKCU\\Software\\Run'],
    ['HKCU:\\Software\\Run', 'HKCU\\Software\\Run'],
    ['Registry::HKEY_LOCAL_MACHINE\\Software\\X', 'HKLM\\Software\\X'],
    ['hklm\\software\\x\\', 'HKLM\\software\\x\\'],
    ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\a/b ', 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\a/b '],
    [`HKU\\${sid}_Classes\\CLSID\\{1}`, `HKU\\${sid}_Classes\\CLSID\\{1}`],
  ])('%s → %s', (input, expected) => {
    expect(canonicalRegistryPath(input)).toBe(expected);
  });

  it('keeps the SID apart from the sub path', () => {
    expect(parseRegistryPath(`HKU\\${sid}\\Software\\Microsoft`)).toEqual({ hive: 'HKU', sid, subPath: 'Software\\Microsoft' });
  });

  it('does not mistake a key that merely starts like a hive', () => {
    expect(parseRegistryPath('HKLMX\\foo').hive).toBeNull();
  });

  it('splits a value path at the last backslash', () => {
    expect(splitValuePath('HKLM\\A\\Run\\Evil')).toEqual({ key: 'HKLM\\A\\Run', valueName: 'Evil' });
  });
});
