// Loading rule files: every refusal is a value with a closed code, the file and the line of the
// offending node; one bad rule never stops the others; rule collections merge their global part.

import { describe, expect, it } from 'vitest';
import { loadRuleset, loadSigmaRules } from '../../../shared/sigma';
import { PROCESS, ruleText } from './rule-helpers';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('Sigma rule loader', () => {
  it.each([
    ['an unknown modifier', "    selection:\n        Image|sha1: 'x'\n    condition: selection", 'UNKNOWN_MODIFIER', 'Image|sha1'],
    ['expand (placeholders)', "    selection:\n        User|expand: '%Admins%'\n    condition: selection", 'PLACEHOLDER', 'User|expand'],
    ['a time modifier', "    selection:\n        UtcTime|hour: 3\n    condition: selection", 'BAD_MODIFIER', 'UtcTime|hour'],
    ['a sub-modifier without re', "    selection:\n        Image|i: 'x'\n    condition: selection", 'UNKNOWN_MODIFIER', 'Image|i'],
    ['a regex JavaScript cannot compile', "    selection:\n        Image|re: '(?<=a'\n    condition: selection", 'BAD_REGEX', 'Image|re'],
    ['base64 of a wildcard value', "    selection:\n        CommandLine|base64: 'a*b'\n    condition: selection", 'BAD_MODIFIER', 'CommandLine|base64'],
    ['wide without base64', "    selection:\n        CommandLine|wide: 'ab'\n    condition: selection", 'BAD_MODIFIER', 'CommandLine|wide'],
    ['exists with a string', "    selection:\n        Image|exists: 'yes'\n    condition: selection", 'BAD_MODIFIER', 'Image|exists'],
    ['a nested map as a value', "    selection:\n        Image:\n            a: b\n    condition: selection", 'BAD_DETECTION', 'Image:'],
  ])('reports %s with its code and line', (_name, detection, code, needle) => {
    const text = ruleText(PROCESS, detection);
    const { ruleset, unsupported } = loadRuleset([{ path: 'rules/x.yml', text }]);
    expect(ruleset.rules).toHaveLength(0);
    expect(unsupported.map((u) => [u.code, u.file, u.line])).toEqual([[code, 'rules/x.yml', lineOf(text, needle)]]);
    expect(unsupported[0].ruleId).toBe('00000000-0000-0000-0000-000000000001');
  });

  it('reports a log source the engine does not read', () => {
    const text = ruleText('    product: linux\n    category: process_creation', "    selection:\n        Image: 'x'\n    condition: selection");
    expect(loadRuleset([{ path: 'l.yml', text }]).unsupported.map((u) => [u.code, u.line])).toEqual([['LOGSOURCE', 1]]);
  });

  it('reports a Security rule for events the engine does not normalize', () => {
    const text = ruleText('    product: windows\n    service: security', "    selection:\n        EventID: 4624\n    condition: selection");
    expect(loadRuleset([{ path: 's.yml', text }]).unsupported.map((u) => u.code)).toEqual(['LOGSOURCE']);
  });

  it('reports broken YAML with the line and keeps the next document', () => {
    const good = ruleText(PROCESS, "    selection:\n        Image: 'x'\n    condition: selection");
    const text = `title: broken\ndetection:\n    selection: [unclosed\n---\n${good}`;
    const r = loadSigmaRules([{ path: 'b.yml', text }]);
    expect(r.unsupported.map((u) => u.code)).toEqual(['BAD_YAML']);
    expect(r.unsupported[0].line).toBeGreaterThanOrEqual(3);
    expect(r.unsupported[0].line).toBeLessThanOrEqual(4);
    expect(r.rules).toHaveLength(1);
  });

  it('reports correlation rules and filter documents', () => {
    const corr = 'title: c\nid: c1\ncorrelation:\n    type: event_count\n    rules:\n        - x\n    timespan: 1h\n';
    const filt = 'title: f\nid: f1\nlogsource:\n    product: windows\nfilter:\n    rules:\n        - x\n    selection:\n        User: a\n    condition: not selection\n';
    const r = loadSigmaRules([{ path: 'c.yml', text: corr }, { path: 'f.yml', text: filt }]);
    expect(r.unsupported.map((u) => [u.code, u.file, u.line])).toEqual([['CORRELATION', 'c.yml', 3], ['FILTER_RULE', 'f.yml', 5]]);
  });

  it('loads every document of a multi-document file and keeps going after a bad rule', () => {
    const a = ruleText(PROCESS, "    selection:\n        Image|foo: 'x'\n    condition: selection");
    const b = ruleText(PROCESS, "    selection:\n        Image: 'x'\n    condition: selection").replace('0001', '0002');
    const { ruleset, unsupported, total } = loadRuleset([{ path: 'm.yml', text: `${a}---\n${b}` }]);
    expect(total).toBe(2);
    expect(ruleset.rules.map((r) => r.meta.id)).toEqual(['00000000-0000-0000-0000-000000000002']);
    expect(unsupported.map((u) => u.code)).toEqual(['UNKNOWN_MODIFIER']);
    expect(ruleset.rules[0].meta.line).toBe(lineOf(`${a}---\n${b}`, '---') + 1);
  });

  it('merges an action: global document into the rules of a collection', () => {
    const text = [
      'action: global', 'title: Collection', 'level: high', 'detection:', '    selection:', "        Image|endswith: '\\evil.exe'", '    condition: selection',
      '---', 'id: r1', 'logsource:', '    product: windows', '    category: process_creation',
      '---', 'id: r2', 'logsource:', '    product: windows', '    category: file_event', 'detection:', '    selection:', "        TargetFilename|endswith: '.lnk'", '    condition: selection',
    ].join('\n');
    const { ruleset, unsupported } = loadRuleset([{ path: 'coll.yml', text }]);
    expect(unsupported).toEqual([]);
    expect(ruleset.rules.map((r) => [r.meta.id, r.meta.title, r.meta.level, r.targets[0].logsource])).toEqual([
      ['r1', 'Collection', 'high', 'windows/process_creation'],
      ['r2', 'Collection', 'high', 'windows/file_event'],
    ]);
  });

  it('keeps the rule metadata', () => {
    const text = ruleText(PROCESS, "    selection:\n        Image: 'x'\n    condition: selection");
    const [rule] = loadRuleset([{ path: 'meta.yml', text }]).ruleset.rules;
    expect(rule.meta).toMatchObject({ id: '00000000-0000-0000-0000-000000000001', title: 'Test rule', level: 'high', status: 'test', tags: ['attack.persistence', 'attack.t1547.001'], path: 'meta.yml', line: 1 });
  });
});
