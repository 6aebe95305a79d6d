import { describe, expect, it } from 'vitest';
import { analyzeEvents, CaseCollector, detectCandidate } from '../../../shared/detect/engine';
import { generateToMemory } from '../../../shared/generator/generate';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource } from '../../../shared/readers/types';
import { normalize } from '../../../shared/normalize/normalize';
import { sameHost } from '../../../shared/detect/merge-sightings';
import { analyzeGenerated } from './analyze-generated';
import { asSource, procStart, regSet, RUN_HKLM, RUN_HKU } from './helpers';

const PAYLOAD = 'C:\\Users\\bob\\AppData\\Roaming\\upd\\upd.exe';
const sysmon13 = (o: Parameters<typeof regSet>[2] = {}) => regSet(`${RUN_HKU}\\Updater`, PAYLOAD, { guid: '{aaaaaaaa-0000-0000-0000-000000000001}', pid: 4242, ...o });

describe('one write seen by several sources', () => {
  it('merges Sysmon 13, Security 4657 and a Defender row into one corroborated finding led by Sysmon', () => {
    const s = sysmon13({ host: 'WS1.corp.example' });
    const sec = asSource(s, 'security', { at: 0.4 });
    const def = asSource(s, 'defender', { host: 'ws1', at: 1.2 });
    const fs = analyzeEvents([def, sec, s]);
    expect(fs).toHaveLength(1);
    const [f] = fs;
    expect(f.evidence.source).toBe('sysmon');
    expect(f.id).toBe(detectCandidate(s)?.id);
    expect(f.alsoSeenIn?.map((x) => [x.source, x.ref.file, x.ref.recordId ?? x.ref.line])).toEqual([
      ['security', sec.ref.file, sec.ref.recordId],
      ['defender', def.ref.file, def.ref.line],
    ]);
    expect(f.reasons.filter((r) => r.id === 'evidence.corroborated')).toHaveLength(1);
    // each indicator counts once: the score is what the Sysmon record alone scores
    expect(f.score).toBe(analyzeEvents([s])[0].score);
  });

  it('keeps Security as the primary when there is no Sysmon record, Defender as its sighting', () => {
    const s = sysmon13();
    const fs = analyzeEvents([asSource(s, 'defender'), asSource(s, 'security')]);
    expect(fs.map((f) => [f.evidence.source, f.alsoSeenIn?.map((x) => x.source)])).toEqual([['security', ['defender']]]);
  });

  it('keeps writes apart when anything says they differ', () => {
    const s = sysmon13();
    const cases = [
      ['outside the window', asSource(s, 'security', { at: 5 })],
      ['another pid', { ...asSource(s, 'security'), process: { ...s.process, processGuid: undefined, pid: 999 } }],
      ['another writer image', { ...asSource(s, 'security'), process: { image: 'C:\\Windows\\System32\\cmd.exe', pid: 4242 } }],
      ['another host FQDN', asSource(s, 'security', { host: 'WS1.other.example' })],
      ['another data', { ...asSource(s, 'security'), details: PAYLOAD + ' /x' }],
      ['the same source twice (two writes)', { ...sysmon13(), key: 'other.evtx#1' }],
    ] as const;
    for (const [why, other] of cases) {
      const host = s.host === 'WS1' && why === 'another host FQDN' ? { ...s, host: 'WS1.corp.example' } : s;
      expect(analyzeEvents([host, other]).length, why).toBe(2);
    }
  });

  it('tolerates a short host name beside the FQDN and the 1-second precision of other sources', () => {
    const s = sysmon13({ host: 'WS7.corp.example' });
    const sec = asSource(s, 'security', { host: 'ws7', at: 1.9 });
    expect(analyzeEvents([s, sec])).toHaveLength(1);
    expect(sameHost('WS7', 'ws7.corp.example')).toBe(true);
    expect(sameHost('WS7.a.example', 'ws7.b.example')).toBe(false);
  });

  it("lets Sysmon's \"Binary Data\" (it never logs binary contents) agree with the bytes other sources show", () => {
    const key = RUN_HKU.replace(/\\Run$/, '\\Explorer\\StartupApproved\\Run');
    const s = regSet(`${key}\\Teams`, 'Binary Data', { image: 'C:\\Windows\\System32\\Taskmgr.exe', pid: 3028 });
    const sec = { ...asSource(s, 'security'), details: '03 00 00 00 8A 1B' };
    const fs = analyzeEvents([s, sec]);
    expect(fs).toHaveLength(1);
    expect(fs[0].alsoSeenIn?.map((x) => x.source)).toEqual(['security']);
    // two sources showing different bytes are two writes
    expect(analyzeEvents([{ ...asSource(s, 'defender'), details: '02 00' }, sec])).toHaveLength(2);
  });

  it('honours a configured window', () => {
    const s = sysmon13();
    expect(analyzeEvents([s, asSource(s, 'security', { at: 1.5 })], { options: { sightingWindowMs: 1000 } })).toHaveLength(2);
    expect(analyzeEvents([s, asSource(s, 'security', { at: 1.5 })], { options: { sightingWindowMs: 2000 } })).toHaveLength(1);
  });

  it('merges one record read from two copies of the log, but not two records of one file', () => {
    const s = sysmon13();
    const copy = { ...s, key: 'copy.xml#1', ref: { ...s.ref, file: 'copy.xml', format: 'xml' as const } };
    const fs = analyzeEvents([s, copy]);
    expect(fs).toHaveLength(1);
    expect([fs[0].evidence, ...(fs[0].alsoSeenIn ?? [])].map((x) => x.ref.file).sort()).toEqual(['copy.xml', 'test.evtx']);
  });

  it('counts a write once for rarity, whatever the number of sources', () => {
    const evs = ['A', 'B', 'C'].flatMap((h) => {
      const s = regSet(`${RUN_HKLM}\\t`, 'C:\\Program Files\\T\\t.exe', { host: h, image: 'C:\\Program Files\\T\\setup.exe', pid: 10 });
      return h === 'A' ? [s, asSource(s, 'security'), asSource(s, 'defender')] : [];
    });
    evs.push(regSet(`${RUN_HKLM}\\u`, 'C:\\x.exe', { host: 'B' }), regSet(`${RUN_HKLM}\\u`, 'C:\\x.exe', { host: 'C' }));
    const t = analyzeEvents(evs).filter((f) => f.valueName === 't');
    expect(t).toHaveLength(1);
    expect(t[0].rarity).toMatchObject({ hosts: 1, count: 1, totalHosts: 3 });
  });

  it('links the Security 4688 of a command line folded into the merged finding', () => {
    const cmd = 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /d ' + PAYLOAD + ' /f';
    const p = procStart('C:\\Windows\\System32\\reg.exe', cmd, { guid: '{aaaaaaaa-0000-0000-0000-000000000001}', pid: 4242, at: -1 });
    const s = regSet(`${RUN_HKU}\\Updater`, PAYLOAD, { guid: '{aaaaaaaa-0000-0000-0000-000000000001}', pid: 4242 });
    const fs = analyzeEvents([p, asSource(p, 'security'), s, asSource(s, 'security')]);
    expect(fs).toHaveLength(1);
    const sightings = fs[0].correlation.commandLineSightings ?? [];
    expect(sightings.map((l) => [l.ref.file, l.alsoSeenIn?.map((x) => x.source)])).toEqual([[p.ref.file, ['security']]]);
  });
});

