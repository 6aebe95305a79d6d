// Community Sigma hits feed the case stage (AnalyzeInput / CaseInput.sigmaFindings): a hit on the
// event a finding came from becomes a reason of that finding; a hit elsewhere is a finding of its own.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCase } from '../../../shared/detect/analyze-case';
import { CaseCollector, detectCandidate, emptyIndex, indexEvent, type Candidate } from '../../../shared/detect/engine';
import { readEvidenceFile } from '../../../electron/io/read-evidence-file';
import { normalize } from '../../../shared/normalize/normalize';
import { buildReport, REPORT_SCHEMA } from '../../../shared/export/report';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { NormalizedEvent } from '../../../shared/model/events';
import { evaluate, loadRuleset } from '../../../shared/sigma';
import { sigmaHitToFinding } from '../../../shared/sigma/findings';
import { samplePath } from '../../samples';
import { procStart, regSet } from './helpers';

const DIR = samplePath('SigmaHQ_sigma/rules/windows');
const HAVE = existsSync(DIR);

function ruleFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...ruleFiles(p));
    else if (e.name.endsWith('.yml')) out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

describe.skipIf(!HAVE)('Sigma hits in the case stage (SigmaHQ rules)', () => {
  it('puts a SigmaHQ registry_set hit on a Run-key write into that write\'s finding, scored with it', () => {
    const { ruleset } = loadRuleset([...ruleFiles(join(DIR, 'registry')), ...ruleFiles(join(DIR, 'process_creation'))]);
    const events: NormalizedEvent[] = [
      regSet('HKU\\S-1-5-21-1-2-3-1001\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', 'C:\\Users\\Public\\upd.exe', { pid: 4242 }),
      procStart('C:\\Windows\\System32\\vssadmin.exe', 'vssadmin.exe delete shadows /all /quiet', { pid: 777, at: 30 }),
    ];
    const index = emptyIndex();
    const candidates: Candidate[] = [];
    const sigmaFindings = [];
    for (const ev of events) {
      const c = detectCandidate(ev);
      if (c) candidates.push(c);
      indexEvent(index, ev);
      for (const hit of evaluate(ruleset, ev)) sigmaFindings.push(sigmaHitToFinding(hit, ev));
    }
    const runHits = sigmaFindings.filter((f) => f.evidence.key === events[0].key);
    expect(runHits.length).toBeGreaterThan(0);
    const without = analyzeCase({ candidates, index });
    const withSigma = analyzeCase({ candidates, index, sigmaFindings });
    const write = withSigma.find((f) => f.evidence.key === events[0].key && f.basis !== 'sigma');
    expect(write).toBeDefined();
    // no separate sigma finding for the write's own event: its rules are reasons of the write
    expect(withSigma.filter((f) => f.basis === 'sigma' && f.evidence.key === events[0].key)).toHaveLength(0);
    for (const h of runHits) expect(write?.reasons.map((r) => r.id)).toContain(h.reasons[0].id);
    const before = without.find((f) => f.evidence.key === events[0].key);
    expect(write?.score).toBeGreaterThanOrEqual(before?.score ?? 0);
    for (const h of runHits) for (const t of h.attack) expect(write?.attack).toContain(t);
    // a hit on an event with no candidate is a finding of its own, correlated and scored
    const other = sigmaFindings.filter((f) => f.evidence.key === events[1].key);
    const own = withSigma.filter((f) => f.basis === 'sigma');
    expect(own).toHaveLength(other.length);
    for (const f of own) expect(f.rarity).toBeDefined();
  });
});

describe.skipIf(!HAVE)('a case read with every SigmaHQ Windows rule', () => {
  it('makes a report that meets its published schema, community hits of other techniques included', async () => {
    const { ruleset } = loadRuleset(ruleFiles(DIR));
    const c = new CaseCollector();
    const sigmaFindings = [];
    for await (const batch of readEvidenceFile(samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx'), { onProblem: () => undefined })) {
      for (const raw of batch) {
        const ev = normalize(raw);
        if (!ev) continue;
        c.add(ev);
        for (const hit of evaluate(ruleset, ev, raw)) sigmaFindings.push(sigmaHitToFinding(hit, ev));
      }
    }
    const findings = analyzeCase({ candidates: c.candidates, index: c.index, sigmaFindings });
    // community rules on this Atomic Red Team run hit more than Run keys
    expect(findings.some((f) => f.basis === 'sigma' && !f.attack.includes('T1547.001'))).toBe(true);
    expect(findings.some((f) => f.basis !== 'sigma' && f.location === 'run')).toBe(true);
    const report = buildReport({ findings, events: c.events, analysisTime: new Date(0), problems: [], inputs: [], settings: { minSeverity: 'informational' } });
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(REPORT_SCHEMA);
    expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

