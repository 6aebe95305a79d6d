// The SigmaHQ rules over SigmaHQ's own regression data (../shared/samples/SigmaHQ_sigma).
//
// Own sample: SigmaHQ's runner treats info.yml's match_count as a MINIMUM (a higher count is only a
// warning, see sigma-specification sigmahq/sigmahq-regression-data.md). We require the exact count,
// except for the samples listed in MORE_THAN_INFO, where we read the events and the rule and found
// that the rule as written matches more events than info.yml says; the exact count is pinned there.
//
// Other samples ("should not fire"): a sample is evidence for the log source of the rule it was
// recorded for. A rule must not fire on a sample recorded for a log source it does not read (no
// overlap in event kind, registry / file action or field form: e.g. registry_add rules on a
// registry_set sample, file rules on process samples). Within an overlapping log source a rule may
// legitimately fire on another rule's sample (the samples are real attack recordings, and the broad
// rules, e.g. "Curl.EXE Execution", are meant to fire on every curl sample); those hits are printed
// with their count, not asserted, because no independent oracle decides them.
//
// Both the regression JSON and the EVTX are read with readEvidence (the product's reader) and
// evaluated; they must give the same hits.

import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { existsSync } from 'node:fs';
import { NO_SAMPLES_REASON, samplePath } from '../../samples';
import { HAVE_SIGMA, readSample, regressionCases, sigmaRuleFiles, type RegressionCase } from './sigmahq-corpus';
import { buildRuleset, evaluate, loadRuleset, type CompiledRule, type RuleTarget, type SigmaRuleset, type SigmaUnsupported } from '../../../shared/sigma';
import type { RawEvent } from '../../../shared/model/raw-event';
import { normalize } from '../../../shared/normalize/normalize';

/** Samples where the rule as written matches more events than info.yml's minimum (checked by hand). */
const MORE_THAN_INFO: Readonly<Record<string, { count: number; why: string }>> = {
  'rules/windows/file/file_event/file_event_win_anydesk_artefact': {
    count: 3, why: 'TargetFilename|contains \\AnyDesk\\user.conf: user.conf.new (twice) and user.conf~RF2d9c20d.TMP all contain it',
  },
  'rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files': {
    count: 3, why: 'TargetFilename|endswith: procdump.exe, procdump64.exe and procdump64a.exe are each dropped once',
  },
  'rules/windows/registry/registry_set/registry_set_disable_administrative_share': {
    count: 2, why: 'both AutoShareServer and AutoShareWks are set to DWORD (0x00000000)',
  },
};

const IN_SCOPE_CATEGORIES = new Set(['registry_set', 'registry_add', 'registry_delete', 'registry_event', 'registry_rename', 'process_creation', 'file_event', 'file_delete']);

/** A rule file is in scope when its logsource is one the issue names (decided from the YAML, not by our loader). */
function inScope(text: string): boolean {
  const doc = parseDocument(text);
  if (doc.errors.length) return false; // not a rule the issue's log sources could hold
  const y = doc.toJS() as { logsource?: { product?: string; category?: string; service?: string }; detection?: unknown } | null;
  const ls = y?.logsource ?? {};
  if (ls.product !== 'windows') return false;
  if (ls.category) return IN_SCOPE_CATEGORIES.has(ls.category);
  return ls.service === 'security' && /\b(4657|4688)\b/.test(JSON.stringify(y?.detection ?? {}));
}

function overlaps(a: readonly RuleTarget[], b: readonly RuleTarget[]): boolean {
  return a.some((x) => b.some((y) => {
    if (x.kind !== y.kind || x.form !== y.form) return false;
    const ax = x.registryActions ?? x.fileActions;
    const ay = y.registryActions ?? y.fileActions;
    return !ax || !ay || ax.some((act) => (ay as readonly string[]).includes(act));
  }));
}

interface SampleHits {
  /** rule id → matched event count */
  json: Map<string, number>;
  evtx: Map<string, number>;
  jsonEvents: number;
  evtxEvents: number;
}

function hitsOf(rs: SigmaRuleset, events: RawEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const raw of events) {
    const ev = normalize(raw);
    if (!ev) continue;
    for (const h of evaluate(rs, ev, raw)) m.set(h.rule.id, (m.get(h.rule.id) ?? 0) + 1);
  }
  return m;
}

async function readClean(path: string): Promise<RawEvent[]> {
  const { events, problems } = await readSample(path);
  expect(problems, `reader problems in ${path}`).toEqual([]);
  return events;
}

