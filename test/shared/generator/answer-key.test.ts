// The answer key is checked against the evidence actually written, read back by the project's
// readers: every key entry points at a real record with the stated content, every autostart
// write in the evidence is in the key (as an attack or as benign), and every story's chain is
// complete (persistence before its firing at logon; RunOnce values deleted when they fire).

import { describe, expect, it } from 'vitest';
import { generateToMemory } from '../../../shared/generator/generate';
import { SCENARIOS, type OutputFormat } from '../../../shared/generator/scenarios';
import { findStory } from '../../../shared/generator/stories/attacks';
import { canonicalRegistryPath } from '../../../shared/model/registry-path';
import type { AnswerKey, AnswerRecord } from '../../../shared/generator/answer-key';
import type { NormalizedEvent } from '../../../shared/model/events';
import { readBack } from './read-back';

const SEED = 424242;
const FORMAT_FOR: Readonly<Record<string, OutputFormat>> = { mixed: 'evtx', 'defender-fleet': 'csv', 'startup-folder': 'xml' };

const ASEP = /\\CurrentVersion\\(Run|RunOnce|Policies\\Explorer\\Run)(\\|$)|\\Winlogon\\(Userinit|Shell)$|\\User Shell Folders\\Startup$|\\Policies\\Explorer\\New Key #1$/i;
const STARTUP = /\\Start Menu\\Programs\\Startup\\|^C:\\Users\\Public\\Libraries\\Startup\\/i;

interface Written {
  key: AnswerKey;
  byRef: Map<string, NormalizedEvent>;
  events: NormalizedEvent[];
}

async function write(scenario: string, format: OutputFormat): Promise<Written> {
  const { files, key } = generateToMemory({ scenario, seed: SEED, events: 300, format });
  const byRef = new Map<string, NormalizedEvent>();
  const events: NormalizedEvent[] = [];
  for (const [name, bytes] of files) {
    if (name === 'answer-key.json') continue;
    const r = await readBack(name, bytes);
    expect(r.problems, name).toEqual([]);
    for (const e of r.events) {
      events.push(e);
      const id = format === 'evtx' || format === 'xml' ? `r${e.ref.recordId}` : `l${e.ref.line}`;
      byRef.set(`${name}#${id}#${e.source}`, e);
    }
  }
  return { key, byRef, events };
}

function refKey(r: AnswerRecord): string {
  const id = r.ref.format === 'evtx' || r.ref.format === 'xml' ? `r${r.ref.recordId}` : `l${r.ref.line}`;
  const source = r.ref.format === 'csv' ? 'defender' : r.ref.channel === 'Security' ? 'security' : r.ref.channel?.includes('PowerShell') ? 'powershell' : 'sysmon';
  return `${r.ref.file}#${id}#${source}`;
}

/** The key spells data as Sysmon does; Security and Defender write DWORDs as numbers and no binary data. */
function sysmonSpelling(d: string | undefined): string {
  if (d === undefined || d === '') return 'Binary Data';
  return /^\d+$/.test(d) ? `DWORD (0x${Number(d).toString(16).padStart(8, '0')})` : d;
}

function mismatches(r: AnswerRecord, e: NormalizedEvent): string[] {
  const d: string[] = [];
  const same = (what: string, a: string | undefined, b: string | undefined, ci = false) => {
    if (a === undefined) return;
    if ((ci ? a.toLowerCase() : a) !== (ci ? (b ?? '').toLowerCase() : b)) d.push(`${what}: key ${JSON.stringify(a)} evidence ${JSON.stringify(b)}`);
  };
  same('host', r.host, e.host, true);
  same('kind', r.kind, e.kind);
  if (e.kind === 'registry') {
    same('registry key', canonicalRegistryPath(r.fields.registryKey ?? ''), e.registryKey);
    if (r.action === 'set-value' || r.action === 'delete-value') same('value name', r.fields.valueName, e.valueName);
    if (r.action === 'set-value') same('details', r.fields.details, sysmonSpelling(e.details));
    same('action', r.action, e.action);
  } else if (e.kind === 'process') {
    same('image', r.fields.image, e.process.image, true);
    same('command line', r.fields.commandLine, e.process.commandLine);
    same('parent image', r.fields.parentImage, e.parent.image, true);
  } else if (e.kind === 'file') {
    same('file', r.fields.targetFilename, e.targetFilename);
  }
  if (e.kind !== 'process' || e.source !== 'security') same('writer', r.fields.image, e.process.image, true);
  same('time', r.time.slice(0, 23), e.time.slice(0, 23));
  return d;
}

