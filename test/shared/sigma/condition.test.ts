// The condition grammar (precedence not > and > or, parentheses, `x of` patterns and `them`,
// condition lists) and the parser's refusals, checked through whole rules.

import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../../shared/sigma/condition';
import { PROCESS, procMatches, procUnsupported, ruleText } from './rule-helpers';

// a: CommandLine contains 'aaa', b: 'bbb', c: 'ccc'; _u: 'uuu' (underscore: excluded from `them`)
const ids = "    sel_a:\n        CommandLine|contains: 'aaa'\n    sel_b:\n        CommandLine|contains: 'bbb'\n    filter_c:\n        CommandLine|contains: 'ccc'\n    _u:\n        CommandLine|contains: 'uuu'\n";
const withCond = (cond: string): string => `${ids}    condition: ${cond}`;
const line = (...words: string[]): { CommandLine: string } => ({ CommandLine: words.join(' ') });

type Case = [condition: string, text: string[], expected: boolean];

const cases: Case[] = [
  ['sel_a or sel_b and filter_c', ['aaa'], true], // or binds loosest: a or (b and c)
  ['sel_a or sel_b and filter_c', ['bbb'], false],
  ['(sel_a or sel_b) and filter_c', ['aaa'], false],
  ['(sel_a or sel_b) and filter_c', ['aaa', 'ccc'], true],
  ['not sel_a and sel_b', ['bbb'], true], // not binds tighter than and: (not a) and b
  ['not sel_a and sel_b', ['aaa', 'bbb'], false],
  ['not (sel_a and sel_b)', ['aaa'], true],
  ['not not sel_a', ['aaa'], true],
  ['sel_a and not filter_c', ['aaa', 'ccc'], false],
  ['1 of sel_*', ['bbb'], true],
  ['all of sel_*', ['bbb'], false],
  ['all of sel_*', ['aaa', 'bbb'], true],
  ['1 of sel_* and not 1 of filter_*', ['aaa', 'ccc'], false],
  ['1 of them', ['ccc'], true],
  ['1 of them', ['uuu'], false], // _u is not part of them
  ['all of them', ['aaa', 'bbb', 'ccc'], true], // _u not needed
  ['all of them', ['aaa', 'bbb'], false],
  ['2 of them', ['aaa', 'ccc'], true],
  ['2 of them', ['aaa'], false],
  ['1 of *_a', ['aaa'], true],
  ['SEL_A', ['aaa'], false], // identifiers are case-sensitive; an unknown one is refused (checked below)
  ['sel_a AND sel_b', ['aaa', 'bbb'], true], // operators are case-insensitive
];

describe('Sigma condition grammar', () => {
  it.each(cases.filter(([c]) => c !== 'SEL_A'))('%s on %j → %s', (cond, words, expected) => {
    expect(procMatches(withCond(cond), line(...words))).toBe(expected);
  });

  it('treats a list of conditions as OR', () => {
    const det = `${ids}    condition:\n        - sel_a\n        - sel_b`;
    expect(procMatches(det, line('bbb'))).toBe(true);
    expect(procMatches(det, line('ccc'))).toBe(false);
  });

  it('refuses an identifier the detection does not define, with its line', () => {
    const u = procUnsupported(withCond('SEL_A'));
    expect(u.map((x) => x.code)).toEqual(['BAD_CONDITION']);
    const text = ruleText(PROCESS, withCond('SEL_A'));
    expect(u[0].line).toBe(text.split('\n').findIndex((l) => l.includes('condition: SEL_A')) + 1);
    expect(u[0].file).toBe('t.yml');
  });

  it('refuses an of-pattern that matches nothing', () => {
    expect(procUnsupported(withCond('1 of nothing_*')).map((x) => x.code)).toEqual(['BAD_CONDITION']);
  });

  it.each([
    ['sel_a | count() > 5', 'AGGREGATION'],
    ['sel_a | count(Image) by Computer > 2', 'AGGREGATION'],
    ['sel_a near sel_b', 'NEAR'],
    ['sel_a and', 'BAD_CONDITION'],
    ['(sel_a', 'BAD_CONDITION'],
    ['sel_a sel_b', 'BAD_CONDITION'],
    ['of them', 'BAD_CONDITION'],
    ['3x of them', 'BAD_CONDITION'],
  ])('reports "%s" as %s', (cond, code) => {
    const p = parseCondition(cond);
    expect(p.ok ? 'parsed' : p.error.code).toBe(code);
    expect(procUnsupported(withCond(cond)).map((x) => x.code)).toEqual([code]);
  });
});
