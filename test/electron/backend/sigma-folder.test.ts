// The analyst's Sigma rules folder: read by the main process, compiled once per worker, evaluated
// on every event while reading; its hits join the case as 'sigma' findings. The expected hits are
// what the Sigma engine finds evaluating the same rules on the same file in-process.

import { describe, expect, it } from 'vitest';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { Finding } from '../../../shared/model/finding';
import type { Settings } from '../../../shared/api';
import { readSigmaFolder } from '../../../electron/backend/sigma-folder';
import { evaluate, loadRuleset } from '../../../shared/sigma/index';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { testBackend } from './helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const RULES = 'SigmaHQ_sigma/rules/windows/registry/registry_set';

describe.skipIf(!HAVE_SAMPLES)('Sigma rules folder', () => {
  it('evaluates the folder in the workers and adds its hits as sigma findings', async () => {
    const { files } = await readSigmaFolder(samplePath(RULES));
    const { ruleset } = loadRuleset(files);
    const expected = new Set<string>();
    for await (const batch of readEvidenceFile(samplePath(PANACHE), { onProblem: () => undefined })) {
      for (const raw of batch) {
        const ev = normalize(raw);
        if (ev) for (const hit of evaluate(ruleset, ev, raw)) expected.add(`${hit.rule.id}|${hit.eventKey}`);
      }
    }
    expect(expected.size).toBeGreaterThan(0);

    const t = await testBackend({ workers: 2, plan: { splitThreshold: 1, minChunksPerJob: 2 } });
    try {
      const set = await t.backend.invoke('settings.update', { sigmaRulesFolder: samplePath(RULES) });
      expect(set.ok).toBe(true);
      await t.backend.openPaths([samplePath(PANACHE)]);
      await t.backend.whenIdle();
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const sigma = (list.value as { findings: Finding[] }).findings.filter((f) => f.basis === 'sigma');
      expect(new Set(sigma.map((f) => `${f.sigmaRule?.id}|${f.evidence.key}`))).toEqual(expected);
      const s = await t.backend.invoke('settings.get', {});
      if (!s.ok) throw new Error(s.error.message);
      const status = (s.value as Settings).sigmaStatus;
      expect(status?.rules).toBeGreaterThan(0);
      expect(status?.folder).toBe(samplePath(RULES));
    } finally {
      await t.cleanup();
    }
  });
});