describe.skipIf(!HAVE_SIGMA)('SigmaHQ rules on SigmaHQ regression data', () => {
  if (!HAVE_SIGMA) console.warn(`[skip] ${NO_SAMPLES_REASON}`);
  let files: { path: string; text: string }[] = [];
  let ruleset: SigmaRuleset;
  let unsupported: SigmaUnsupported[] = [];
  let total = 0;
  let byId = new Map<string, CompiledRule>();
  let cases: RegressionCase[] = [];
  const hits = new Map<string, SampleHits>();
  const pool: RawEvent[] = [];

  beforeAll(async () => {
    files = sigmaRuleFiles();
    ({ ruleset, unsupported, total } = loadRuleset(files));
    byId = new Map(ruleset.rules.map((r) => [r.meta.id, r]));
    cases = regressionCases();
    for (const c of cases) {
      const json = await readClean(c.json);
      const evtx = await readClean(c.evtx);
      hits.set(c.folder, { json: hitsOf(ruleset, json), evtx: hitsOf(ruleset, evtx), jsonEvents: json.length, evtxEvents: evtx.length });
      pool.push(...evtx);
    }
  });

  it('prints the supported share and lists every unsupported rule with its reason, file and line', () => {
    const scoped = files.filter((f) => inScope(f.text));
    const scopedPaths = new Set(scoped.map((f) => f.path));
    const scopedUnsupported = unsupported.filter((u) => scopedPaths.has(u.file));
    const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
    const byCode = new Map<string, number>();
    for (const u of unsupported) byCode.set(u.code, (byCode.get(u.code) ?? 0) + 1);
    console.log(`Sigma: supported ${ruleset.rules.length}/${total} rules (${pct(ruleset.rules.length, total)}) of SigmaHQ rules/ and rules-threat-hunting/`);
    console.log(`Sigma: in the issue's log sources: supported ${scoped.length - scopedUnsupported.length}/${scoped.length} (${pct(scoped.length - scopedUnsupported.length, scoped.length)})`);
    console.log(`Sigma: unsupported by reason: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    for (const u of scopedUnsupported) console.log(`  unsupported ${u.code} ${u.file}:${u.line} ${u.message}`);
    expect(total).toBe(files.length);
    expect(ruleset.rules.length + unsupported.length).toBe(total);
    for (const u of unsupported) {
      expect(u.file).toMatch(/\.yml$/);
      expect(u.line).toBeGreaterThanOrEqual(1);
    }
    // outside the issue's log sources the only reason is the log source itself
    expect(unsupported.filter((u) => !scopedPaths.has(u.file)).every((u) => u.code === 'LOGSOURCE')).toBe(true);
    expect(scopedUnsupported.map((u) => `${u.code} ${u.file}:${u.line}`)).toEqual([]);
  });

  it('finds the regression samples of the supported log sources', () => {
    const supported = cases.filter((c) => byId.has(c.ruleId));
    const skipped = cases.filter((c) => !byId.has(c.ruleId));
    console.log(`Sigma regression: ${supported.length} samples of supported rules; ${skipped.length} of other log sources:`);
    for (const c of skipped) {
      const why = unsupported.find((u) => u.ruleId === c.ruleId);
      console.log(`  skipped ${c.folder}: ${why ? `${why.code} ${why.message}` : 'its rule file is not among the sample rules'}`);
      // a sample is only skipped when its rule is of another log source or absent from the rule folders
      expect(why === undefined || why.code === 'LOGSOURCE').toBe(true);
    }
    expect(supported.length).toBeGreaterThanOrEqual(150);
  });

  it('reports exactly the expected matches of each rule on its own sample, from the JSON and from the EVTX', () => {
    const wrong: string[] = [];
    for (const c of cases) {
      if (!byId.has(c.ruleId)) continue;
      const h = hits.get(c.folder) as SampleHits;
      const want = MORE_THAN_INFO[c.folder]?.count ?? c.matchCount;
      const got = h.json.get(c.ruleId) ?? 0;
      const gotEvtx = h.evtx.get(c.ruleId) ?? 0;
      if (got !== want || gotEvtx !== want) wrong.push(`${c.folder}: want ${want} (info.yml ${c.matchCount}), json ${got}, evtx ${gotEvtx}`);
    }
    expect(wrong).toEqual([]);
    for (const folder of Object.keys(MORE_THAN_INFO)) expect(cases.find((c) => c.folder === folder)?.matchCount).toBeLessThan(MORE_THAN_INFO[folder].count);
  });

  it('reads the same events from the JSON and the EVTX of each sample, and gets the same hits', () => {
    const diff: string[] = [];
    for (const c of cases) {
      const h = hits.get(c.folder) as SampleHits;
      const a = [...h.json].sort().join(';');
      const b = [...h.evtx].sort().join(';');
      if (h.jsonEvents !== h.evtxEvents || a !== b) diff.push(`${c.folder}: json ${h.jsonEvents} events [${a}] evtx ${h.evtxEvents} events [${b}]`);
    }
    expect(diff).toEqual([]);
  });

  it('fires no rule on a sample recorded for a log source the rule does not read', () => {
    const wrong: string[] = [];
    const sameSource: string[] = [];
    for (const c of cases) {
      const own = byId.get(c.ruleId);
      if (!own) continue;
      const h = hits.get(c.folder) as SampleHits;
      for (const [id, n] of h.json) {
        if (id === c.ruleId) continue;
        const r = byId.get(id) as CompiledRule;
        if (overlaps(r.targets, own.targets)) sameSource.push(`${c.folder} ← ${r.meta.title} (${n})`);
        else wrong.push(`${c.folder} ← ${r.meta.title} [${r.targets.map((t) => t.logsource).join(',')}]`);
      }
    }
    console.log(`Sigma regression: ${sameSource.length} hits of other rules of the same log source on a sample (not asserted), e.g.:\n  ${sameSource.slice(0, 8).join('\n  ')}`);
    expect(wrong).toEqual([]);
  });

  it('gives the same hits with and without the gates (image-name and substring prefilters)', async () => {
    const gated = ruleset.rules.filter((r) => r.gate).length;
    console.log(`Sigma: ${gated}/${ruleset.rules.length} rules carry a gate`);
    expect(gated).toBeGreaterThan(1000);
    const benign = samplePath('omerbenamram_evtx/samples/sysmon.evtx');
    if (existsSync(benign)) pool.push(...(await readSample(benign)).events); // a dirty header is reported; all chunks are read
    const ungated = buildRuleset(ruleset.rules.map((r) => ({ meta: r.meta, targets: r.targets, match: r.match })));
    const a = [...hitsOf(ruleset, pool)].sort();
    const b = [...hitsOf(ungated, pool)].sort();
    console.log(`Sigma: ${pool.length} events, ${a.length} rules with hits, gated and ungated agree`);
    expect(a.length).toBeGreaterThan(100);
    expect(a).toEqual(b);
  });
});
