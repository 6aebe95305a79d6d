// Startup-folder files described for the state view, from generated content: shortcuts parsed,
// scripts shown as their first lines (bounded, decoded by BOM / UTF-8 / ANSI, control characters
// kept), executables by size and the host's SHA-256, kind decided by content before name.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../shared/generator/prng';
import { randomLnkSpec, writeLnk } from '../../../shared/generator/lnk-writer';
import { MAX_LINES, MAX_LINE_CHARS, SCRIPT_BYTES, describeStartupItem, type ScriptItem, type StartupItem } from '../../../shared/lnk/startup-item';

const SEED = 31337;
const enc = new TextEncoder();
const HASH = 'A'.repeat(8) + '0123456789abcdef'.repeat(3) + 'b'.repeat(8);

function utf16le(s: string): Uint8Array {
  const b = new Uint8Array(2 + s.length * 2);
  b[0] = 0xff;
  b[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    b[2 + 2 * i] = s.charCodeAt(i) & 0xff;
    b[3 + 2 * i] = s.charCodeAt(i) >>> 8;
  }
  return b;
}
function utf16be(s: string): Uint8Array {
  const b = new Uint8Array(2 + s.length * 2);
  b[0] = 0xfe;
  b[1] = 0xff;
  for (let i = 0; i < s.length; i++) {
    b[2 + 2 * i] = s.charCodeAt(i) >>> 8;
    b[3 + 2 * i] = s.charCodeAt(i) & 0xff;
  }
  return b;
}
const script = (item: StartupItem): ScriptItem => {
  expect(item.kind).toBe('script');
  return item as ScriptItem;
};

