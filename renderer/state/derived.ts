// Derived views of the store (filtered → sorted → grouped rows), memoized on the inputs that
// change them, so typing in one filter box does not re-sort on every unrelated store update.

import { useMemo } from 'react';
import { useCaseStore } from './case-store';
import { filterFindings } from '../logic/filter';
import { sortFindings } from '../logic/sort';
import { tableRows, type TableRow } from '../logic/group';
import type { Finding } from '../../shared/model/finding';

export interface TableView {
  filtered: Finding[];
  rows: TableRow[];
  hiddenBaselined: number;
}

export function useTableView(): TableView {
  const findings = useCaseStore((s) => s.findings);
  const filters = useCaseStore((s) => s.filters);
  const sort = useCaseStore((s) => s.sort);
  const grouped = useCaseStore((s) => s.grouped);
  const expanded = useCaseStore((s) => s.expandedGroups);
  const filtered = useMemo(() => filterFindings(findings, filters), [findings, filters]);
  const sorted = useMemo(() => sortFindings(filtered.rows, sort), [filtered, sort]);
  const rows = useMemo(() => tableRows(sorted, grouped, expanded), [sorted, grouped, expanded]);
  return { filtered: sorted, rows, hiddenBaselined: filtered.hiddenBaselined };
}

export function useSelectedFinding(): Finding | undefined {
  const id = useCaseStore((s) => s.selectedId);
  const byId = useCaseStore((s) => s.findingById);
  return id ? byId.get(id) : undefined;
}
