// The back half in plain Node: real samples read through the REAL worker pool (worker threads via
// the tsx bootstrap). Expected findings are not hard-coded: they are what the engine finds reading
// the same files in-process (analyzeEvents), so these tests check the pool, the split of one EVTX
// file over workers, the merge and the case state, not the detection rules.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { sha256File } from '../../../electron/io/hash';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { analyzeEvents } from '../../../shared/detect/engine';
import type { NormalizedEvent } from '../../../shared/model/events';
import type { Finding } from '../../../shared/model/finding';
import type { CaseSnapshot } from '../../../shared/api';
import { fingerprint, tempDir, testBackend } from './helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const HIDDEN_RUN = 'sbousseaden_EVTX-ATTACK-SAMPLES/Persistence/evasion_persis_hidden_run_keyvalue_sysmon_13.evtx';

async function inProcessFindings(paths: string[]): Promise<Finding[]> {
  const events: NormalizedEvent[] = [];
  for (const p of paths) {
    for await (const batch of readEvidenceFile(p, { onProblem: () => undefined })) {
      for (const raw of batch) {
        const ev = normalize(raw);
        if (ev) events.push(ev);
      }
    }
  }
  return analyzeEvents(events);
}

/** A file of pseudo-random bytes (fixed seed): no reader recognises it. */
function damagedBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x >> 16;
  }
  return b;
}

