import { describe, expect, it } from 'vitest';
import { baseName, baseNameKey, baseNameLength, dirName } from '../../../shared/detect/paths';
import { FileTable } from '../../../shared/detect/file-table';
import { fileCreate } from './helpers';

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
    // the key is the lower-cased base name's (never 0 for ASCII)
    expect(baseNameKey(path)).toBe(baseNameKey(base.toLowerCase()));
    expect(baseNameKey(path)).not.toBe(0);
  });

  it('gives the path itself when it has no separator', () => {
    const p = 'notepad.exe';
    expect(baseName(p)).toBe(p);
    expect(dirName(p)).toBe('');
  });
});

describe('baseNameKey', () => {
  it('is equal for names equal but for case, 0 for names outside ASCII, and tells apart names a log holds', () => {
    expect(baseNameKey('C:\\Users\\anna\\AppData\\Roaming\\UPD.EXE')).toBe(baseNameKey('upd.exe'));
    expect(baseNameKey('C:\\Temp\\Upd.Exe\\')).toBe(baseNameKey('upd.exe'));
    // the directory is not part of it
    expect(baseNameKey('C:\\Ünïcode\\upd.exe')).toBe(baseNameKey('upd.exe'));
    // İ lower-cases to two code units, the Kelvin sign to an ASCII k: such names are read as text
    for (const n of ['İnstall.exe', 'C:\\x\\\u212Aey.exe', 'naïve.exe']) expect(baseNameKey(n)).toBe(0);
    // only the letters A-Z fold: '@' (64) and '[' (91) sit beside them
    expect(baseNameKey('@.exe')).not.toBe(baseNameKey('`.exe'));
    expect(baseNameKey('[.exe')).not.toBe(baseNameKey('{.exe'));
    // a key rules a name out: distinct names of a log rarely share one
    const names = Array.from({ length: 5000 }, (_, i) => `tmp${i.toString(36)}.tmp`);
    expect(new Set(names.map(baseNameKey)).size).toBeGreaterThan(4990);
  });
});

describe('FileTable path keys', () => {
  it('keys every path as it comes in, new or seen again, past the first block of ids', () => {
    const t = new FileTable();
    const paths = Array.from({ length: 3000 }, (_, i) => `C:\\Users\\anna\\AppData\\Local\\Temp\\F${i % 1700}.TMP`);
    paths.push('C:\\Users\\anna\\İnstall.exe', 'C:\\Windows\\Temp\\');
    for (const p of paths) t.addEvent(fileCreate(p, 'C:\\Windows\\explorer.exe'));
    expect(t.length).toBe(paths.length);
    for (let i = 0; i < t.length; i++) {
      const id = t.pathId(i);
      expect(t.text(id)).toBe(paths[i]);
      expect(t.pathKey(id)).toBe(baseNameKey(paths[i]));
    }
    expect(t.pathKey(t.textCount() + 10)).toBe(0);
  });
});
