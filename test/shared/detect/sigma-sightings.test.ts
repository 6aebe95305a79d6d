// A community Sigma rule's hits on an event the engine has no finding for are findings of their
// own. One write that Sysmon and Security auditing both log is one finding per rule, the other
// record its corroborating evidence, as the engine's own findings are.
import { describe, expect, it } from 'vitest';
import { analyzeCase } from '../../../shared/detect/analyze-case';
import { emptyIndex, indexEvent } from '../../../shared/detect/engine';
import type { NormalizedEvent } from '../../../shared/model/events';
import type { Finding } from '../../../shared/model/finding';
import { evaluate, loadRuleset, sigmaHitToFinding } from '../../../shared/sigma';
import { asSource, regSet } from './helpers';

const IFEO = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe\\Debugger';

function rule(id: string, title: string, detection: string): string {
  return [`title: ${title}`, `id: ${id}`, 'status: test', 'level: high', 'tags:', '    - attack.t1546.008', 'logsource:', '    product: windows', '    category: registry_set',
    'detection:', '    selection:', `        ${detection}`, '    condition: selection', ''].join('\n');
}

const { ruleset } = loadRuleset([
  { path: 'ifeo.yml', text: rule('00000000-0000-0000-0000-0000000000b1', 'IFEO debugger', "TargetObject|contains: '\\Image File Execution Options\\'") },
  { path: 'sethc.yml', text: rule('00000000-0000-0000-0000-0000000000b2', 'Sticky keys debugger', "TargetObject|contains: '\\sethc.exe\\'") },
]);

function scan(events: NormalizedEvent[]): Finding[] {
  const index = emptyIndex();
  const sigmaFindings: Finding[] = [];
  for (const ev of events) {
    indexEvent(index, ev);
    for (const hit of evaluate(ruleset, ev)) sigmaFindings.push(sigmaHitToFinding(hit, ev));
  }
  return analyzeCase({ candidates: [], index, sigmaFindings });
}

describe('community Sigma hits on one write logged by two sources', () => {
  const sysmon = regSet(IFEO, 'C:\\Windows\\System32\\cmd.exe', { image: 'C:\\Windows\\System32\\reg.exe', pid: 4242 });
  const security = asSource(sysmon, 'security');

  it('each source alone is hit by both rules', () => {
    expect(evaluate(ruleset, sysmon)).toHaveLength(2);
    expect(evaluate(ruleset, security)).toHaveLength(2);
  });

  it('are one finding per rule, led by the Sysmon record, the 4657 its corroboration', () => {
    const fs = scan([sysmon, security]);
    expect(fs.map((f) => [f.sigmaRule?.title, f.evidence.source, f.alsoSeenIn?.map((s) => [s.source, s.eventId])]).sort()).toEqual([
      ['IFEO debugger', 'sysmon', [['security', 4657]]],
      ['Sticky keys debugger', 'sysmon', [['security', 4657]]],
    ]);
    expect(fs.every((f) => f.reasons.some((r) => r.id === 'evidence.corroborated'))).toBe(true);
    // each keeps its own rule: the other rule's hit on the 4657 is not merged into it
    for (const f of fs) expect(f.reasons.filter((r) => r.id.startsWith('sigma:')).map((r) => r.id)).toEqual([`sigma:${f.sigmaRule?.id}`]);
  });

  it('keeps hits of two rules apart, though each hit only one of the records', () => {
    // rule 1 hit the Sysmon record only, rule 2 the 4657 only (as rules written for one channel do)
    const [a, b] = evaluate(ruleset, sysmon);
    const sigmaFindings = [sigmaHitToFinding(a, sysmon), sigmaHitToFinding({ ...b, eventKey: security.key }, security)];
    const fs = analyzeCase({ candidates: [], index: emptyIndex(), sigmaFindings });
    expect(fs.map((f) => [f.sigmaRule?.title, f.evidence.source, f.alsoSeenIn]).sort()).toEqual([
      [a.rule.title, 'sysmon', undefined], [b.rule.title, 'security', undefined],
    ].sort());
  });

  it('keeps two writes two findings: two Sysmon records, or records too far apart, or other data', () => {
    const again = regSet(IFEO, 'C:\\Windows\\System32\\cmd.exe', { image: 'C:\\Windows\\System32\\reg.exe', pid: 4242, at: 1 });
    expect(scan([sysmon, again])).toHaveLength(4);
    expect(scan([sysmon, asSource(sysmon, 'security', { at: 60 })])).toHaveLength(4);
    const other = asSource(regSet(IFEO, 'C:\\Users\\Public\\x.exe', { image: 'C:\\Windows\\System32\\reg.exe', pid: 4242 }), 'security');
    expect(scan([sysmon, other])).toHaveLength(4);
  });
});
