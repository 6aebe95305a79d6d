// The workers read EVTX on the wantedFields fast path (only what normalize and the Sigma rules read).
// What a job reports (candidates, correlation index, counts) must be exactly what a full decode
// gives, for a whole file, for chunk ranges and for an EVTX member of a zip (readEvidence passes the
// names through to archive members).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { runJob, scanWantedFields, type ScanRules } from '../../../electron/workers/run-job';
import type { WorkerBatch } from '../../../electron/workers/engine-stage';
import type { Job } from '../../../electron/workers/protocol';
import { ProcessTable } from '../../../shared/detect/process-table';
import type { IndexedProcess } from '../../../shared/detect/engine';
import { buildRuleset } from '../../../shared/sigma/index';
import { normalizeInputNames } from '../../../shared/normalize/normalize';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { bytesSource, collect } from '../../../shared/readers/types';
import { HAVE_SAMPLES, NO_SAMPLES_REASON, samplePath } from '../../samples';
import { tempDir } from '../backend/helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
/** No rules, and fields undefined: what a keyword rule set asks for, i.e. a full decode. */
const FULL_DECODE: ScanRules = { ruleset: buildRuleset([]), fields: undefined };

/** A batch's process starts as objects (the worker sends them column-wise). */
function tableOf(b: WorkerBatch): IndexedProcess[] {
  const t = new ProcessTable();
  if (b.processes) t.appendBatch(b.processes);
  return [...t];
}

async function run(job: Job, rules?: ScanRules) {
  const batches: WorkerBatch[] = [];
  const out = await runJob(job, { progress: () => undefined, batch: (b) => batches.push(b), problem: () => undefined }, () => false, 100, rules);
  // batch boundaries follow time; compare the concatenation
  const merged = {
    candidates: batches.flatMap((b) => b.candidates),
    sigmaFindings: batches.flatMap((b) => b.sigmaFindings),
    processes: batches.flatMap((b) => [...b.index.processes, ...tableOf(b)]),
    files: batches.flatMap((b) => b.index.files),
    deletions: batches.flatMap((b) => b.index.deletions),
  };
  return { merged, records: batches.reduce((n, b) => n + b.records, 0), normalized: out.result?.normalized };
}

describe('scanWantedFields', () => {
  it('is what normalize reads without rules, adds the rules\' fields, and is a full decode when a rule reads every field', () => {
    expect(scanWantedFields()).toBe(normalizeInputNames());
    const rules: ScanRules = { ruleset: buildRuleset([]), fields: new Set(['Description']) };
    const w = scanWantedFields(rules);
    expect(w?.has('Description')).toBe(true);
    expect([...normalizeInputNames()].every((n) => w?.has(n))).toBe(true);
    expect(scanWantedFields(FULL_DECODE)).toBeUndefined();
  });
});

describe.skipIf(!HAVE_SAMPLES)('worker jobs on the fast path', () => {
  if (!HAVE_SAMPLES) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  let dir: string;
  let zip: string;
  beforeAll(async () => {
    dir = await tempDir('fastpath');
    zip = join(dir, 'evidence.zip');
    await writeFile(zip, zipSync({ 'logs/panache.evtx': new Uint8Array(await readFile(samplePath(PANACHE))) }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const read = (path: string, chunkRange?: [number, number]): Job => ({ kind: 'read', jobId: 1, fileId: 'f', path, name: path, hash: false, chunkRange });

  it.each([
    ['a whole EVTX file', () => read(samplePath(PANACHE))],
    ['a chunk range', () => read(samplePath(PANACHE), [3, 9])],
    ['an EVTX member of a zip', () => read(zip)],
  ])('reports for %s exactly what a full decode reports', async (_label, job) => {
    const fast = await run(job());
    const full = await run(job(), FULL_DECODE);
    expect(full.records).toBeGreaterThan(0);
    expect(full.normalized).toBeGreaterThan(0);
    expect(fast).toEqual(full);
  });

  it('decodes only the wanted EventData names in an EVTX archive member', async () => {
    const wanted = new Set(['Image']);
    const events = await collect(readEvidence(bytesSource(new Uint8Array(await readFile(zip))), { file: zip, onProblem: () => undefined }, { evtxWantedFields: wanted }));
    expect(events.length).toBeGreaterThan(500);
    expect(events.every((e) => e.ref.member === 'logs/panache.evtx' && Object.keys(e.data).every((k) => wanted.has(k)))).toBe(true);
    expect(events.some((e) => e.data.Image !== undefined)).toBe(true);
  });
});

if (!HAVE_SAMPLES) {
  describe('worker jobs on the fast path', () => {
    it.skip(NO_SAMPLES_REASON, () => undefined);
  });
}
