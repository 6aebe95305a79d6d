// sigmaReferencedFields: the raw field names a rule set can read, so a scan may decode only those
// (plus what normalize reads) and evaluate the rules exactly as on a full decode. Checked on small
// rules, then on the SigmaHQ Windows rules over real EVTX samples: the hits on the fast path equal
// the hits on a full decode.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuleset, compileRules, evaluate, loadSigmaRules, sigmaReferencedFields, type SigmaRuleSource } from '../../../shared/sigma';
import { readEvtx } from '../../../shared/evtx/reader';
import { collect } from '../../../shared/readers/types';
import { normalize, normalizeInputNames } from '../../../shared/normalize/normalize';
import { samplePath } from '../../samples';
import { fileSource } from '../evtx/reference-parsers';
import { HAVE_SIGMA, SIGMA_DIR, sigmaRuleFiles } from './sigmahq-corpus';
import { ruleText } from './rule-helpers';

const PROCESS = '    category: process_creation\n    product: windows';
const SECURITY = '    product: windows\n    service: security';

function sources(logsource: string, detection: string): SigmaRuleSource[] {
  const { rules, unsupported } = loadSigmaRules([{ path: 'r.yml', text: ruleText(logsource, detection) }]);
  expect(unsupported).toEqual([]);
  return rules;
}

describe('sigmaReferencedFields', () => {
  it('names every field a detection writes, the fields fieldref values name, and the gate fields', () => {
    const names = sigmaReferencedFields(sources(PROCESS, [
      '    selection:',
      '        Description|contains: Registry',
      '        Company: Microsoft Corporation',
      '    other:',
      '        - Product|startswith: x',
      '        - ParentCommandLine|contains|fieldref: CurrentDirectory',
      '    condition: selection or other',
    ].join('\n')));
    expect(names && [...names].sort()).toEqual(['Company', 'CurrentDirectory', 'Description', 'Image', 'OriginalFileName', 'ParentCommandLine', 'ParentImage', 'Product'].sort());
  });

  it('names the raw EventData names of Security-form rules', () => {
    const names = sigmaReferencedFields(sources(SECURITY, '    selection:\n        EventID: 4657\n        ObjectName|contains: Run\n        NewValue|endswith: .exe\n    condition: selection'));
    expect(names?.has('ObjectName')).toBe(true);
    expect(names?.has('NewValue')).toBe(true);
  });

  it.each([
    ['a keyword list', '    keywords:\n        - mimikatz\n    condition: keywords'],
    ['a keyword map entry (|all)', "    selection:\n        '|all':\n            - a\n            - b\n    condition: selection"],
  ])('gives undefined (read every field) for %s', (_label, detection) => {
    expect(sigmaReferencedFields(sources(PROCESS, detection))).toBeUndefined();
  });
});

describe.skipIf(!HAVE_SIGMA)('sigmaReferencedFields on SigmaHQ rules and real EVTX', () => {
  it('gives the same hits on the wantedFields fast path as on a full decode', async () => {
    const loaded = loadSigmaRules(sigmaRuleFiles(['rules/windows']));
    const compiled = compileRules(loaded.rules);
    const used = new Set(compiled.rules.map((r) => r.meta));
    // keyword rules read every field (they would force a full decode): left out here, tested above
    const fieldRules = loaded.rules.filter((r) => used.has(r.meta) && sigmaReferencedFields([r]) !== undefined);
    const kept = new Set(fieldRules.map((r) => r.meta));
    const ruleset = buildRuleset(compiled.rules.filter((r) => kept.has(r.meta)));
    expect(ruleset.rules.length).toBeGreaterThan(1000);
    const referenced = sigmaReferencedFields(fieldRules);
    if (!referenced) throw new Error('field rules gave no field set');
    const wanted = new Set([...normalizeInputNames(), ...referenced]);

    const regression = join(SIGMA_DIR, 'regression_data', 'rules', 'windows');
    const files = [
      samplePath('sbousseaden_EVTX-ATTACK-SAMPLES/AutomatedTestingTools/PanacheSysmon_vs_AtomicRedTeam01.evtx'),
      ...readdirSync(regression, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.evtx')).sort().map((f) => join(regression, f)),
    ];
    let total = 0;
    let missedWithoutRuleFields = 0;
    for (const f of files) {
      const hits = async (w?: ReadonlySet<string>) => {
        const src = fileSource(f);
        try {
          const out: string[] = [];
          for (const raw of await collect(readEvtx(src, { file: f, onProblem: () => undefined }, { wantedFields: w }))) {
            const ev = normalize(raw);
            if (ev) for (const h of evaluate(ruleset, ev, raw)) out.push(`${h.rule.id}|${h.eventKey}`);
          }
          return out;
        } finally {
          src.close();
        }
      };
      const full = await hits();
      expect(await hits(wanted), f).toEqual(full);
      total += full.length;
      // the normalizer's names alone lose hits: the rules' own fields matter
      missedWithoutRuleFields += full.length - (await hits(normalizeInputNames())).length;
    }
    expect(total).toBeGreaterThan(50);
    expect(missedWithoutRuleFields).toBeGreaterThan(0);
  }, 120_000);
});
