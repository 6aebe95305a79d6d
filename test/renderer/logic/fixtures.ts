// Hand-built findings for the pure renderer logic: each differs from the others in the one field
// the test is about.
import type { Finding } from '../../../shared/model/finding';

export function finding(over: Partial<Finding> & { id: string }): Finding {
  return {
    basis: 'registry',
    host: 'WS01',
    time: '2024-03-01T10:00:00.000Z',
    timeMs: Date.UTC(2024, 2, 1, 10),
    location: 'run',
    locationTitle: 'Run',
    registryKey: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run',
    valueName: 'Updater',
    value: 'C:\\Users\\bob\\AppData\\Roaming\\upd.exe',
    normalizedValue: 'c:\\users\\userxx\\appdata\\roaming\\upd.exe',
    writer: { image: 'C:\\Windows\\System32\\reg.exe' },
    score: 50,
    severity: 'medium',
    reasons: [],
    attack: ['T1547.001'],
    baseline: { status: 'none' },
    correlation: { writerAncestors: [], payloadCreated: [], executions: [], deletions: [] },
    evidence: { key: `e.evtx#${over.id}`, ref: { file: 'e.evtx', format: 'evtx' }, source: 'sysmon' },
    ...over,
  };
}
