// The finding table: @tanstack/react-table owns the column model (headers, visibility, sort state;
// sorting itself is manual, done by logic/sort on precomputed keys) and only the rows in view are
// rendered (useRowWindow: fixed row height, nothing measured), so 100,000 findings scroll
// smoothly. Keyboard: arrows / PageUp / PageDown / Home / End move the selection, Enter opens the
// detail (or a group), Space marks a row for "export selected", ArrowRight / ArrowLeft open and
// close a group. Every cell is text.

import { memo, useCallback, useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { tableFeatures, useTable, rowSortingFeature, columnVisibilityFeature, type ColumnDef, type SortingState } from '@tanstack/react-table';
import type { Finding } from '../../shared/model/finding';
import { COLUMNS, isColumnId, type ColumnDef as FindingColumn } from '../logic/columns';
import { groupSummary, type FindingGroup } from '../logic/group';
import type { RowModel } from '../logic/row-model';
import { severityClass, severityLabel } from '../logic/severity';
import { formatUtc } from '../logic/format';
import { useCaseStore } from '../state/case-store';
import { useRowWindow } from './useRowWindow';

/** The table shows times to the second; the tooltip and the detail pane give the full precision. */
function tableTime(iso: string): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '—';
}

const features = tableFeatures({ rowSortingFeature, columnVisibilityFeature });
const ROW_HEIGHT = 30;
const NO_DATA: Finding[] = [];

const columnDefs: Array<ColumnDef<typeof features, Finding>> = COLUMNS.map((c) => ({
  id: c.id,
  header: c.label,
  accessorFn: (f: Finding) => c.sortKey(f),
  size: c.width,
  enableSorting: true,
}));

function rowDomId(index: number): string {
  return `finding-row-${index}`;
}

function Cell({ col, finding }: { col: FindingColumn; finding: Finding }) {
  if (col.id === 'severity') return <span className={severityClass(finding.severity)}>{severityLabel(finding.severity)}</span>;
  if (col.id === 'time') return <>{tableTime(finding.time)}</>;
  if (col.id === 'record') {
    const text = col.text(finding);
    return text ? <span className="recovered-badge">{text}</span> : null;
  }
  const text = col.text(finding);
  return <>{text}</>;
}

/** Ctrl/Cmd+click marks for export as well; read from the store at click time so rows need no callbacks as props. */
function clickFinding(e: MouseEvent, id: string): void {
  const s = useCaseStore.getState();
  if (e.ctrlKey || e.metaKey) s.toggleMarked(id);
  s.select(id);
}

interface FindingRowProps {
  finding: Finding;
  depth: 0 | 1;
  index: number;
  top: number;
  selected: boolean;
  marked: boolean;
  template: string;
  defs: readonly FindingColumn[];
}

/** One finding row; memoised, so moving the selection re-renders two rows, not the window. */
const FindingRow = memo(function FindingRow({ finding, depth, index, top, selected, marked, template, defs }: FindingRowProps) {
  const cls = `ft-row${selected ? ' selected' : ''}${marked ? ' marked' : ''}${depth ? ' member' : ''}`;
  return (
    <div
      id={rowDomId(index)}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={cls}
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      onClick={(e) => clickFinding(e, finding.id)}
      onDoubleClick={focusDetail}
      data-finding-id={finding.id}
    >
      {defs.map((c) => (
        <div key={c.id} role="gridcell" className={`ft-td col-${c.id}`} title={c.id === 'severity' ? undefined : c.id === 'time' ? formatUtc(finding.time) : c.text(finding)}>
          {c.id === 'severity' && marked ? <span className="mark-tick">✓ </span> : null}
          <Cell col={c} finding={finding} />
        </div>
      ))}
    </div>
  );
});

interface GroupRowProps {
  group: FindingGroup;
  expanded: boolean;
  index: number;
  top: number;
  template: string;
  colCount: number;
}

const GroupRow = memo(function GroupRow({ group, expanded, index, top, template, colCount }: GroupRowProps) {
  return (
    <div
      id={rowDomId(index)}
      role="row"
      aria-rowindex={index + 2}
      aria-expanded={expanded}
      className="ft-row group"
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      onClick={() => useCaseStore.getState().toggleGroup(group.key)}
    >
      <div role="gridcell" className="ft-group-cell" aria-colspan={colCount}>
        <span aria-hidden="true">{expanded ? '▾ ' : '▸ '}</span>
        <span className={severityClass(group.severity)}>{severityLabel(group.severity)}</span> <strong>{groupSummary(group)}</strong>{' '}
        <span className="group-value">{group.key}</span>
      </div>
    </div>
  );
});

export function focusDetail(): void {
  document.getElementById('detail-title')?.focus();
}

