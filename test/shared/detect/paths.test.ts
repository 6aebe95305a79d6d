import { describe, expect, it } from 'vitest';
import { baseName, baseNameLength, dirName } from '../../../shared/detect/paths';

describe('baseName', () => {
  // [path, last segment]
  const cases: [string, string][] = [
    ['C:\\Users\\anna\\AppData\\Roaming\\upd.exe', 'upd.exe'],
    ['C:/Users/anna/upd.exe', 'upd.exe'],
    ['C:\\Users\\anna/mixed\\upd.exe', 'upd.exe'],
    ['upd.exe', 'upd.exe'],
    ['C:\\Users\\anna\\Startup\\', 'Startup'],
    ['C:\\Users\\anna\\Startup\\\\//', 'Startup'],
    ['\\\\server\\share\\run.bat', 'run.bat'],
    ['C:\\', 'C:'],
    ['\\', ''],
    ['', ''],
    ['C:\\dir\\name with spaces.lnk', 'name with spaces.lnk'],
  ];
  it.each(cases)('%j → %j', (path, base) => {
    expect(baseName(path)).toBe(base);
    // what it was before a backward scan replaced it: trailing separators dropped, then the last segment
    const s = path.replace(/[/\\]+$/, '');
    expect(baseName(path)).toBe(s.slice(Math.max(s.lastIndexOf('\\'), s.lastIndexOf('/')) + 1));
    expect(baseNameLength(path)).toBe(base.length);
  });

  it('gives the path itself when it has no separator', () => {
    const p = 'notepad.exe';
    expect(baseName(p)).toBe(p);
    expect(dirName(p)).toBe('');
  });
});
