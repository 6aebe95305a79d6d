// A rule's gate is a necessary condition derived from the rule: image-name keys or substring keys,
// present only where they can be proven, absent under negation, regexes, encodings, cased matching,
// short needles, or an OR with an ungated branch.

import { describe, expect, it } from 'vitest';
import { loadRuleset } from '../../../shared/sigma';
import { substringKey } from '../../../shared/sigma/gate';
import { PROCESS, ruleText } from './rule-helpers';

const gateOf = (detection: string): string[] | undefined => {
  const { ruleset, unsupported } = loadRuleset([{ path: 'g.yml', text: ruleText(PROCESS, detection) }]);
  expect(unsupported).toEqual([]);
  const g = ruleset.rules[0].gate;
  return g ? [...g].sort() : undefined;
};

describe('Sigma rule gates', () => {
  it.each([
    ['Image endswith file names', "    selection:\n        Image|endswith:\n            - '\\Certutil.exe'\n            - '\\x\\y.exe'\n        CommandLine|contains: 'url'\n    condition: selection", ['img:certutil.exe', 'img:y.exe']],
    ['Image or OriginalFileName', "    selection_img:\n        - Image|endswith: '\\reg.exe'\n        - OriginalFileName: 'reg.exe'\n    selection_cli:\n        CommandLine|contains: ' add '\n    condition: all of selection_*", ['img:reg.exe', 'ofn:reg.exe']],
    ['ParentImage', "    selection:\n        ParentImage|endswith: '\\winword.exe'\n    condition: selection", ['pimg:winword.exe']],
    ['the narrowest of an AND', "    a:\n        Image|endswith:\n            - '\\a.exe'\n            - '\\b.exe'\n    b:\n        ParentImage|endswith: '\\p.exe'\n    condition: a and b", ['pimg:p.exe']],
    ['an OR of gated branches', "    a:\n        Image|endswith: '\\a.exe'\n    b:\n        ParentImage|endswith: '\\p.exe'\n    condition: a or b", ['img:a.exe', 'pimg:p.exe']],
    ['only the positive part of "and not"', "    a:\n        Image|endswith: '\\a.exe'\n    f:\n        ParentImage|endswith: '\\p.exe'\n    condition: a and not f", ['img:a.exe']],
  ])('gates %s', (_name, det, keys) => {
    expect(gateOf(det)).toEqual(keys);
  });

  it.each([
    ['a negation alone', "    f:\n        Image|endswith: '\\a.exe'\n    condition: not f"],
    ['needles shorter than three characters', "    s:\n        CommandLine|contains:\n            - ' /c'\n            - 'ab'\n    condition: s"],
    ['a regular expression', "    s:\n        CommandLine|re: 'abc.*def'\n    condition: s"],
    ['a cased value', "    s:\n        CommandLine|contains|cased: 'Invoke-'\n    condition: s"],
    ['an encoded value', "    s:\n        CommandLine|base64offset|contains: 'http://'\n    condition: s"],
    ['an OR with an ungated branch', "    a:\n        Image|endswith: '\\a.exe'\n    b:\n        CommandLine|contains: 'x'\n    condition: a or b"],
    ['a list mixing gated and ungated maps', "    s:\n        - Image|endswith: '\\a.exe'\n        - Description: 'x'\n    condition: s"],
  ])('does not gate %s', (_name, det) => {
    expect(gateOf(det)).toBeUndefined();
  });

  // substring gates: the longest literal piece of each value must occur in the field
  it.each([
    ['a wildcard image name (longest literal piece)', "    s:\n        Image|endswith: '\\abc*.exe'\n    condition: s", [substringKey('Image', '\\abc')]],
    ['a suffix without a backslash', "    s:\n        Image|endswith: 'a.exe'\n    condition: s", [substringKey('Image', 'a.exe')]],
    ['contains, lower-cased', "    s:\n        Image|contains: '\\A.exe'\n    condition: s", [substringKey('Image', '\\a.exe')]],
    ['endswith|all: the longest value alone', "    s:\n        Image|endswith|all:\n            - '\\a.exe'\n            - '\\bbb.exe'\n    condition: s", [substringKey('Image', '\\bbb.exe')]],
    ['windash: the literal pieces around the dash', "    s:\n        CommandLine|contains|windash: ' -encodedcommand '\n    condition: s", [substringKey('CommandLine', 'encodedcommand ')]],
    ['an exact image key is preferred to a substring', "    s:\n        Image|endswith: '\\x.exe'\n        CommandLine|contains: 'abc'\n    condition: s", ['img:x.exe']],
  ])('gates %s', (_name, det, keys) => {
    expect(gateOf(det)).toEqual(keys);
  });
});
