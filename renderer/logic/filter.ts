// Finding filters: a global search over the fields an analyst types into a search box, per-column
// substring filters, a severity set and a baseline status. All text matching is case-insensitive
// substring matching (Windows paths and names are case-insensitive). Baselined findings are hidden
// unless asked for; "baselined but still suspicious" ones are never hidden, because the engine
// keeps them visible on purpose.
//
// Speed (100,000 findings, target under 200 ms to the rows painted): the text is prepared once per
// finding (logic/text-index, via the FindingIndex), a column filter tests each distinct text once,
// and the result is a flag per position, not a new array of findings. A search that only extends
// the previous one (the analyst typing on) tests only the findings the previous one matched.

import { SEVERITIES, type BaselineStatus, type Finding, type Severity } from '../../shared/model/finding';
import { BASELINE_STATUSES, FindingIndex } from './finding-index';
import { searchFieldsMatcher, searchWordPattern, TEXT_FILTER_IDS, type TextFilterId } from './text-index';

export { TEXT_FILTER_IDS, type TextFilterId } from './text-index';

export type BaselineFilter = 'any' | BaselineStatus;

export interface FindingFilters {
  search: string;
  /** Empty: every severity. */
  severities: Severity[];
  host: string;
  user: string;
  key: string;
  valueName: string;
  writer: string;
  indicator: string;
  baseline: BaselineFilter;
  showBaselined: boolean;
}

export const EMPTY_FILTERS: FindingFilters = {
  search: '',
  severities: [],
  host: '',
  user: '',
  key: '',
  valueName: '',
  writer: '',
  indicator: '',
  baseline: 'any',
  showBaselined: false,
};

/** True when the baseline rules alone would hide this finding. */
export function hiddenByBaseline(f: Finding): boolean {
  return f.baseline.status === 'baselined';
}

export interface FilterResult {
  /** keep[i] = 1 when findings[i] passes; null when every finding does. */
  keep: Uint8Array | null;
  /** How many pass. */
  count: number;
  /** Findings that matched every other filter but are hidden because they are baselined. */
  hiddenBaselined: number;
}

/** Which distinct texts of a column contain `q` (already lower-cased). */
function dictionaryHits(index: FindingIndex, id: TextFilterId, q: string): { codes: Uint32Array; hit: Uint8Array } {
  const d = index.dictionary(id);
  const hit = new Uint8Array(d.values.length);
  for (let c = 0; c < d.values.length; c++) if (d.values[c].includes(q)) hit[c] = 1;
  return { codes: d.codes, hit };
}

interface SearchMemo {
  query: string;
  match: Uint8Array;
}

/** match[i] = 1 when the search text of finding i contains every word of `query` (lower-cased, trimmed, non-empty). */
function searchMatches(index: FindingIndex, query: string): Uint8Array {
  const memo = index.derived<{ last: SearchMemo | null }>('filter:search', () => ({ last: null }));
  const last = memo.last;
  if (last && last.query === query) return last.match;
  const terms = query.split(/\s+/);
  // Findings whose search text idle time has not made yet are searched field by field: making
  // the text of 100,000 findings for the first search, right after they came, took longer than
  // searching their fields. A word outside ASCII needs the lower-cased text (see searchWordPattern).
  const patterns = terms.map(searchWordPattern);
  const direct = patterns.every((p) => p !== undefined) ? searchFieldsMatcher(patterns as RegExp[]) : null;
  const texts = direct ? index.preparedSearchTexts() : index.searchTexts();
  const findings = index.findings;
  const match = new Uint8Array(index.length);
  // typing on: the new words extend the old ones, so only the old matches can match
  const within = last && query.startsWith(last.query) ? last.match : null;
  outer: for (let i = 0; i < index.length; i++) {
    if (within && !within[i]) continue;
    if (i >= texts.length) {
      if (direct && direct(findings[i])) match[i] = 1;
      continue;
    }
    const text = texts[i];
    for (const t of terms) if (!text.includes(t)) continue outer;
    match[i] = 1;
  }
  memo.last = { query, match };
  return match;
}

export function filterIndex(index: FindingIndex, filters: FindingFilters): FilterResult {
  const n = index.length;
  const query = filters.search.trim().toLowerCase();
  const hideBaselined = !filters.showBaselined && filters.baseline !== 'baselined';
  const wantSeverity = filters.severities.length ? new Uint8Array(SEVERITIES.length) : null;
  for (const s of filters.severities) if (wantSeverity) wantSeverity[SEVERITIES.indexOf(s)] = 1;
  const wantBaseline = filters.baseline === 'any' ? -1 : BASELINE_STATUSES.indexOf(filters.baseline);
  const text: Array<{ codes: Uint32Array; hit: Uint8Array }> = [];
  for (const id of TEXT_FILTER_IDS) {
    const q = filters[id].trim().toLowerCase();
    if (q) text.push(dictionaryHits(index, id, q));
  }
  const search = query ? searchMatches(index, query) : null;
  const codes = index.scalars();
  const baselinedCode = BASELINE_STATUSES.indexOf('baselined');
  const keep = new Uint8Array(n);
  let count = 0;
  let hiddenBaselined = 0;
  outer: for (let i = 0; i < n; i++) {
    if (wantSeverity && !wantSeverity[codes.severity[i]]) continue;
    if (wantBaseline >= 0 && codes.baseline[i] !== wantBaseline) continue;
    for (const t of text) if (!t.hit[t.codes[i]]) continue outer;
    if (search && !search[i]) continue;
    if (hideBaselined && codes.baseline[i] === baselinedCode) {
      hiddenBaselined++;
      continue;
    }
    keep[i] = 1;
    count++;
  }
  return { keep: count === n ? null : keep, count, hiddenBaselined };
}

/** The findings of a plain list that pass, in list order (the index is built for this one call). */
export function filterFindings(findings: readonly Finding[], filters: FindingFilters): { rows: Finding[]; hiddenBaselined: number } {
  const r = filterIndex(FindingIndex.of(findings), filters);
  const rows = r.keep ? findings.filter((_, i) => r.keep?.[i] === 1) : findings.slice();
  return { rows, hiddenBaselined: r.hiddenBaselined };
}

export function activeFilterCount(filters: FindingFilters): number {
  let n = 0;
  if (filters.search.trim()) n++;
  if (filters.severities.length) n++;
  if (filters.baseline !== 'any') n++;
  for (const id of TEXT_FILTER_IDS) if (filters[id].trim()) n++;
  return n;
}