export function FindingTable({ rows }: { rows: RowModel }) {
  const sort = useCaseStore((s) => s.sort);
  const setSort = useCaseStore((s) => s.setSort);
  const visibility = useCaseStore((s) => s.columnVisibility);
  const selectedId = useCaseStore((s) => s.selectedId);
  const select = useCaseStore((s) => s.select);
  const marked = useCaseStore((s) => s.marked);
  const toggleMarked = useCaseStore((s) => s.toggleMarked);
  const toggleGroup = useCaseStore((s) => s.toggleGroup);
  const scrollRef = useRef<HTMLDivElement>(null);

  const sorting: SortingState = useMemo(() => [{ id: sort.column, desc: sort.desc }], [sort]);
  const table = useTable({
    features,
    columns: columnDefs,
    data: NO_DATA, // rows are sorted, filtered and grouped by logic/ and rendered below
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater;
      const first = next[0];
      if (first && isColumnId(first.id)) setSort({ column: first.id, desc: first.desc });
    },
  });
  const visibleIds = table
    .getVisibleLeafColumns()
    .map((c) => c.id)
    .join(',');
  const visibleDefs = useMemo(() => visibleIds.split(',').map((id) => COLUMNS.find((x) => x.id === id)).filter((c): c is FindingColumn => !!c), [visibleIds]);
  const template = useMemo(() => visibleDefs.map((c) => (c.flex ? `minmax(${c.width}px, ${c.width}fr)` : `${c.width}px`)).join(' '), [visibleDefs]);
  const minWidth = visibleDefs.reduce((n, c) => n + c.width, 0);

  const win = useRowWindow(scrollRef, rows.length, ROW_HEIGHT, ROW_HEIGHT, 12);

  const selectedIndex = useMemo(() => (selectedId ? rows.positionOf(selectedId) : -1), [rows, selectedId]);

  // keep the selection in view when it moves (keyboard) or the rows change (sort, filter)
  const { scrollToIndex } = win;
  useEffect(() => {
    if (selectedIndex >= 0) scrollToIndex(selectedIndex);
  }, [selectedIndex, scrollToIndex]);

  const selectIndex = useCallback(
    (i: number) => {
      const r = rows.at(Math.max(0, Math.min(rows.length - 1, i)));
      if (!r) return;
      if (r.type === 'finding') select(r.finding.id);
      else {
        // a collapsed group: select its first member after opening it
        if (!r.expanded) toggleGroup(r.group.key);
        select(r.group.findings[0].id);
      }
    },
    [rows, select, toggleGroup],
  );

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const cur = selectedIndex;
    const current = cur >= 0 ? rows.at(cur) : undefined;
    switch (e.key) {
      case 'ArrowDown':
        selectIndex(cur + 1);
        break;
      case 'ArrowUp':
        selectIndex(cur < 0 ? 0 : cur - 1);
        break;
      case 'PageDown':
        selectIndex(cur + page);
        break;
      case 'PageUp':
        selectIndex(cur - page);
        break;
      case 'Home':
        selectIndex(0);
        break;
      case 'End':
        selectIndex(rows.length - 1);
        break;
      case 'Enter':
        if (cur < 0) selectIndex(0);
        else focusDetail();
        break;
      case ' ':
        if (current?.type === 'finding') toggleMarked(current.finding.id);
        break;
      case 'ArrowLeft': {
        // close the group the selection is in
        if (current?.type === 'finding' && current.depth === 1) {
          const key = current.finding.normalizedValue || current.finding.value;
          toggleGroup(key);
        }
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  const activeDescendant = selectedIndex >= win.start && selectedIndex < win.end ? rowDomId(selectedIndex) : undefined;
  const shown: number[] = [];
  for (let i = win.start; i < win.end; i++) shown.push(i);

  return (
    <div
      className="finding-table"
      ref={scrollRef}
      role="grid"
      aria-label="Findings: arrow keys move, Enter opens the detail, Space marks for export"
      aria-rowcount={rows.length + 1}
      aria-colcount={visibleDefs.length}
      tabIndex={0}
      aria-activedescendant={activeDescendant}
      onKeyDown={onKeyDown}
      onScroll={win.onScroll}
      data-testid="finding-rows"
    >
      <div className="ft-inner" style={{ minWidth }}>
        <div className="ft-head" role="rowgroup">
          <div className="ft-row ft-header-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
            {table.getHeaderGroups()[0]?.headers.map((h) => {
              const s = h.column.getIsSorted();
              const def = COLUMNS.find((c) => c.id === h.column.id);
              return (
                <div key={h.id} role="columnheader" aria-sort={s === 'asc' ? 'ascending' : s === 'desc' ? 'descending' : 'none'} className="ft-th">
                  <button type="button" className="th-button" onClick={h.column.getToggleSortingHandler()} title={`Sort by ${def?.label ?? h.column.id}`}>
                    {def?.label}
                    <span aria-hidden="true" className="sort-mark">
                      {s === 'asc' ? ' ▲' : s === 'desc' ? ' ▼' : ''}
                    </span>
                  </button>
                </div>
              );
            })}
          </div>
        </div>
        {rows.length === 0 ? (
          <div className="ft-empty" role="row">
            <div role="gridcell">No findings match.</div>
          </div>
        ) : (
          <div className="ft-spacer" role="rowgroup" style={{ height: rows.length * ROW_HEIGHT }}>
            {shown.map((index) => {
              const r = rows.at(index);
              if (!r) return null;
              const top = index * ROW_HEIGHT;
              return r.type === 'group' ? (
                <GroupRow key={`g:${r.group.key}`} group={r.group} expanded={r.expanded} index={index} top={top} template={template} colCount={visibleDefs.length} />
              ) : (
                <FindingRow
                  key={`f:${r.finding.id}`}
                  finding={r.finding}
                  depth={r.depth}
                  index={index}
                  top={top}
                  selected={index === selectedIndex}
                  marked={marked.has(r.finding.id)}
                  template={template}
                  defs={visibleDefs}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
