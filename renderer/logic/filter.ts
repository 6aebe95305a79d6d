// Finding filters: a global search over the fields an analyst types into a search box, per-column
// substring filters, a severity set and a baseline status. All text matching is case-insensitive
// substring matching (Windows paths and names are case-insensitive). Baselined findings are hidden
// unless asked for; "baselined but still suspicious" ones are never hidden, because the engine
// keeps them visible on purpose.

import type { BaselineStatus, Finding, Severity } from '../../shared/model/finding';
import { baseName } from './format';

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

export type TextFilterId = 'host' | 'user' | 'key' | 'valueName' | 'writer' | 'indicator';

const TEXT_FIELDS: Readonly<Record<TextFilterId, (f: Finding) => string>> = {
  host: (f) => f.host,
  user: (f) => f.user ?? '',
  key: (f) => f.registryKey ?? '',
  valueName: (f) => f.valueName ?? '',
  writer: (f) => `${f.writer.image ?? ''}\n${f.writer.commandLine ?? ''}`,
  indicator: (f) => f.reasons.map((r) => `${r.id}\n${r.title}\n${r.attack.join(' ')}`).join('\n'),
};

const haystacks = new WeakMap<Finding, string>();

/** Everything the global search looks at, lower-cased once per finding object. */
function haystack(f: Finding): string {
  let h = haystacks.get(f);
  if (h === undefined) {
    h = [
      f.host,
      f.user,
      f.registryKey,
      f.valueName,
      f.value,
      f.normalizedValue,
      f.locationTitle,
      f.writer.image,
      baseName(f.writer.image),
      f.writer.commandLine,
      f.decodedPowerShell,
      f.time,
      f.severity,
      f.attack.join(' '),
      f.reasons.map((r) => `${r.id} ${r.title}`).join(' '),
      f.evidence.ref.file,
    ]
      .filter((x) => x)
      .join('\n')
      .toLowerCase();
    haystacks.set(f, h);
  }
  return h;
}

/** True when the baseline rules alone would hide this finding. */
export function hiddenByBaseline(f: Finding): boolean {
  return f.baseline.status === 'baselined';
}

export interface FilterResult {
  rows: Finding[];
  /** Findings that matched every other filter but are hidden because they are baselined. */
  hiddenBaselined: number;
}

export function filterFindings(findings: readonly Finding[], filters: FindingFilters): FilterResult {
  const search = filters.search.trim().toLowerCase();
  const terms = search ? search.split(/\s+/) : [];
  const sev = filters.severities.length ? new Set(filters.severities) : undefined;
  const text: Array<[(f: Finding) => string, string]> = [];
  for (const id of Object.keys(TEXT_FIELDS) as TextFilterId[]) {
    const q = filters[id].trim().toLowerCase();
    if (q) text.push([TEXT_FIELDS[id], q]);
  }
  const rows: Finding[] = [];
  let hiddenBaselined = 0;
  outer: for (const f of findings) {
    if (sev && !sev.has(f.severity)) continue;
    if (filters.baseline !== 'any' && f.baseline.status !== filters.baseline) continue;
    for (const [get, q] of text) if (!get(f).toLowerCase().includes(q)) continue outer;
    if (terms.length) {
      const h = haystack(f);
      for (const t of terms) if (!h.includes(t)) continue outer;
    }
    if (!filters.showBaselined && filters.baseline !== 'baselined' && hiddenByBaseline(f)) {
      hiddenBaselined++;
      continue;
    }
    rows.push(f);
  }
  return { rows, hiddenBaselined };
}

export function activeFilterCount(filters: FindingFilters): number {
  let n = 0;
  if (filters.search.trim()) n++;
  if (filters.severities.length) n++;
  if (filters.baseline !== 'any') n++;
  for (const id of Object.keys(TEXT_FIELDS) as TextFilterId[]) if (filters[id].trim()) n++;
  return n;
}
