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

/** Lower-cased fields of one finding, computed once per finding object and reused by every filter. */
interface LowerFields {
  host: string;
  user: string;
  key: string;
  valueName: string;
  writer: string;
  indicator: string;
  /** Everything the global search looks at. */
  all: string;
}

const lowered = new WeakMap<Finding, LowerFields>();

export function lowerFields(f: Finding): LowerFields {
  let l = lowered.get(f);
  if (l === undefined) {
    const indicator = f.reasons.map((r) => `${r.id}\n${r.title}\n${r.attack.join(' ')}`).join('\n').toLowerCase();
    const writer = `${f.writer.image ?? ''}\n${f.writer.commandLine ?? ''}`.toLowerCase();
    l = {
      host: f.host.toLowerCase(),
      user: (f.user ?? '').toLowerCase(),
      key: (f.registryKey ?? '').toLowerCase(),
      valueName: (f.valueName ?? '').toLowerCase(),
      writer,
      indicator,
      all: [f.host, f.user, f.registryKey, f.valueName, f.value, f.normalizedValue, f.locationTitle, baseName(f.writer.image), f.decodedPowerShell, f.time, f.severity, f.attack.join(' '), f.evidence.ref.file]
        .filter((x) => x)
        .join('\n')
        .toLowerCase()
        .concat('\n', writer, '\n', indicator),
    };
    lowered.set(f, l);
  }
  return l;
}

/** Fills the per-finding cache a slice at a time while the app is idle, so the first search is fast. */
export function warmFilterCache(findings: readonly Finding[], from = 0, budget = 2000): number {
  const end = Math.min(findings.length, from + budget);
  for (let i = from; i < end; i++) lowerFields(findings[i]);
  return end;
}

const TEXT_IDS: readonly TextFilterId[] = ['host', 'user', 'key', 'valueName', 'writer', 'indicator'];

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
  const text: Array<[TextFilterId, string]> = [];
  for (const id of TEXT_IDS) {
    const q = filters[id].trim().toLowerCase();
    if (q) text.push([id, q]);
  }
  const rows: Finding[] = [];
  let hiddenBaselined = 0;
  outer: for (const f of findings) {
    if (sev && !sev.has(f.severity)) continue;
    if (filters.baseline !== 'any' && f.baseline.status !== filters.baseline) continue;
    if (text.length || terms.length) {
      const l = lowerFields(f);
      for (const [id, q] of text) if (!l[id].includes(q)) continue outer;
      for (const t of terms) if (!l.all.includes(t)) continue outer;
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
  for (const id of TEXT_IDS) if (filters[id].trim()) n++;
  return n;
}
