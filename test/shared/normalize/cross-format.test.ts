// End-to-end normalization of real evidence, and the strongest check of the EVTX reader against
// the JSON reader: every SigmaHQ regression folder holds an .evtx and a .json of the same records,
// and both must normalize to the same events.
//
// The JSON twins were written by evtx_dump (omerbenamram/evtx), which differs from the EVTX bytes in
// three ways that are genuine differences of the source data, not of our readers (checked against
// `evtxexport -f xml` on the same files):
//  - it writes SystemTime with 6 fractional digits (the FILETIME has 7): the JSON's time is the
//    EVTX time with the last digit cut, and the same timeMs;
//  - it trims trailing white space from string values: Sysmon's CommandLine / ParentCommandLine
//    often end with a space (`"C:\Windows\system32\cmd.exe" `), the JSON's do not;
//  - it writes GUIDs without braces, integers as numbers: the raw values differ in form only (the
//    normalized ProcessGuid is "{lower-case}" from both).

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, readManifest, samplePath } from '../../samples';
import { normalize } from '../../../shared/normalize/normalize';
import type { NormalizedEvent } from '../../../shared/model/events';
import { rawString, type RawEvent, type RawValue } from '../../../shared/model/raw-event';
import { readBytes } from '../readers/read-helpers';

const d = HAVE_SAMPLES ? describe : describe.skip;
if (!HAVE_SAMPLES) console.warn(`[skip] cross-format normalization tests: ${NO_SAMPLES_REASON}`);

function evtxFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) evtxFiles(p, out);
    else if (n.endsWith('.evtx')) out.push(p);
  }
  return out;
}

/** The normalized event as evtx_dump's JSON would give it: see the header comment. */
function asWrittenByEvtxDump(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return key === 'time' ? v.replace(/^(.*\.\d{6})\d(Z)$/, '$1$2') : v.trimEnd();
  if (Array.isArray(v)) return v.map((x) => asWrittenByEvtxDump(x));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asWrittenByEvtxDump(x, k)]));
  return v;
}

/**
 * Twins that are not evtx_dump output of the same bytes. The right-to-left-override folder's JSON was
 * written by hand from a forwarded event: its SystemTime keeps the 9 digits of the forwarded text
 * (both readers give 7, so the times are equal), and its ParentCommandLine says "Explorer.exe" where
 * the EVTX (and evtxexport) say "Explorer.EXE". Its values are trimmed like evtx_dump's.
 */
const HAND_WRITTEN_TWINS: Readonly<Partial<Record<string, (n: Record<string, unknown>, evtx: NormalizedEvent) => void>>> = {
  'ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx': (n, evtx) => {
    n.time = evtx.time;
    const parent = n.parent as { commandLine?: string };
    if (parent.commandLine === 'C:\\Windows\\Explorer.EXE') parent.commandLine = 'C:\\Windows\\Explorer.exe';
  },
};

function withoutRef(n: NormalizedEvent | undefined): Record<string, unknown> | undefined {
  if (!n) return undefined;
  const { ref, key, ...rest } = n;
  void ref;
  void key;
  return rest;
}

/** Raw values equal but for evtx_dump's spelling: number vs string, GUID braces and case, trailing blanks. */
function sameRaw(a: RawValue | undefined, b: RawValue | undefined): boolean {
  const s = (v: RawValue | undefined) => (rawString(v) ?? '').trimEnd().replace(/^\{([0-9a-f-]{36})\}$/i, '$1').toLowerCase();
  return s(a) === s(b);
}

const SYSTEM_COMPARED = ['provider', 'eventId', 'version', 'level', 'task', 'opcode', 'recordId', 'processId', 'threadId', 'channel', 'computer', 'userSid'] as const;

d('SigmaHQ regression data: each .evtx and its .json twin normalize to the same events', () => {
  it('gives identical normalized events (and the same raw System / EventData values) for every pair', async () => {
    const files = evtxFiles(samplePath('SigmaHQ_sigma/regression_data'));
    expect(files.length).toBeGreaterThan(150);
    let pairs = 0;
    let normalized = 0;
    const kinds = new Set<string>();
    for (const evtx of files) {
      const json = evtx.replace(/\.evtx$/, '.json');
      const read = await readBytes(new Uint8Array(readFileSync(evtx)), evtx);
      // the JSON twin holds the log's allocated records; records carved from the EVTX's slack (ref.recovered) have none
      const a = { ...read, events: read.events.filter((e) => !e.ref.recovered) };
      const b = await readBytes(new Uint8Array(readFileSync(json)), json);
      expect(a.problems, evtx).toEqual([]);
      expect(b.problems, json).toEqual([]);
      expect(a.events.length, evtx).toBe(b.events.length);
      expect(a.events.length, evtx).toBeGreaterThan(0);
      const byRecord = new Map<number | undefined, RawEvent>(b.events.map((e) => [e.system.recordId, e]));
      for (const ea of a.events) {
        const eb = byRecord.get(ea.system.recordId);
        expect(eb, `${evtx} record ${ea.system.recordId}`).toBeDefined();
        if (!eb) continue;
        const where = `${evtx} record ${ea.system.recordId}`;
        for (const k of SYSTEM_COMPARED) expect(ea.system[k], `${where} System.${k}`).toEqual(eb.system[k]);
        expect(Date.parse(ea.system.timeCreated ?? ''), where).toBe(Date.parse(eb.system.timeCreated ?? ''));
        expect(Object.keys(ea.data).sort(), where).toEqual(Object.keys(eb.data).sort());
        for (const k of Object.keys(ea.data)) expect(sameRaw(ea.data[k], eb.data[k]), `${where} ${k}: ${JSON.stringify(ea.data[k])} vs ${JSON.stringify(eb.data[k])}`).toBe(true);
        const na = normalize(ea);
        const nb = normalize(eb);
        const fix = HAND_WRITTEN_TWINS[evtx.slice(evtx.lastIndexOf('/') + 1)];
        const expected = withoutRef(nb);
        const got = asWrittenByEvtxDump(withoutRef(na)) as Record<string, unknown> | undefined;
        if (fix && got && na) fix(got, na);
        expect(got, where).toEqual(expected);
        if (na) {
          normalized++;
          kinds.add(`${na.source}/${na.kind}`);
          expect(na.time, where).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
          expect(nb?.time, where).toMatch(fix ? /^\S+\.\d{7}Z$/ : /^\S+\.\d{6}Z$/);
        }
      }
      pairs++;
    }
    expect(pairs).toBe(files.length);
    expect(normalized).toBeGreaterThan(150);
    expect([...kinds].sort()).toEqual(['sysmon/file', 'sysmon/process', 'sysmon/registry']);
  }, 120_000);
});

