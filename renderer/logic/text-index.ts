// The text the finding filters match against, prepared once per finding rather than once per
// keystroke. Two shapes:
// - a dictionary per column filter (host, user, key, value name, writer, indicator): each finding
//   gets the code of its raw text, each distinct text is lower-cased once, so a filter tests every
//   distinct text once (500 hosts, not 100,000 findings) and then reads one code per finding;
// - one lower-cased search text per finding for the global search (values and command lines are
//   nearly unique, so a dictionary would not save anything there), made in idle time; until it is,
//   the search reads the finding's fields one by one with a case-blind pattern per word, which
//   costs less than making the text (the first search of 100,000 findings).
// Both only ever grow: findings appended to a case extend them, the codes and texts already made
// stay valid. Every string here is attacker-controlled data; it is only compared, never rendered.

import type { Finding } from '../../shared/model/finding';

export type TextFilterId = 'host' | 'user' | 'key' | 'valueName' | 'writer' | 'indicator';

export const TEXT_FILTER_IDS: readonly TextFilterId[] = ['host', 'user', 'key', 'valueName', 'writer', 'indicator'];

function writerText(f: Finding): string {
  return `${f.writer.image ?? ''}\n${f.writer.commandLine ?? ''}`;
}

function indicatorText(f: Finding): string {
  let s = '';
  for (const r of f.reasons) s += `${s ? '\n' : ''}${r.id}\n${r.title}\n${r.attack.join(' ')}`;
  return s;
}

/** The raw (not lower-cased) text each column filter matches as a case-insensitive substring. */
export const FILTER_TEXT: Readonly<Record<TextFilterId, (f: Finding) => string>> = {
  host: (f) => f.host,
  user: (f) => f.user ?? '',
  key: (f) => f.registryKey ?? '',
  valueName: (f) => f.valueName ?? '',
  writer: writerText,
  indicator: indicatorText,
};

/**
 * Every text the global search looks at, one at a time, until `visit` says it found what it looks
 * for (then true). A search word has no white space, so it never spans two of them.
 */
export function visitSearchFields(f: Finding, visit: (text: string) => boolean): boolean {
  if (visit(f.host) || (f.user && visit(f.user)) || (f.registryKey && visit(f.registryKey)) || (f.valueName && visit(f.valueName))) return true;
  if (visit(f.value) || visit(f.normalizedValue) || visit(f.locationTitle) || (f.decodedPowerShell && visit(f.decodedPowerShell))) return true;
  if (visit(f.time) || visit(f.severity) || visit(f.evidence.ref.file)) return true;
  // the writer's image holds its base name, which the search thus also finds
  if ((f.writer.image && visit(f.writer.image)) || (f.writer.commandLine && visit(f.writer.commandLine))) return true;
  for (const t of f.attack) if (visit(t)) return true;
  for (const r of f.reasons) {
    if (visit(r.id) || visit(r.title)) return true;
    for (const t of r.attack) if (visit(t)) return true;
  }
  return false;
}

/** Everything the global search looks at, lower-cased, one field per line. */
export function searchText(f: Finding): string {
  const parts: string[] = [];
  visitSearchFields(f, (t) => {
    parts.push(t);
    return false;
  });
  return parts.join('\n').toLowerCase();
}

/**
 * A search word (lower-cased, no white space) as a pattern that finds it in a field as the
 * lower-cased field would contain it, without the lower-cased copy; undefined for a word outside
 * ASCII (search those in searchText). Ignoring case, an ASCII letter matches only ASCII letters,
 * as in the lower-cased text, but for the two characters whose lower case holds an ASCII one:
 * the Kelvin sign (U+212A, lower case k) and U+0130 İ (lower case i + U+0307, so its i can only end
 * a word).
 */
export function searchWordPattern(word: string): RegExp | undefined {
  if (!word) return undefined;
  let src = '';
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 127) return undefined;
    const c = word[i];
    if (c === 'k') src += '[k\u212a]';
    else if (c === 'i' && i === word.length - 1) src += '(?:i|\u0130)';
    else src += /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(src, 'i');
}

/**
 * A test of whether every pattern is found in some search field of a finding (what
 * searchText(f).includes finds), its field visitors made once for all findings.
 */
export function searchFieldsMatcher(patterns: readonly RegExp[]): (f: Finding) => boolean {
  const visitors = patterns.map((p) => (t: string) => p.test(t));
  return (f) => {
    for (const v of visitors) if (!visitSearchFields(f, v)) return false;
    return true;
  };
}

/**
 * Distinct texts of one column, lower-cased, and each finding's code into them. Filled in finding
 * order up to `filled`; `grow` makes a larger one for an extended finding list that shares the
 * distinct texts (they are only appended to, so the smaller one stays valid).
 */
export class TextDictionary {
  private constructor(
    readonly id: TextFilterId,
    private codes: Uint32Array,
    /** Lower-cased distinct texts; code = position. */
    readonly values: string[],
    private readonly codeOf: Map<string, number>,
    private filled: number,
  ) {}

  static empty(id: TextFilterId, capacity: number): TextDictionary {
    return new TextDictionary(id, new Uint32Array(capacity), [], new Map(), 0);
  }

  grow(capacity: number): TextDictionary {
    const codes = new Uint32Array(capacity);
    codes.set(this.codes.subarray(0, Math.min(this.filled, capacity)));
    return new TextDictionary(this.id, codes, this.values, this.codeOf, Math.min(this.filled, capacity));
  }

  /** Codes of findings[0 .. findings.length), computing the missing ones. */
  codesFor(findings: readonly Finding[]): Uint32Array {
    const text = FILTER_TEXT[this.id];
    for (let i = this.filled; i < findings.length; i++) {
      const raw = text(findings[i]);
      let code = this.codeOf.get(raw);
      if (code === undefined) {
        code = this.values.length;
        this.values.push(raw.toLowerCase());
        this.codeOf.set(raw, code);
      }
      this.codes[i] = code;
    }
    this.filled = Math.max(this.filled, findings.length);
    return this.codes;
  }
}
