import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../../shared/detect/engine';
import { fileCreate, procStart, regSet } from './helpers';

const STARTUP = 'C:\\Users\\anna\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup';
const LNK = `${STARTUP}\\evil.lnk`;

describe('executions of a Startup-folder file', () => {
  it('links every later start on the host whose command line names the file, however many share one command line', () => {
    const open = `C:\\Windows\\explorer.exe "${LNK}"`;
    const events = [
      fileCreate(LNK, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', { at: 0 }),
      // before the file existed: not an execution of it
      procStart('C:\\Windows\\explorer.exe', open, { at: -50, pid: 1 }),
      procStart('C:\\Windows\\explorer.exe', open, { at: 100, pid: 2 }),
      procStart('C:\\Windows\\System32\\notepad.exe', 'notepad.exe C:\\notes.txt', { at: 120, pid: 3 }),
      procStart('C:\\Windows\\System32\\cmd.exe', `cmd.exe /c start "" "${LNK.toUpperCase()}"`, { at: 150, pid: 4 }),
      procStart('C:\\Windows\\explorer.exe', open, { at: 200, pid: 5 }),
      // the same command line on another host
      procStart('C:\\Windows\\explorer.exe', open, { at: 250, pid: 6, host: 'WS2' }),
      procStart('C:\\Windows\\explorer.exe', open, { at: 300, pid: 7 }),
    ];
    const findings = analyzeEvents(events).filter((f) => f.basis === 'startup-file');
    expect(findings).toHaveLength(1);
    const execs = findings[0].correlation.executions;
    expect(execs.map((e) => e.time)).toEqual([100, 150, 200, 300].map((s) => new Date(Date.UTC(2024, 0, 10, 12, 0, s)).toISOString()));
    expect(execs.every((e) => e.kind === 'process')).toBe(true);
    expect(findings[0].reasons.find((r) => r.id === 'correlation.executed')?.explanation).toMatch(/ran 4 time\(s\)/);
  });
});

describe('the payload file dropped before the write', () => {
  // U+0130 (İ) lower-cases to two code units: the file name is longer in lower case than as written;
  // À lower-cases outside ASCII
  for (const name of ['upd.exe', 'UPD.EXE', 'İnstall Helper.exe', 'İİ.exe', 'ÀPP.EXE']) {
    it(`is linked whatever the case of its name (${name})`, () => {
      const payload = `C:\\Users\\anna\\AppData\\Roaming\\${name}`;
      const events = [
        fileCreate(`C:\\Users\\anna\\AppData\\Roaming\\other-${name}`, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', { at: 0 }),
        fileCreate(payload, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', { at: 10 }),
        regSet('HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Helper', `"${payload}" /s`, { at: 40 }),
      ];
      const [f] = analyzeEvents(events).filter((x) => x.basis === 'registry');
      expect(f.correlation.payloadCreated.map((l) => l.summary)).toEqual([`powershell.exe created ${payload}`]);
      expect(f.reasons.some((r) => r.id === 'correlation.payload-dropped')).toBe(true);
    });
  }
});
