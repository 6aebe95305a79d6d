// CSV for Timeline Explorer and Excel: one row per finding, RFC 4180 quoting, UTF-8 with a BOM so
// Excel reads it as UTF-8, and formula-injection safe: a cell starting with = + - @ TAB or CR gets a
// leading apostrophe, so attacker-controlled values can never run as a formula.

import type { EvidenceSighting, Finding } from '../model/finding';

export function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

type Ref = Finding['evidence']['ref'];

/** The evidence file, with the archive member as file!member. */
const fileOf = (ref: Ref): string => (ref.member ? `${ref.file}!${ref.member}` : ref.file);
/** The record's own id, else its line. */
const recordOf = (ref: Ref): string | number | undefined => ref.recordId ?? (ref.line !== undefined ? `line ${ref.line}` : undefined);

/** "security 4657 WS1-Security.evtx #171414": source, event id and where the record is. */
function sightingText(s: EvidenceSighting): string {
  const rec = recordOf(s.ref);
  return `${s.source}${s.eventId !== undefined ? ' ' + s.eventId : ''} ${fileOf(s.ref)}${typeof rec === 'number' ? ' #' + rec : rec ? ' ' + rec : ''}`;
}

const COLUMNS: ReadonlyArray<readonly [string, (f: Finding) => string | number | undefined]> = [
  ['Time (UTC)', (f) => f.time],
  ['Severity', (f) => f.severity],
  ['Score', (f) => f.score],
  ['Host', (f) => f.host],
  ['User', (f) => f.user],
  ['Basis', (f) => f.basis],
  ['Location', (f) => f.locationTitle],
  ['Registry key', (f) => f.registryKey],
  ['Value name', (f) => f.valueName],
  ['Value', (f) => f.value],
  ['Payload', (f) => f.payloadPath],
  ['Writer', (f) => f.writer.image],
  ['Writer command line', (f) => f.writer.commandLine],
  ['Writer PID', (f) => f.writer.pid],
  ['Parent', (f) => f.writer.parentImage],
  ['Writer hashes', (f) => f.writer.hashes],
  ['ATT&CK', (f) => f.attack.join(' ')],
  ['Reasons', (f) => f.reasons.filter((r) => r.weight !== 0 || r.id.startsWith('baseline')).map((r) => `${r.title} (${r.weight > 0 ? '+' : ''}${r.weight})`).join('; ')],
  ['Baseline', (f) => f.baseline.status + (f.baseline.entryId ? ` (${f.baseline.entryId})` : '')],
  ['Rarity', (f) => (f.rarity ? `${f.rarity.hosts} of ${f.rarity.totalHosts} hosts, ${f.rarity.count}x` : '')],
  ['Decoded PowerShell', (f) => f.decodedPowerShell],
  ['Correlated events', (f) => [f.correlation.writerProcess ? 1 : 0, f.correlation.payloadCreated.length, f.correlation.executions.length, f.correlation.deletions.length].join('/')],
  ['Evidence file', (f) => fileOf(f.evidence.ref)],
  ['Record id', (f) => recordOf(f.evidence.ref)],
  ['Event id', (f) => f.evidence.eventId],
  ['Also seen in', (f) => f.alsoSeenIn?.map(sightingText).join('; ')],
  ['Finding id', (f) => f.id],
];

export function findingsCsv(findings: readonly Finding[]): string {
  const lines = [COLUMNS.map(([h]) => csvCell(h)).join(',')];
  for (const f of findings) lines.push(COLUMNS.map(([, get]) => csvCell(get(f))).join(','));
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}