describe('process starts seen by several sources', () => {
  it("links the writer's Security 4688 beside its Sysmon 1, and not another process with the pid", () => {
    const guid = '{aaaaaaaa-0000-0000-0000-000000000002}';
    const p = procStart('C:\\Temp\\dropper.exe', '"C:\\Temp\\dropper.exe"', { guid, pid: 4242, at: -30 });
    const other = asSource(procStart('C:\\Windows\\notepad.exe', 'notepad.exe', { pid: 4242, at: -30 }), 'security');
    const twin = asSource(p, 'security');
    const s = regSet(`${RUN_HKU}\\Updater`, PAYLOAD, { guid, pid: 4242, image: 'C:\\Temp\\dropper.exe' });
    const [f] = analyzeEvents([p, other, twin, s]);
    expect(f.correlation.writerProcess?.ref).toEqual(p.ref);
    expect(f.correlation.writerProcess?.alsoSeenIn?.map((x) => [x.source, x.eventId, x.ref])).toEqual([['security', 4688, twin.ref]]);
  });
});

describe('corroboration on generated evidence', () => {
  it('merges the Sysmon, Security and Defender records of every write of the same generated hosts (living-off-the-land, seed 3, EVTX + Defender CSV)', async () => {
    const c = new CaseCollector();
    for (const format of ['evtx', 'csv'] as const) {
      const { files } = generateToMemory({ scenario: 'living-off-the-land', seed: 3, format, events: 300 });
      for (const [file, bytes] of files) {
        if (file.endsWith('answer-key.json')) continue;
        const gen = readEvidence(bytesSource(bytes), { file: `${format}/${file}`, onProblem: () => undefined });
        for (let r = await gen.next(); !r.done; r = await gen.next()) for (const raw of r.value) {
          const ev = normalize(raw);
          if (ev) c.add(ev);
        }
      }
    }
    const findings = c.analyze();
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.basis).toBe('registry');
      expect([f.evidence.source, ...(f.alsoSeenIn ?? []).map((x) => x.source)], `${f.host} ${f.valueName}`).toEqual(['sysmon', 'security', 'defender']);
      expect(f.rarity?.count).toBe(findings.filter((g) => g.location === f.location && g.normalizedValue === f.normalizedValue).length);
    }
  });

  it('reports each write of a Sysmon + Security host once, citing both records (living-off-the-land, seed 1)', async () => {
    const { findings } = await analyzeGenerated({ scenario: 'living-off-the-land', seed: 1, format: 'evtx' });
    const writes = findings.filter((f) => f.basis === 'registry');
    const keys = writes.map((f) => `${f.host}|${f.registryKey}|${f.valueName}|${f.value}|${Math.round(f.timeMs / 2000)}`);
    expect(new Set(keys).size).toBe(keys.length);
    const corroborated = writes.filter((f) => f.alsoSeenIn?.length);
    expect(corroborated.length).toBeGreaterThan(0);
    for (const f of corroborated) {
      expect(f.evidence.source).toBe('sysmon');
      expect(f.alsoSeenIn?.map((x) => [x.source, x.eventId])).toEqual([['security', 4657]]);
      expect(f.alsoSeenIn?.[0].ref.file).toMatch(/-Security\.evtx$/);
    }
  });
});