describe('describeStartupItem', () => {
  it('parses a shortcut, whatever its name', () => {
    const spec = randomLnkSpec(new Prng(SEED));
    const bytes = writeLnk(spec);
    for (const name of ['Updater.lnk', 'Updater.LNK', 'desktop.dat']) {
      const item = describeStartupItem({ name, bytes, sha256: HASH });
      expect(item.kind, name).toBe('shortcut');
      if (item.kind !== 'shortcut') continue;
      expect(item.lnk.isShellLink).toBe(true);
      expect(item.lnk.target).toBeDefined();
      expect(item.size).toBe(bytes.length);
      expect(item.sha256).toBe(HASH.toLowerCase());
      expect(item.problems).toEqual([]);
    }
  });

  it('reads a .lnk that is no shell link as a shortcut with BAD_MAGIC', () => {
    const item = describeStartupItem({ name: 'evil.lnk', bytes: enc.encode('@echo off\r\nstart calc\r\n') });
    expect(item.kind).toBe('shortcut');
    expect(item.problems.map((p) => p.code)).toEqual(['BAD_MAGIC']);
    expect(item.problems[0].file).toBe('evil.lnk');
  });

  it('names the evidence file in problems when the host gives its path', () => {
    const item = describeStartupItem({ name: 'x.lnk', bytes: Uint8Array.of(0x4c, 0, 0, 0), file: 'C/Users/a/Start Menu/Programs/Startup/x.lnk' });
    expect(item.problems.map((p) => [p.code, p.file])).toEqual([['TRUNCATED', 'C/Users/a/Start Menu/Programs/Startup/x.lnk']]);
  });

  it('shows the first lines of a batch file, CRLF split, bounded to MAX_LINES', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `echo line ${i}`);
    const item = script(describeStartupItem({ name: 'run.bat', bytes: enc.encode(lines.join('\r\n') + '\r\n') }));
    expect([item.language, item.encoding]).toEqual(['batch', 'utf-8']);
    expect(item.lines).toEqual(lines.slice(0, MAX_LINES));
    expect(item.truncated).toBe(true);
  });

  it('shows a short script whole, not truncated, with LF, CR and CRLF endings', () => {
    const item = script(describeStartupItem({ name: 'a.cmd', bytes: enc.encode('one\ntwo\rthree\r\nfour') }));
    expect(item.lines).toEqual(['one', 'two', 'three', 'four']);
    expect(item.truncated).toBe(false);
  });

  it('keeps control characters as data', () => {
    const text = 'Set o = CreateObject("WScript.Shell")\x1b[2J\x00\x07\r\no.Run "calc"\x0c';
    const item = script(describeStartupItem({ name: 'x.vbs', bytes: enc.encode(text) }));
    expect(item.lines).toEqual(['Set o = CreateObject("WScript.Shell")\x1b[2J\x00\x07', 'o.Run "calc"\x0c']);
  });

  it('decodes UTF-16LE, UTF-16BE and UTF-8 by their BOM', () => {
    const text = 'Start-Process "$env:APPDATA\\Служба\\svc.exe"\r\n# ok';
    const le = script(describeStartupItem({ name: 'p.ps1', bytes: utf16le(text) }));
    expect([le.language, le.encoding, le.lines]).toEqual(['powershell', 'utf-16le', ['Start-Process "$env:APPDATA\\Служба\\svc.exe"', '# ok']]);
    const be = script(describeStartupItem({ name: 'p.ps1', bytes: utf16be(text) }));
    expect([be.encoding, be.lines]).toEqual(['utf-16be', le.lines]);
    const u8 = script(describeStartupItem({ name: 'p.js', bytes: Uint8Array.of(0xef, 0xbb, 0xbf, ...enc.encode(text)) }));
    expect([u8.language, u8.encoding, u8.lines]).toEqual(['jscript', 'utf-8-bom', le.lines]);
  });

  it('takes ASCII-looking text with a zero in every odd byte for UTF-16LE without a BOM', () => {
    const item = script(describeStartupItem({ name: 'p.ps1', bytes: utf16le('IEX (New-Object Net.WebClient)\r\nexit').subarray(2) }));
    expect([item.encoding, item.lines]).toEqual(['utf-16le', ['IEX (New-Object Net.WebClient)', 'exit']]);
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    const item = script(describeStartupItem({ name: 'c.cmd', bytes: Uint8Array.of(...enc.encode('rem caf'), 0xe9, 0x0d, 0x0a, ...enc.encode('rem '), 0x80) }));
    expect([item.encoding, item.lines]).toEqual(['ansi', ['rem café', 'rem €']]);
  });

  it('reads only the first SCRIPT_BYTES of a huge script, keeping a UTF-8 character cut by the bound', () => {
    // 'é' is two bytes: place one across the bound, on the first line so the line is long
    const head = 'x'.repeat(SCRIPT_BYTES - 1) + 'é';
    const bytes = enc.encode(head + '\n' + 'y\n'.repeat(4 * 1024 * 1024));
    const t0 = Date.now();
    const item = script(describeStartupItem({ name: 'big.bat', bytes }));
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(item.encoding).toBe('utf-8');
    expect(item.lines).toEqual(['x'.repeat(MAX_LINE_CHARS)]);
    expect(item.truncated).toBe(true);
    expect(item.size).toBe(bytes.length);
  });

  it('gives the URL of an Internet shortcut', () => {
    const text = '[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,11\r\n[InternetShortcut]\r\nIDList=\r\nURL=file:///C:/Users/Public/x.hta\r\nIconIndex=0\r\n';
    const item = script(describeStartupItem({ name: 'site.url', bytes: enc.encode(text) }));
    expect([item.language, item.url]).toEqual(['url', 'file:///C:/Users/Public/x.hta']);
  });

  it('names wsf and hta scripts', () => {
    expect(script(describeStartupItem({ name: 'a.wsf', bytes: enc.encode('<job><script language="VBScript">') })).language).toBe('wsf');
    expect(script(describeStartupItem({ name: 'a.HTA', bytes: enc.encode('<html><hta:application>') })).language).toBe('hta');
  });

  it('takes an MZ file for an executable whatever its name, with the host hash', () => {
    const mz = Uint8Array.of(0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0);
    for (const name of ['svc.exe', 'notes.txt', 'run.bat', 'x.lnk']) {
      const item = describeStartupItem({ name, bytes: mz, sha256: HASH });
      expect([item.kind, item.size, item.sha256], name).toEqual(['executable', 8, HASH.toLowerCase()]);
    }
  });

  it('leaves out a malformed hash with BAD_VALUE', () => {
    const item = describeStartupItem({ name: 'svc.exe', bytes: Uint8Array.of(0x4d, 0x5a), sha256: 'not-a-hash' });
    expect(item.sha256).toBeUndefined();
    expect(item.problems.map((p) => p.code)).toEqual(['BAD_VALUE']);
  });

  it('describes anything else by size only', () => {
    const item = describeStartupItem({ name: 'desktop.ini', bytes: enc.encode('[.ShellClassInfo]\r\n') });
    expect([item.kind, item.size, item.problems]).toEqual(['other', 19, []]);
    expect(describeStartupItem({ name: 'empty.exe', bytes: new Uint8Array(0) }).kind).toBe('executable');
    expect(script(describeStartupItem({ name: 'empty.bat', bytes: new Uint8Array(0) })).lines).toEqual([]);
  });
});
