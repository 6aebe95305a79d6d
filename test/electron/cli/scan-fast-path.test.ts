// The CLI scan and the ingest workers read EVTX on the same path: both hand readEvidence the options
// scanReadOptions builds (the wantedFields fast path: only what normalize and the Sigma rules read).
// readEvidence is wrapped in a spy, so the options each host really passes are what is compared.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { runJob, type ScanRules } from '../../../electron/workers/run-job';
import type { Job } from '../../../electron/workers/protocol';
import { normalizeInputNames } from '../../../shared/normalize/normalize';
import { buildRuleset, compileRules, loadSigmaRules, sigmaReferencedFields } from '../../../shared/sigma/index';
import { readSigmaFolder } from '../../../electron/backend/sigma-folder';
import { runScanCaptured } from './run-scan';
import { writeGeneratedCase } from './generated-case';

vi.mock('../../../shared/readers/read-evidence', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../../shared/readers/read-evidence')>();
  return { ...m, readEvidence: vi.fn(m.readEvidence) };
});

const RULE = `title: Run value naming a field no normalizer reads
id: 5b0c7a52-6a3f-4c1e-9d0e-2f6f4a1b7c11
status: test
logsource:
  product: windows
  category: registry_set
detection:
  selection:
    TargetObject|contains: '\\CurrentVersion\\Run'
    RkhNotANormalizedField: 'x'
  condition: selection
level: high
`;

/** The options of every readEvidence call since the last reset. */
const optionsPassed = () => vi.mocked(readEvidence).mock.calls.map((c) => c[2]);

/** A worker's rules, compiled as the ingest worker compiles them. */
async function workerRules(dir: string): Promise<ScanRules> {
  const loaded = loadSigmaRules((await readSigmaFolder(dir)).files);
  const compiled = compileRules(loaded.rules);
  const used = new Set(compiled.rules.map((r) => r.meta));
  return { ruleset: buildRuleset(compiled.rules), fields: sigmaReferencedFields(loaded.rules.filter((r) => used.has(r.meta))) };
}

describe('EVTX fast path: the CLI scan and the workers', () => {
  let sysmon: string;
  let rulesDir: string;
  beforeAll(() => {
    sysmon = writeGeneratedCase('fast-path').files.find((f) => f.endsWith('-Sysmon.evtx')) ?? '';
    rulesDir = mkdtempSync(join(tmpdir(), 'rkh-fast-rules-'));
    writeFileSync(join(rulesDir, 'rule.yml'), RULE);
  });
  beforeEach(() => {
    vi.mocked(readEvidence).mockClear();
  });
  const job = (): Job => ({ kind: 'read', jobId: 1, fileId: 'f', path: sysmon, name: sysmon, hash: false });
  const sink = { progress: () => undefined, batch: () => undefined, problem: () => undefined };

  it('both pass readEvidence the wanted EventData names of normalize, without Sigma rules', async () => {
    const r = await runScanCaptured([sysmon]);
    expect(r.code).toBe(1);
    await runJob(job(), sink, () => false);
    const [cli, worker] = optionsPassed();
    expect(optionsPassed()).toHaveLength(2);
    expect(cli?.evtxWantedFields).toBe(normalizeInputNames());
    expect(worker).toEqual(cli);
  });

  it('both add the fields the analyst\'s Sigma rules read', async () => {
    const r = await runScanCaptured([sysmon], { sigma: rulesDir });
    expect(r.code).toBe(1);
    await runJob(job(), sink, () => false, 100, await workerRules(rulesDir));
    const [cli, worker] = optionsPassed();
    expect(cli?.evtxWantedFields?.has('RkhNotANormalizedField')).toBe(true);
    expect([...normalizeInputNames()].every((n) => cli?.evtxWantedFields?.has(n))).toBe(true);
    expect(worker).toEqual(cli);
  });
});