describe.each(SCENARIOS.map((s) => [s.id]))('answer key of scenario %s', (id) => {
  const format = FORMAT_FOR[id] ?? 'ndjson';

  it(`points every entry at a written ${format} record with the stated content`, async () => {
    const w = await write(id, format);
    expect(w.key.records.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const r of w.key.records) {
      const e = w.byRef.get(refKey(r));
      if (!e) problems.push(`${r.story}/${r.role}: no record at ${refKey(r)}`);
      else problems.push(...mismatches(r, e).map((m) => `${r.story}/${r.role} ${refKey(r)}: ${m}`));
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('lists every autostart write and Startup-folder file in the evidence', async () => {
    const w = await write(id, format);
    const inKey = new Set(w.key.records.map(refKey));
    const missing: string[] = [];
    for (const e of w.events) {
      const asep = (e.kind === 'registry' && ASEP.test(e.targetObject)) || (e.kind === 'file' && STARTUP.test(e.targetFilename));
      if (!asep) continue;
      const id2 = format === 'evtx' || format === 'xml' ? `r${e.ref.recordId}` : `l${e.ref.line}`;
      const k = `${e.ref.file}#${id2}#${e.source}`;
      if (!inKey.has(k)) missing.push(`${k} ${e.kind === 'registry' ? e.targetObject : e.kind === 'file' ? e.targetFilename : ''}`);
    }
    expect(missing).toEqual([]);
  });

  it('holds each story\'s whole chain: writer, persistence (with a severity floor), and its firing at a later logon', async () => {
    const w = await write(id, format);
    const scenario = SCENARIOS.find((s) => s.id === id);
    expect(new Set(w.key.stories.map((s) => s.id))).toEqual(new Set(scenario?.stories));
    for (const s of w.key.stories) {
      const recs = w.key.records.filter((r) => r.story === s.id);
      const persistence = recs.filter((r) => r.role === 'persistence' && r.minSeverity);
      const fired = recs.filter((r) => r.role === 'execution');
      expect(persistence.length, `${s.id} persistence`).toBeGreaterThan(0);
      expect(recs.some((r) => r.role === 'writer-process') || persistence.some((r) => r.kind === 'registry'), `${s.id} writer`).toBe(true);
      expect(fired.length, `${s.id} execution`).toBeGreaterThan(0);
      expect(fired[0].time > persistence[0].time, `${s.id} fires after the write`).toBe(true);
      for (const r of recs) expect(r.techniques.length, `${s.id}/${r.role} techniques`).toBeGreaterThan(0);
      const story = findStory(s.id);
      for (const r of persistence) for (const t of story?.techniques ?? []) expect(r.techniques).toContain(t);
    }
    const benign = w.key.records.filter((r) => !r.malicious);
    expect(benign.length).toBeGreaterThan(0);
    for (const r of benign) expect(r.maxSeverity).toBe('low');
    if (id === 'benign-only') expect(w.key.records.filter((r) => r.malicious)).toEqual([]);
  });
});

describe('answer key chain details', () => {
  it('deletes a RunOnce value (by explorer.exe) just before its payload starts with explorer.exe as parent', async () => {
    const { key } = generateToMemory({ scenario: 'living-off-the-land', seed: SEED, events: 200, format: 'ndjson' });
    for (const story of ['mshta-runonce', 'rundll32-runonce', 'runonce-self-delete']) {
      const recs = key.records.filter((r) => r.story === story && r.ref.channel?.includes('Sysmon'));
      const set = recs.find((r) => r.role === 'persistence');
      const del = recs.find((r) => r.role === 'cleanup');
      const run = recs.find((r) => r.role === 'execution');
      expect(set && del && run, story).toBeTruthy();
      expect(del?.action).toBe('delete-value');
      expect(del?.fields.image?.toLowerCase()).toBe('c:\\windows\\explorer.exe');
      expect(del?.fields.valueName).toBe(set?.fields.valueName);
      expect(run?.fields.parentImage?.toLowerCase()).toBe('c:\\windows\\explorer.exe');
      expect(set && del && set.time < del.time && del.time <= (run?.time ?? '')).toBe(true);
    }
  });

  it('fires a Userinit append from winlogon.exe and a Shell replacement from userinit.exe', () => {
    const { key } = generateToMemory({ scenario: 'winlogon-tampering', seed: SEED, events: 200, format: 'ndjson' });
    const exec = (story: string) => key.records.find((r) => r.story === story && r.role === 'execution' && r.ref.channel?.includes('Sysmon'));
    expect(exec('winlogon-userinit')?.fields.parentImage).toBe('C:\\Windows\\System32\\winlogon.exe');
    expect(exec('winlogon-shell')?.fields.parentImage).toBe('C:\\Windows\\System32\\userinit.exe');
    const userinit = key.records.find((r) => r.story === 'winlogon-userinit' && r.role === 'persistence' && r.ref.channel?.includes('Sysmon'));
    expect(userinit?.fields.registryKey).toBe('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon');
    expect(userinit?.fields.details).toMatch(/^C:\\Windows\\system32\\userinit\.exe,C:\\ProgramData\\/);
  });

  it('puts minimum severities on persistence records only; regedit\'s bare "New Key #1" is chain context', () => {
    const { key } = generateToMemory({ scenario: 'masquerade-and-variants', seed: SEED, events: 100, format: 'ndjson' });
    expect(key.version).toBe(2);
    for (const r of key.records) if (r.minSeverity) expect(r.role, `${r.story} ${r.action}`).toBe('persistence');
    const story = key.records.filter((r) => r.story === 'policies-explorer-run' && r.kind === 'registry');
    const byAction = (a: string) => story.filter((r) => r.action === a).map((r) => [r.role, r.minSeverity]);
    expect(byAction('create-key').every(([role, min]) => role === 'chain-context' && min === undefined)).toBe(true);
    expect(byAction('rename-key').every(([role, min]) => role === 'persistence' && min === 'high')).toBe(true);
    expect(byAction('set-value').every(([role, min]) => role === 'persistence' && min === 'high')).toBe(true);
    expect(byAction('create-key').length).toBeGreaterThan(0);
  });

  it('writes a real -EncodedCommand: base64 of the script in UTF-16LE', () => {
    const { key } = generateToMemory({ scenario: 'classroom-basics', seed: SEED, events: 100, format: 'ndjson' });
    const rec = key.records.find((r) => r.story === 'encoded-powershell-run' && r.role === 'persistence');
    const b64 = /-EncodedCommand (\S+)/.exec(rec?.fields.details ?? '')?.[1] ?? '';
    const script = Buffer.from(b64, 'base64').toString('utf16le');
    expect(script).toMatch(/^\$c=New-Object Net\.WebClient;.*DownloadString\('https:\/\/[^']+'\)$/);
    expect(rec?.minSeverity).toBe('critical');
    expect(rec?.techniques).toEqual(expect.arrayContaining(['T1547.001', 'T1059.001']));
  });
});
