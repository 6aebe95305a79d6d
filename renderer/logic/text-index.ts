// The text the finding filters match against, prepared once per finding rather than once per
// keystroke. Two shapes:
// - a dictionary per column filter (host, user, key, value name, writer, indicator): each finding
//   gets the code of its raw text, each distinct text is lower-cased once, so a filter tests every
//   distinct text once (500 hosts, not 100,000 findings) and then reads one code per finding;
// - one lower-cased search text per finding for the global search (values and command lines are
//   nearly unique, so a dictionary would not save anything there).
// Both only ever grow: findings appended to a case extend them, the codes and texts already made
// stay valid. Every string here is attacker-controlled data; it is only compared, never rendered.

import type { Finding } from '../../shared/model/finding';
import { baseName } from './format';

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

/** Everything the global search looks at, lower-cased, one field per line (a search word never spans two). */
export function searchText(f: Finding): string {
  const parts = [f.host, f.user, f.registryKey, f.valueName, f.value, f.normalizedValue, f.locationTitle, baseName(f.writer.image), f.decodedPowerShell, f.time, f.severity, f.attack.join(' '), f.evidence.ref.file];
  let s = '';
  for (const p of parts) if (p) s += `${p}\n`;
  return `${s}${writerText(f)}\n${indicatorText(f)}`.toLowerCase();
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
