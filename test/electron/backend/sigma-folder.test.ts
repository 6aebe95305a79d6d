// The analyst's Sigma rules folder: read by the main process, compiled once per worker, evaluated
// on every event while reading; its hits go to the case stage, as reasons of the findings whose
// events they hit or as 'sigma' findings of their own. The expected hits are what the Sigma engine
// finds evaluating the same rules on the same file in-process.

import { describe, expect, it } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HAVE_SAMPLES, samplePath } from '../../samples';
import type { Finding } from '../../../shared/model/finding';
import type { FindingEvents, Settings } from '../../../shared/api';
import { readSigmaFolder } from '../../../electron/backend/sigma-folder';
import { evaluate, loadRuleset, type RuleFile } from '../../../shared/sigma/index';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { openFileSource } from '../../../electron/io/file-source';
import { readEvidence } from '../../../shared/readers/read-evidence';
import { normalize, normalizeInputNames } from '../../../shared/normalize/normalize';
import { reportedHits, tempDir, testBackend } from './helpers';

const PANACHE = 'sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx';
const RULES = 'SigmaHQ_sigma/rules/windows/registry/registry_set';

/** `rule-id|event-key` of every hit of the rules on the file, read in-process (optionally on the wantedFields fast path). */
async function inProcessHits(files: RuleFile[], path: string, wanted?: ReadonlySet<string>): Promise<Set<string>> {
  const { ruleset } = loadRuleset(files);
  const hits = new Set<string>();
  const src = await openFileSource(path);
  try {
    for await (const batch of readEvidence(src, { file: path, onProblem: () => undefined }, wanted ? { evtxWantedFields: wanted } : {})) {
      for (const raw of batch) {
        const ev = normalize(raw);
        if (ev) for (const hit of evaluate(ruleset, ev, raw)) hits.add(`${hit.rule.id}|${hit.eventKey}`);
      }
    }
  } finally {
    await src.close();
  }
  return hits;
}

const processRule = (id: string, detection: string): string =>
  `title: ${id}\nid: ${id}\nstatus: test\nlevel: medium\nlogsource:\n    category: process_creation\n    product: windows\ndetection:\n${detection}`;

describe.skipIf(!HAVE_SAMPLES)('Sigma rules folder', () => {
  it('evaluates the folder in the workers and scores its hits in the case stage', async () => {
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
      const findings = (list.value as { findings: Finding[] }).findings;
      const shown = reportedHits(findings);
      for (const hit of expected) expect(shown).toContain(hit);
      // every 'sigma' finding is one of the hits (none invented, none on an engine finding's record)
      const sigma = findings.filter((f) => f.basis === 'sigma');
      for (const f of sigma) expect(expected).toContain(`${f.sigmaRule?.id}|${f.evidence.key}`);
      const s = await t.backend.invoke('settings.get', {});
      if (!s.ok) throw new Error(s.error.message);
      const status = (s.value as Settings).sigmaStatus;
      expect(status?.rules).toBeGreaterThan(0);
      expect(status?.folder).toBe(samplePath(RULES));
    } finally {
      await t.cleanup();
    }
  });

  // The workers decode only the EventData the engine and the rules read (wantedFields). A rule on a
  // field the normalizer never reads (Sysmon 1 Description / Company) must still fire: its names are
  // added to the fast path; a keyword rule reads every field, so it gets a full decode.
  it.each([
    ['a rule on Description and Company (fields added to the fast path)', '00000000-0000-4000-8000-00000000d35c', '    selection:\n        Description: Registry Console Tool\n        Company|contains: Microsoft\n    condition: selection\n'],
    ['a keyword rule (full decode)', '00000000-0000-4000-8000-0000000b1750', '    keywords:\n        - BITS administration utility\n    condition: keywords\n'],
  ])('fires %s through the worker pool exactly as on a full decode', async (_label, id, detection) => {
    const dir = await tempDir('sigma');
    const rules = join(dir, 'rules');
    await mkdir(rules);
    await writeFile(join(rules, 'rule.yml'), processRule(id, detection));
    const { files } = await readSigmaFolder(rules);
    const expected = await inProcessHits(files, samplePath(PANACHE));
    expect(expected.size).toBeGreaterThan(0);
    // the rule reads a field the normalizer's fast path alone would not decode
    expect(await inProcessHits(files, samplePath(PANACHE), normalizeInputNames())).toEqual(new Set());
    const t = await testBackend({ workers: 2, plan: { splitThreshold: 1, minChunksPerJob: 2 } });
    try {
      expect((await t.backend.invoke('settings.update', { sigmaRulesFolder: rules })).ok).toBe(true);
      await t.backend.openPaths([samplePath(PANACHE)]);
      await t.backend.whenIdle();
      const list = await t.backend.invoke('findings.list', {});
      if (!list.ok) throw new Error(list.error.message);
      const findings = (list.value as { findings: Finding[] }).findings;
      const sigma = findings.filter((f) => f.basis === 'sigma');
      for (const f of sigma) expect(expected).toContain(`${f.sigmaRule?.id}|${f.evidence.key}`);
      // every hit is in the report: a finding of its own, or a reason of the finding that holds its
      // event (including reg.exe starts folded into the Run-key write they made)
      const shown = reportedHits(findings);
      for (const hit of expected) expect(shown).toContain(hit);
      // the detail pane's timeline shows the hit as the process start it is
      const ev = await t.backend.invoke('finding.events', { findingId: sigma[0].id });
      if (!ev.ok) throw new Error(ev.error.message);
      const write = (ev.value as FindingEvents).events.find((e) => e.role === 'write');
      expect(write?.link).toMatchObject({ key: sigma[0].evidence.key, kind: 'process' });
      // the raw record view still shows the whole record, Description included
      const raw = await t.backend.invoke('record.raw', { ref: sigma[0].evidence.ref });
      if (!raw.ok) throw new Error(raw.error.message);
      expect((raw.value as { text: string }).text).toMatch(/<Data Name="Description">[^<]+<\/Data>/);
    } finally {
      await t.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
