// The global search reads a finding's fields one by one while idle time has not made its
// lower-cased search text yet. It must find exactly what the text would: ignoring case as
// toLowerCase does, including the two characters whose lower case holds an ASCII letter (U+0130 İ,
// the Kelvin sign), and never matching across two fields.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Finding } from '../../../shared/model/finding';
import { syntheticFindings } from '../../../renderer/dev/synthetic-findings';
import { FindingIndex } from '../../../renderer/logic/finding-index';
import { EMPTY_FILTERS, filterIndex } from '../../../renderer/logic/filter';
import { searchFieldsMatcher, searchText, searchWordPattern } from '../../../renderer/logic/text-index';
import { finding } from './fixtures';

/** The search text as it was first defined: the fields joined, then lower-cased. */
function referenceText(f: Finding): string {
  const image = f.writer.image ?? '';
  const parts = [f.host, f.user, f.registryKey, f.valueName, f.value, f.normalizedValue, f.locationTitle, image.slice(image.lastIndexOf('\\') + 1), f.decodedPowerShell, f.time, f.severity, f.attack.join(' '), f.evidence.ref.file];
  let s = '';
  for (const p of parts) if (p) s += `${p}\n`;
  const reasons = f.reasons.map((r) => `${r.id}\n${r.title}\n${r.attack.join(' ')}`).join('\n');
  return `${s}${image}\n${f.writer.commandLine ?? ''}\n${reasons}`.toLowerCase();
}

const matches = (f: Finding, words: string[]) => words.every((w) => referenceText(f).includes(w));

// letters that fold in tricky ways, ASCII look-alikes, regex metacharacters and separators
const CHARS = ['i', 'I', 'k', 'K', '\u0130', '\u0131', '\u212a', '\u017f', 's', 'S', '\u03a3', '.', '*', '\\', '(', '[', '-', '/', 'x', ' ', '\n'];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(''));
const word = fc.array(fc.constantFrom('i', 'k', 's', 'x', '.', '*', '\\', '(', '[', '-', '/'), { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));

describe('searching fields without the lower-cased text', () => {
  it('finds exactly what the lower-cased text contains', () => {
    fc.assert(fc.property(text, text, text, text, fc.array(word, { minLength: 1, maxLength: 3 }), (host, value, image, title, words) => {
      const f = finding({ id: 'p', host, value, writer: { image, commandLine: `${value} ${host}` }, reasons: [{ id: 'r.x', title, weight: 1, attack: ['T1112'], explanation: '' }] });
      const patterns = words.map(searchWordPattern);
      if (patterns.some((p) => !p)) return;
      expect(searchFieldsMatcher(patterns as RegExp[])(f)).toBe(matches(f, words));
      // and the text the index prepares says the same
      expect(words.every((w) => searchText(f).includes(w))).toBe(matches(f, words));
    }), { numRuns: 3000 });
  });

  it('matches U+0130 İ and the Kelvin sign as their lower case does, and no other non-ASCII letter', () => {
    const f = (value: string) => finding({ id: value, value, normalizedValue: '', valueName: undefined, registryKey: undefined });
    const hit = (value: string, w: string) => searchFieldsMatcher([searchWordPattern(w) as RegExp])(f(value));
    expect(hit('Run\u212aey', 'runkey')).toBe(true);
    expect(hit('C:\\PROGRAMDATA\\\u0130', 'programdata\\i')).toBe(true);
    // İ lower-cases to i + U+0307: its i cannot be followed by another letter
    expect(hit('\u0130nstall', 'install')).toBe(false);
    expect(hit('\u0131nstall', 'install')).toBe(false);
    expect(hit('\u017ftartup', 'startup')).toBe(false);
    // a word never spans two fields
    expect(searchFieldsMatcher([searchWordPattern('bc') as RegExp])(finding({ id: 'x', host: 'ab', user: 'cd' }))).toBe(false);
    expect(searchWordPattern('\u0130')).toBeUndefined();
  });
});

describe('the first search of a new list', () => {
  const findings = syntheticFindings(2000, 5);
  const reference = (words: string) => findings.filter((f) => matches(f, words.split(' '))).map((f) => f.id).sort();
  const shown = (index: FindingIndex, search: string) => {
    const r = filterIndex(index, { ...EMPTY_FILTERS, search, showBaselined: true });
    return findings.filter((_, i) => !r.keep || r.keep[i]).map((f) => f.id).sort();
  };

  it('reads the fields and makes no search text', () => {
    const index = FindingIndex.of(findings);
    for (const q of ['mshta', 'run appdata', 'T1547', 'zzzz']) expect(shown(index, q), q).toEqual(reference(q.toLowerCase()));
    expect(index.preparedSearchTexts()).toHaveLength(0);
  });

  it('gives the same answer with part of the text prepared, and makes it all for a word outside ASCII', () => {
    const index = FindingIndex.of(findings);
    index.warmSearch(700);
    expect(shown(index, 'svc reg')).toEqual(reference('svc reg'));
    expect(index.preparedSearchTexts()).toHaveLength(700);
    expect(shown(index, 'é')).toEqual(reference('é'));
    expect(index.preparedSearchTexts()).toHaveLength(findings.length);
  });
});
