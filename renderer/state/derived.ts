// Derived views of the store (findings → index → filtered → sorted → rows). One module-level memo
// per stage, keyed on the identity of its inputs, is shared by every component that asks (the
// table, the counts, the export menu), so 100,000 findings are filtered and sorted once per change,
// not once per reader. Stages hand typed arrays of positions to each other, not finding arrays.

import { useEffect } from 'react';
import { useCaseStore } from './case-store';
import { filterIndex, type FilterResult, type FindingFilters } from '../logic/filter';
import { columnOrder, hasColumnOrder, sortedView, type SortedView, type SortSpec } from '../logic/sort';
import { flatRows, groupedRows, type RowModel } from '../logic/row-model';
import { FindingIndex } from '../logic/finding-index';
import { TEXT_FILTER_IDS } from '../logic/text-index';
import { COLUMNS, type ColumnId } from '../logic/columns';
import type { Finding } from '../../shared/model/finding';

export interface TableView {
  index: FindingIndex;
  /** Positions (into index.findings) of the findings shown, in display order. */
  sorted: SortedView;
  rows: RowModel;
  shown: number;
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

let lastIndex: FindingIndex | undefined;
const indexStage = memo1((findings: Finding[]): FindingIndex => (lastIndex = FindingIndex.of(findings, lastIndex)));
const filterStage = memo1((index: FindingIndex, filters: FindingFilters): FilterResult => filterIndex(index, filters));
let lastSorted: SortedView | undefined;
const sortStage = memo1((index: FindingIndex, filtered: FilterResult, sort: SortSpec): SortedView => {
  const sorted = sortedView(index, filtered.keep, filtered.count, sort);
  lastSorted = sorted;
  // the first rows may have been made without the full order: finish it once the screen is painted
  if (typeof window !== 'undefined') whenIdle(() => sorted.full());
  return sorted;
});
const rowStage = memo1((index: FindingIndex, sorted: SortedView, expanded: ReadonlySet<string> | null): RowModel =>
  expanded ? groupedRows(findingsAt(index, sorted.full()), expanded) : flatRows(index, sorted),
);
const viewStage = memo1(
  (index: FindingIndex, filtered: FilterResult, sorted: SortedView, rows: RowModel): TableView => ({ index, sorted, rows, shown: sorted.length, hiddenBaselined: filtered.hiddenBaselined }),
);

function findingsAt(index: FindingIndex, order: Uint32Array): Finding[] {
  const out = new Array<Finding>(order.length);
  for (let k = 0; k < order.length; k++) out[k] = index.findings[order[k]];
  return out;
}

/** The shown findings in display order, as a list (for exports); made on demand, once per view. */
export const shownFindings = memo1((view: TableView): Finding[] => findingsAt(view.index, view.sorted.full()));

export function useTableView(): TableView {
  const findings = useCaseStore((s) => s.findings);
  const filters = useCaseStore((s) => s.filters);
  const sort = useCaseStore((s) => s.sort);
  const grouped = useCaseStore((s) => s.grouped);
  const expanded = useCaseStore((s) => s.expandedGroups);
  const index = indexStage(findings);
  const filtered = filterStage(index, filters);
  const sorted = sortStage(index, filtered, sort);
  const rows = rowStage(index, sorted, grouped ? expanded : null);
  return viewStage(index, filtered, sorted, rows);
}

export function useSelectedFinding(): Finding | undefined {
  const id = useCaseStore((s) => s.selectedId);
  const byId = useCaseStore((s) => s.findingById);
  return id ? byId.get(id) : undefined;
}

type IdleHandle = { cancel(): void };

function whenIdle(fn: () => void): IdleHandle {
  if (typeof window.requestIdleCallback === 'function') {
    const h = window.requestIdleCallback(fn, { timeout: 1000 });
    return { cancel: () => window.cancelIdleCallback(h) };
  }
  const h = window.setTimeout(fn, 16);
  return { cancel: () => window.clearTimeout(h) };
}

/**
 * After the findings change, prepares in idle time, one small step per idle callback, what the next
 * actions need: the global search text of every finding (in slices), the column filter
 * dictionaries, and the sort order of every visible column in both directions. So the first search
 * or sort by a column is one pass, not a preparation.
 */
export function useIdlePreparation(): void {
  const findings = useCaseStore((s) => s.findings);
  useEffect(() => {
    const index = indexStage(findings);
    // first the rest of the order on screen (its first rows may have been made without it)
    const steps: Array<() => boolean> = [() => (lastSorted?.full(), true), () => index.warmSearch(4000)];
    for (const id of TEXT_FILTER_IDS) steps.push(() => (index.dictionary(id), true));
    const visible = useCaseStore.getState().columnVisibility;
    const columns: ColumnId[] = COLUMNS.filter((c) => visible[c.id]).map((c) => c.id);
    for (const column of columns) {
      steps.push(() => (hasColumnOrder(index, column) || columnOrder(index, { column, desc: false }), true));
      steps.push(() => (columnOrder(index, { column, desc: true }), true));
    }
    let handle: IdleHandle | undefined;
    const run = () => {
      const step = steps[0];
      if (!step) {
        // read by the UI benchmark: from here on, sorts and searches need no preparation
        performance.mark('runkey:prepared');
        return;
      }
      if (step()) steps.shift();
      handle = whenIdle(run);
    };
    handle = whenIdle(run);
    return () => handle?.cancel();
  }, [findings]);
}
