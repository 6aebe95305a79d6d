// One finding list prepared for fast sorting and filtering in the renderer. Built in O(1) when the
// findings arrive; everything costly is computed lazily, at most once per list, and kept:
// - per-finding text for the filters (logic/text-index), which also survives appending findings
//   (an index built from a list that extends the previous one reuses what that one computed);
// - derived tables (sort orders per column, severity codes ...) in a keyed memo, which does not
//   survive appending (a new finding can change every rank).
// Positions are indexes into `findings`; views (filtered, sorted) are typed arrays of positions,
// so 100,000 findings are never copied into new object arrays per keystroke.

import { SEVERITIES, type BaselineStatus, type Finding } from '../../shared/model/finding';
import { searchText, TextDictionary, type TextFilterId } from './text-index';

export const BASELINE_STATUSES: readonly BaselineStatus[] = ['none', 'baselined', 'baselined-but-suspicious'];

/** Code stored for a severity or baseline status that is not in its list. */
export const UNKNOWN_CODE = 255;

/** The small per-finding facts sorting and filtering read most, one typed array each. */
export interface Scalars {
  /** Position in SEVERITIES. */
  severity: Uint8Array;
  /** Position in BASELINE_STATUSES. */
  baseline: Uint8Array;
  /** timeMs; -Infinity where the finding has no time. */
  time: Float64Array;
  score: Float64Array;
}

export class FindingIndex {
  readonly length: number;
  private readonly memo = new Map<string, unknown>();
  private readonly search: string[];
  private searchFilled: number;
  private readonly dictionaries = new Map<TextFilterId, TextDictionary>();

  private constructor(
    readonly findings: readonly Finding[],
    previous: FindingIndex | undefined,
  ) {
    this.length = findings.length;
    if (previous) {
      this.search = previous.search.slice(0, previous.searchFilled);
      this.searchFilled = this.search.length;
      for (const [id, d] of previous.dictionaries) this.dictionaries.set(id, d.grow(this.length));
    } else {
      this.search = [];
      this.searchFilled = 0;
    }
  }

  /**
   * The index for `findings`. When they start with exactly the findings of `previous` (findings
   * appended while a case is read), the per-finding text computed for those is kept.
   */
  static of(findings: readonly Finding[], previous?: FindingIndex): FindingIndex {
    if (previous && previous.findings === findings) return previous;
    const reuse = previous && previous.length <= findings.length && isPrefix(previous.findings, findings) ? previous : undefined;
    return new FindingIndex(findings, reuse);
  }

  /** A value derived from the whole list, computed on first use. */
  derived<T>(key: string, build: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = build();
    this.memo.set(key, value);
    return value;
  }

  hasDerived(key: string): boolean {
    return this.memo.has(key);
  }

  /**
   * Severity, baseline status, time and score of every finding, read in one pass: 100,000 finding
   * objects are scattered over the heap, so each pass over them costs cache misses; the sort and
   * filter passes then read these arrays instead.
   */
  scalars(): Scalars {
    return this.derived('scalars', () => {
      const n = this.length;
      const out: Scalars = { severity: new Uint8Array(n), baseline: new Uint8Array(n), time: new Float64Array(n), score: new Float64Array(n) };
      const sev = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
      const base = new Map<string, number>(BASELINE_STATUSES.map((s, i) => [s, i]));
      for (let i = 0; i < n; i++) {
        const f = this.findings[i];
        out.severity[i] = sev.get(f.severity) ?? UNKNOWN_CODE;
        out.baseline[i] = base.get(f.baseline.status) ?? UNKNOWN_CODE;
        out.time[i] = Number.isFinite(f.timeMs) ? f.timeMs : -Infinity;
        out.score[i] = f.score;
      }
      return out;
    });
  }

  /** Lower-cased global search text of every finding. */
  searchTexts(): readonly string[] {
    this.warmSearch(this.length);
    return this.search;
  }

  /** The search texts made so far: those of findings 0 .. length - 1 (idle time makes the rest). */
  preparedSearchTexts(): readonly string[] {
    return this.search;
  }

  /** Computes the search text of up to `budget` more findings; true when all are done. */
  warmSearch(budget: number): boolean {
    const end = Math.min(this.length, this.searchFilled + budget);
    for (let i = this.searchFilled; i < end; i++) this.search.push(searchText(this.findings[i]));
    this.searchFilled = end;
    return end === this.length;
  }

  /** Codes of every finding into the distinct lower-cased texts of one column filter. */
  dictionary(id: TextFilterId): { codes: Uint32Array; values: readonly string[] } {
    let d = this.dictionaries.get(id);
    if (!d) {
      d = TextDictionary.empty(id, this.length);
      this.dictionaries.set(id, d);
    }
    return { codes: d.codesFor(this.findings), values: d.values };
  }
}

function isPrefix(a: readonly Finding[], b: readonly Finding[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
