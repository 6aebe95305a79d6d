// Derived views of the store (filtered → sorted → grouped rows). One module-level memo per stage,
// keyed on the identity of its inputs, is shared by every component that asks (the table, the
// counts, the export menu), so 100,000 findings are filtered and sorted once per change, not once
// per reader.

import { useEffect } from 'react';
import { useCaseStore } from './case-store';
import { filterFindings, warmFilterCache, type FilterResult, type FindingFilters } from '../logic/filter';
import { sortFindings, type SortSpec } from '../logic/sort';
import { tableRows, type TableRow } from '../logic/group';
import type { Finding } from '../../shared/model/finding';

export interface TableView {
  filtered: Finding[];
  rows: TableRow[];
  hiddenBaselined: number;
}

function memo1<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; value: R } | undefined;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((a, i) => a === args[i])) return last.value;
    const value = fn(...args);
    last = { args, value };
    return value;
  };
}

const filterStage = memo1((findings: Finding[], filters: FindingFilters): FilterResult => filterFindings(findings, filters));
const sortStage = memo1((filtered: FilterResult, sort: SortSpec): Finding[] => sortFindings(filtered.rows, sort));
const rowStage = memo1((sorted: Finding[], grouped: boolean, expanded: ReadonlySet<string>): TableRow[] => tableRows(sorted, grouped, expanded));

export function useTableView(): TableView {
  const findings = useCaseStore((s) => s.findings);
  const filters = useCaseStore((s) => s.filters);
  const sort = useCaseStore((s) => s.sort);
  const grouped = useCaseStore((s) => s.grouped);
  const expanded = useCaseStore((s) => s.expandedGroups);
  const filtered = filterStage(findings, filters);
  const sorted = sortStage(filtered, sort);
  const rows = rowStage(sorted, grouped, expanded);
  return { filtered: sorted, rows, hiddenBaselined: filtered.hiddenBaselined };
}

export function useSelectedFinding(): Finding | undefined {
  const id = useCaseStore((s) => s.selectedId);
  const byId = useCaseStore((s) => s.findingById);
  return id ? byId.get(id) : undefined;
}

/** Prepares the search cache in idle slices after the findings change, so the first search is quick. */
export function useWarmSearchCache(): void {
  const findings = useCaseStore((s) => s.findings);
  useEffect(() => {
    let from = 0;
    let handle = 0;
    const step = () => {
      from = warmFilterCache(findings, from, 5000);
      if (from < findings.length) handle = window.setTimeout(step, 0);
    };
    handle = window.setTimeout(step, 50);
    return () => window.clearTimeout(handle);
  }, [findings]);
}