describe.skipIf(!HAVE_SAMPLES)('back half ingestion through the worker pool', () => {
  let evidenceDir: string;
  let damaged: string;
  beforeAll(async () => {
    evidenceDir = await tempDir('evidence');
    damaged = join(evidenceDir, 'damaged.evtx');
    await writeFile(damaged, damagedBytes(200_000, 7));
  });
  afterAll(async () => {
    await rm(evidenceDir, { recursive: true, force: true });
  });

  it('reads real samples split over two workers, with monotonic progress, hashes and the same findings as one in-process pass; a damaged file beside them yields one error', async () => {
    const good = [samplePath(PANACHE), samplePath(HIDDEN_RUN)];
    const before = await Promise.all(good.map((p) => sha256File(p)));
    const evidenceBefore = await fingerprint(evidenceDir);
    // split every EVTX file into ranges of 2 chunks so one file is spread over both workers
    const t = await testBackend({ workers: 2, plan: { splitThreshold: 1, minChunksPerJob: 2, jobsPerWorker: 4 } });
    try {
      const opened = await t.backend.openPaths([...good, damaged]);
      expect(opened.ok).toBe(true);
      await t.backend.whenIdle();

      // progress: arrives, never goes backwards (overall and per file), and ends complete
      const progress = t.of('ingest.progress');
      expect(progress.length).toBeGreaterThan(0);
      const perFile = new Map<string, number>();
      let lastBytes = -1;
      let lastRecords = -1;
      for (const p of progress) {
        expect(p.progress.bytesDone).toBeGreaterThanOrEqual(lastBytes);
        expect(p.progress.records).toBeGreaterThanOrEqual(lastRecords);
        lastBytes = p.progress.bytesDone;
        lastRecords = p.progress.records;
        for (const f of p.files) {
          expect(f.bytesRead).toBeGreaterThanOrEqual(perFile.get(f.id) ?? 0);
          perFile.set(f.id, f.bytesRead);
        }
      }
      const done = t.of('ingest.done');
      expect(done).toHaveLength(1);
      const snap: CaseSnapshot = done[0].snapshot;
      expect(done[0].cancelled).toBe(false);
      expect(snap.state).toBe('ready');
      expect(snap.progress.bytesDone).toBe(snap.progress.bytesTotal);

      // per-file state: the good files read whole and hashed; the damaged one failed with ONE error
      const byName = new Map(snap.files.map((f) => [f.name, f]));
      for (const [i, p] of good.entries()) {
        const f = byName.get(p);
        expect(f?.state).toBe('done');
        expect(f?.sha256).toBe(before[i]);
        expect(f?.format).toBe('evtx');
        expect(f?.records).toBeGreaterThan(0);
        expect(f?.firstProblems.filter((x) => x.level === 'error')).toEqual([]);
      }
      const bad = byName.get(damaged);
      expect(bad?.state).toBe('failed');
      const errors = t.of('ingest.problem').filter((x) => x.problem.level === 'error');
      expect(errors.map((e) => [e.problem.file, e.problem.code])).toEqual([[damaged, 'UNKNOWN_FORMAT']]);

      // findings: the same set one in-process pass finds on the good files
      const expected = await inProcessFindings(good);
      expect(expected.length).toBeGreaterThan(0);
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const got = (list.value as { findings: Finding[] }).findings;
      expect(got.map((f) => f.id).sort()).toEqual(expected.map((f) => f.id).sort());
      expect(t.of('findings.replaced').at(-1)?.findings.length).toBe(expected.length);
      // preliminary findings were pushed while reading
      expect(t.of('findings.added').flatMap((x) => x.findings).length).toBeGreaterThan(0);

      // evidence untouched, nothing written beside it
      expect(await Promise.all(good.map((p) => sha256File(p)))).toEqual(before);
      expect(await fingerprint(evidenceDir)).toEqual(evidenceBefore);
    } finally {
      await t.cleanup();
    }
  });

  it('gives one finding its correlated events and one record its raw XML, re-read by reference', async () => {
    const t = await testBackend({ workers: 1 });
    try {
      await t.backend.openPaths([samplePath(PANACHE)]);
      await t.backend.whenIdle();
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const findings = (list.value as { findings: Finding[] }).findings;
      const withWriter = findings.find((f) => f.correlation.writerProcess);
      expect(withWriter).toBeDefined();
      if (!withWriter) return;
      const ev = await t.backend.invoke('finding.events', { findingId: withWriter.id });
      if (!ev.ok) throw new Error(ev.error.message);
      const events = (ev.value as { events: { role: string; fields?: Record<string, unknown>; link: { key: string } }[] }).events;
      expect(events.find((e) => e.role === 'write')?.link.key).toBe(withWriter.evidence.key);
      const writer = events.find((e) => e.role === 'writer-process');
      expect(String(writer?.fields?.image).toLowerCase()).toBe(withWriter.writer.image?.toLowerCase());

      const raw = await t.backend.invoke('record.raw', { ref: withWriter.evidence.ref });
      if (!raw.ok) throw new Error(raw.error.message);
      const rec = raw.value as { syntax: string; text: string };
      expect(rec.syntax).toBe('xml');
      // the one record of the finding (its time and the value it wrote), not the log
      expect(rec.text).toContain(`SystemTime="${withWriter.time}"`);
      expect(rec.text).toContain(withWriter.valueName ?? '');
      expect(rec.text.match(/<Event[ >]/g)).toHaveLength(1);

      // Panache is a re-exported log: record headers are renumbered from 1, the System EventRecordID
      // keeps the host's id (3572 and up). Every finding cites the EventRecordID, keeps the header
      // id beside it, and its raw record (found by chunk + offset) is the record with that id.
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) {
        const ref = f.evidence.ref;
        expect(ref.headerRecordId, f.id).toBeDefined();
        expect(ref.recordId, f.id).toBeGreaterThan(ref.headerRecordId ?? Infinity);
        const r = await t.backend.invoke('record.raw', { ref });
        if (!r.ok) throw new Error(r.error.message);
        expect((r.value as { text: string }).text, f.id).toContain(`<EventRecordID>${ref.recordId}</EventRecordID>`);
      }
      // the correlated events (writer process start ...) cite and re-read their records the same way
      const linked = (ev.value as { events: { link: { ref: Finding['evidence']['ref'] } }[] }).events.map((e) => e.link.ref);
      expect(linked.length).toBeGreaterThan(1);
      for (const ref of linked) {
        expect(ref.headerRecordId).toBeDefined();
        const r = await t.backend.invoke('record.raw', { ref });
        if (!r.ok) throw new Error(r.error.message);
        expect((r.value as { text: string }).text).toContain(`<EventRecordID>${ref.recordId}</EventRecordID>`);
      }

      // a file outside the case is refused
      const outside = await t.backend.invoke('record.raw', { ref: { ...withWriter.evidence.ref, file: '/etc/passwd' } });
      expect(outside.ok ? 'ok' : outside.error.code).toBe('NOT_FOUND');
    } finally {
      await t.cleanup();
    }
  });
});

describe.skipIf(!HAVE_SAMPLES)('raw record of an archive member', () => {
  it('re-reads the member through the readers and shows that one record as JSON', async () => {
    const zip = samplePath('OTRF_Security-Datasets/datasets/atomic/windows/persistence/host/empire_persistence_registry_modification_run_keys_standard_user.zip');
    const t = await testBackend({ workers: 2 });
    try {
      await t.backend.openPaths([zip]);
      await t.backend.whenIdle();
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const f = (list.value as { findings: Finding[] }).findings.find((x) => x.evidence.ref.member !== undefined);
      expect(f).toBeDefined();
      if (!f) return;
      const raw = await t.backend.invoke('record.raw', { ref: f.evidence.ref });
      if (!raw.ok) throw new Error(raw.error.message);
      const rec = raw.value as { syntax: string; text: string };
      expect(rec.syntax).toBe('json');
      const parsed = JSON.parse(rec.text) as { system: { recordId?: number } };
      expect(parsed.system.recordId).toBe(f.evidence.ref.recordId);
    } finally {
      await t.cleanup();
    }
  });
});

if (!HAVE_SAMPLES) {
  describe('back half ingestion', () => {
    it.skip(NO_SAMPLES_REASON, () => undefined);
  });
}
