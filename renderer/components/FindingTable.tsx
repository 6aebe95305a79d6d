// The finding table: @tanstack/react-table owns the column model (headers, visibility, sort state;
// sorting itself is manual, done by logic/sort on precomputed keys) and @tanstack/react-virtual
// renders only the rows in view, so 100,000 findings scroll smoothly. Keyboard: arrows / PageUp /
// PageDown / Home / End move the selection, Enter opens the detail (or a group), Space marks a row
// for "export selected", ArrowRight / ArrowLeft open and close a group. Every cell is text.

import { useCallback, useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { tableFeatures, useTable, rowSortingFeature, columnVisibilityFeature, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Finding } from '../../shared/model/finding';
import { COLUMNS, isColumnId, type ColumnDef as FindingColumn } from '../logic/columns';
import { groupSummary, type TableRow } from '../logic/group';
import { severityClass, severityLabel } from '../logic/severity';
import { formatUtc } from '../logic/format';

/** The table shows times to the second; the tooltip and the detail pane give the full precision. */
function tableTime(iso: string): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '—';
}
import { useCaseStore } from '../state/case-store';

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

function rowKey(r: TableRow): string {
  return r.type === 'group' ? `g:${r.group.key}` : `f:${r.finding.id}`;
}

function rowDomId(index: number): string {
  return `finding-row-${index}`;
}

function Cell({ col, finding }: { col: FindingColumn; finding: Finding }) {
  if (col.id === 'severity') return <span className={severityClass(finding.severity)}>{severityLabel(finding.severity)}</span>;
  if (col.id === 'time') return <>{tableTime(finding.time)}</>;
  const text = col.text(finding);
  return <>{text}</>;
}

export function focusDetail(): void {
  document.getElementById('detail-title')?.focus();
}

export function FindingTable({ rows }: { rows: TableRow[] }) {
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
  const visibleColumns = table.getVisibleLeafColumns();
  const visibleDefs = visibleColumns.map((c) => COLUMNS.find((x) => x.id === c.id)).filter((c): c is FindingColumn => !!c);
  const template = visibleDefs.map((c) => (c.flex ? `minmax(${c.width}px, ${c.width}fr)` : `${c.width}px`)).join(' ');
  const minWidth = visibleDefs.reduce((n, c) => n + c.width, 0);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // the sticky header sits in the same scroll container, above the rows
    scrollMargin: ROW_HEIGHT,
  });

  const selectedIndex = useMemo(() => {
    if (!selectedId) return -1;
    return rows.findIndex((r) => r.type === 'finding' && r.finding.id === selectedId);
  }, [rows, selectedId]);

  // keep the selection in view when it moves (keyboard) or the rows change (sort, filter)
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const selectIndex = useCallback(
    (i: number) => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
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
    const current = cur >= 0 ? rows[cur] : undefined;
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

  function onRowClick(e: MouseEvent, r: TableRow): void {
    if (r.type === 'group') {
      toggleGroup(r.group.key);
      return;
    }
    if (e.ctrlKey || e.metaKey) toggleMarked(r.finding.id);
    select(r.finding.id);
  }

  const items = virtualizer.getVirtualItems();
  const activeDescendant = selectedIndex >= 0 && items.some((v) => v.index === selectedIndex) ? rowDomId(selectedIndex) : undefined;

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
          <div className="ft-spacer" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((v) => {
              const r = rows[v.index];
              const selected = v.index === selectedIndex;
              const isMarked = r.type === 'finding' && marked.has(r.finding.id);
              const cls = `ft-row${selected ? ' selected' : ''}${isMarked ? ' marked' : ''}${r.type === 'group' ? ' group' : ''}${r.type === 'finding' && r.depth ? ' member' : ''}`;
              return (
                <div
                  key={rowKey(r)}
                  id={rowDomId(v.index)}
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-selected={r.type === 'finding' ? selected : undefined}
                  aria-expanded={r.type === 'group' ? r.expanded : undefined}
                  className={cls}
                  style={{ transform: `translateY(${v.start - ROW_HEIGHT}px)`, gridTemplateColumns: template }}
                  onClick={(e) => onRowClick(e, r)}
                  onDoubleClick={() => r.type === 'finding' && focusDetail()}
                  data-finding-id={r.type === 'finding' ? r.finding.id : undefined}
                >
                  {r.type === 'group' ? (
                    <div role="gridcell" className="ft-group-cell" aria-colspan={visibleDefs.length}>
                      <span aria-hidden="true">{r.expanded ? '▾ ' : '▸ '}</span>
                      <span className={severityClass(r.group.severity)}>{severityLabel(r.group.severity)}</span>{' '}
                      <strong>{groupSummary(r.group)}</strong> <span className="group-value">{r.group.key}</span>
                    </div>
                  ) : (
                    visibleDefs.map((c) => (
                      <div key={c.id} role="gridcell" className={`ft-td col-${c.id}`} title={c.id === 'severity' ? undefined : c.id === 'time' ? formatUtc(r.finding.time) : c.text(r.finding)}>
                        {c.id === 'severity' && isMarked ? <span className="mark-tick">✓ </span> : null}
                        <Cell col={c} finding={r.finding} />
                      </div>
                    ))
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