d('real samples normalize end to end', () => {
  const manifest = readManifest();
  const row = (rel: string) => manifest.find((r) => r.path === rel);
  const RUN = /\\Software\\Microsoft\\Windows\\CurrentVersion\\Run(Once(Ex)?)?(\\|$)/i;

  it('PanacheSysmon_vs_AtomicRedTeam01.evtx: Sysmon 1 / 11 / 12 / 13 as process, file and registry events with the MANIFEST counts', async () => {
    const rel = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
    const m = row(rel);
    const r = await readBytes(new Uint8Array(readFileSync(samplePath(rel))), rel);
    const norm = r.events.map(normalize).filter((n): n is NormalizedEvent => n !== undefined);
    const count = (id: number) => norm.filter((n) => n.eventId === id).length;
    expect(count(1)).toBe(Number(m?.raw.sysmon_1));
    expect(count(11)).toBe(Number(m?.raw.sysmon_11));
    expect(count(12)).toBe(Number(m?.raw.sysmon_12));
    expect(count(13)).toBe(Number(m?.raw.sysmon_13));
    for (const n of norm) {
      expect(n.host).not.toBe('');
      expect(n.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
      expect(n.process.image).toMatch(/^[A-Za-z]:\\|^System$/);
      expect(n.process.pid).toBeTypeOf('number');
      expect(n.process.processGuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
      if (n.kind === 'process') expect(n.parent.image).toBeTruthy();
      if (n.kind === 'registry') expect(n.registryKey).toMatch(/^(HKLM|HKU|HKCR|HKCU)\\/);
    }
    const runWrites = norm.filter((n) => n.kind === 'registry' && RUN.test(n.targetObject));
    expect(runWrites.length).toBe(6); // MANIFEST: sysmon_12:3, sysmon_13:3
    // Atomic Red Team adds a Run, a RunOnce and a RunOnceEx value and deletes each again (Sysmon 12 DeleteValue)
    const set = runWrites.filter((n) => n.kind === 'registry' && n.action === 'set-value');
    expect(set.length).toBe(3);
    expect(runWrites.filter((n) => n.kind === 'registry' && n.action === 'delete-value' && n.eventId === 12).length).toBe(3);
    for (const n of set) if (n.kind === 'registry') expect(n.valueName && n.details).toBeTruthy();
  });

  it('OTRF reg_disable_eventlog (flat JSON in a zip): Security 4657 and 4688 with hex pids, accounts and canonical keys', async () => {
    const rel = 'OTRF_Security-Datasets/datasets/atomic/windows/defense_evasion/host/reg_disable_eventlog_service_startuptype_modification_via_registry.zip';
    const m = row(rel);
    const r = await readBytes(new Uint8Array(readFileSync(samplePath(rel))), rel);
    const norm = r.events.map(normalize).filter((n): n is NormalizedEvent => n !== undefined);
    const sec = norm.filter((n) => n.source === 'security');
    expect(sec.filter((n) => n.eventId === 4657).length).toBe(Number(m?.raw.sec_4657));
    expect(sec.filter((n) => n.eventId === 4688).length).toBe(Number(m?.raw.sec_4688));
    const raw4657 = r.events.find((e) => e.system.eventId === 4657) as RawEvent;
    const n4657 = normalize(raw4657);
    expect(n4657).toMatchObject({ kind: 'registry', source: 'security', host: 'Pedro01' });
    if (n4657?.kind === 'registry') {
      expect(n4657.registryKey).toMatch(/^HKLM\\SYSTEM\\/);
      expect(n4657.process.pid).toBe(parseInt(String(raw4657.data.ProcessId), 16));
      expect(n4657.user).toBe(`${String(raw4657.data.SubjectDomainName)}\\${String(raw4657.data.SubjectUserName)}`);
    }
    for (const n of sec.filter((x) => x.kind === 'process')) {
      if (n.kind !== 'process') continue;
      const raw = r.events.find((e) => e.system.eventId === 4688 && e.ref.line === n.ref.line) as RawEvent;
      expect(n.process.pid).toBe(parseInt(String(raw.data.NewProcessId), 16));
      expect(n.parent.pid).toBe(parseInt(String(raw.data.ProcessId), 16));
      expect(n.process.image).toBe(raw.data.NewProcessName);
      expect(n.user).toMatch(/\\/);
    }
  });
});
