// Value data read for what it is: StartupApproved flags decoded where the bytes are in the evidence,
// and data that cannot be a command (Sysmon's "Binary Data", DWORDs) never judged as one.
import { describe, expect, it } from 'vitest';
import { analyzeEvents, detectCandidate } from '../../../shared/detect/engine';
import { dataForm, hexBytes, isNonTextData, startupApprovedState } from '../../../shared/detect/registry-data';
import { asSource, procStart, regSet, RUN_HKU } from './helpers';

const APPROVED = 'HKU\\S-1-5-21-3461203602-4096304019-2269080069-1000\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run';
const TASKMGR = 'C:\\Windows\\System32\\Taskmgr.exe';
const ids = (c: ReturnType<typeof detectCandidate>) => (c?.reasons ?? []).map((r) => r.id);
const state = (c: ReturnType<typeof detectCandidate>) => c?.reasons.find((r) => r.id === 'startup-approved.state');

describe('registry data', () => {
  it.each([
    ['02 00 00 00 00 00 00 00 00 00 00 00', [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['03,00,00,00,d4,0d,43,8d,c8,3b,d9,01', [3, 0, 0, 0, 0xd4, 0x0d, 0x43, 0x8d, 0xc8, 0x3b, 0xd9, 0x01]],
    ['hex:06,00,00,00', [6, 0, 0, 0]],
    ['hex(3):07,00', [7, 0]],
    ['0x0300', [3, 0]],
    ['030000009f', [3, 0, 0, 0, 0x9f]],
    ['Binary Data', undefined],
    ['C:\\a.exe', undefined],
    ['0300 0', undefined],
    ['abc', undefined],
    ['', undefined],
    ['02 '.repeat(70), undefined],
  ])('reads %j as bytes %j', (text, bytes) => {
    expect(hexBytes(text)).toEqual(bytes);
  });

  it('decodes the StartupApproved flag and the time an entry was disabled', () => {
    expect(startupApprovedState('02 00 00 00 00 00 00 00 00 00 00 00')).toEqual({ enabled: true, flag: 2 });
    expect(startupApprovedState('06,00,00,00,00,00,00,00,00,00,00,00')).toEqual({ enabled: true, flag: 6 });
    // 0x01d93bc88d430dd4 = 2023-02-08T14:20:53.3620180Z
    expect(startupApprovedState('03 00 00 00 d4 0d 43 8d c8 3b d9 01')).toEqual({ enabled: false, flag: 3, changed: '2023-02-08T14:20:53.3620180Z' });
    expect(startupApprovedState('07000000')).toEqual({ enabled: false, flag: 7 });
    expect(startupApprovedState('Binary Data')).toBeUndefined();
  });

  it('knows which data cannot be a command and spells numbers alike across sources', () => {
    expect(['Binary Data', ' binary data ', 'DWORD (0x00000001)', 'QWORD (0x0000000000000010)', 'QWORD (0x00000000-0x00000001)', '(Empty)', '', '  ', '-'].map(isNonTextData)).toEqual(Array(9).fill(true));
    expect(['C:\\a.exe', '1', 'Binary Data.exe', 'DWORD', '(Empty).exe'].map(isNonTextData)).toEqual(Array(5).fill(false));
    expect([dataForm('DWORD (0x0000001f)'), dataForm('0x1F'), dataForm('31'), dataForm('Binary Data'), dataForm(' C:\\A.EXE '), dataForm('(Empty)'), dataForm('QWORD (0x00000000-0x00000001)')])
      .toEqual(['31', '31', '31', undefined, 'c:\\a.exe', '', undefined]);
  });
});

describe('StartupApproved and non-text data in detection', () => {
  it('never reads Sysmon\'s "Binary Data" as a payload, nor a known name there as masquerading', () => {
    const c = detectCandidate(regSet(`${APPROVED}\\Discord`, 'Binary Data', { image: TASKMGR }));
    expect(c?.location).toBe('startup-approved');
    expect(c?.payloadPath).toBeUndefined();
    expect(ids(c)).toEqual(['location.startup-approved', 'startup-approved.state']);
    expect(state(c)?.title).toBe('Entry state not logged');
    const [f] = analyzeEvents([regSet(`${APPROVED}\\Discord`, 'Binary Data', { image: TASKMGR })]);
    expect(f.severity).toBe('informational');
    // Defender leaves binary data empty, 4657 may write "-": not logged either, not "unreadable"
    for (const data of ['', '-']) {
      const d = detectCandidate(asSource(regSet(`${APPROVED}\\Discord`, data, { image: TASKMGR }), 'defender'));
      expect(state(d)?.title).toBe('Entry state not logged');
      expect(state(d)?.explanation).not.toContain('Sysmon');
    }
    expect(state(detectCandidate(regSet(`${APPROVED}\\Discord`, 'enabled', { image: TASKMGR })))?.title).toBe('Entry state unreadable');
  });

  it('says an entry was disabled, and when, when the bytes are in the evidence (reg add /t REG_BINARY)', () => {
    const cmd = `reg add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run" /v SecurityHealth /t REG_BINARY /d 030000000000000000000000 /f`;
    const off = detectCandidate(procStart('C:\\Windows\\System32\\reg.exe', cmd));
    expect(off?.location).toBe('startup-approved');
    expect(state(off)?.title).toBe('Entry disabled');
    expect(state(off)?.explanation).toContain('"SecurityHealth" disabled');
    expect(ids(off)).toContain('writer.unusual');
    const dated = detectCandidate(regSet(`${APPROVED}\\OneDrive`, '03 00 00 00 d4 0d 43 8d c8 3b d9 01', { image: TASKMGR }));
    expect(state(dated)?.explanation).toContain('disabled since 2023-02-08T14:20:53.3620180Z');
    const on = detectCandidate(regSet(`${APPROVED}\\OneDrive`, '02 00 00 00 00 00 00 00 00 00 00 00', { image: TASKMGR }));
    expect(state(on)?.title).toBe('Entry enabled');
    expect(ids(on)).not.toContain('name.masquerade');
  });

  it('judges a Run value that holds nothing, a number or unlogged binary by its writer only', () => {
    for (const data of ['Binary Data', 'DWORD (0x00000001)', '(Empty)', '']) {
      const c = detectCandidate(regSet(`${RUN_HKU}\\OneDrive`, data, { image: 'C:\\Users\\Public\\x.exe' }));
      expect(c?.payloadPath).toBeUndefined();
      expect(ids(c)).toEqual(['location.run', 'writer.user-writable']);
    }
    // the same name with a command still masquerades
    expect(ids(detectCandidate(regSet(`${RUN_HKU}\\OneDrive`, 'C:\\Users\\Public\\OneDrive.exe')))).toContain('name.masquerade');
  });
});
