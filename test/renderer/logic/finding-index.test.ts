// The indexed sort and filter (typed-array orders, per-column dictionaries, prepared search text,
// search refinement while typing, reuse across appended findings) against the plain definitions
// applied finding by finding: a comparator sort and a per-finding substring test.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SEVERITIES, type Finding, type Severity } from '../../../shared/model/finding';
import { syntheticFindings } from '../../../renderer/dev/synthetic-findings';
import { FindingIndex } from '../../../renderer/logic/finding-index';
import { COLUMNS, COLUMN_BY_ID, type ColumnId } from '../../../renderer/logic/columns';
import { columnOrder, HEAD_ROWS, keepInOrder, sortedView, sortFindings, type SortSpec } from '../../../renderer/logic/sort';
import { EMPTY_FILTERS, filterIndex, type FindingFilters } from '../../../renderer/logic/filter';
import { FILTER_TEXT, searchText, TEXT_FILTER_IDS } from '../../../renderer/logic/text-index';
import { flatRows, groupedRows } from '../../../renderer/logic/row-model';
import { FindingLookup } from '../../../renderer/state/case-store';
import { finding } from './fixtures';

/** The order the table promises: by the column's key, then time (none first), then id; ties keep that in both directions. */
function referenceSort(findings: readonly Finding[], spec: SortSpec): Finding[] {
  const col = COLUMN_BY_ID.get(spec.column);
  if (!col) throw new Error(spec.column);
  const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);
  const time = (f: Finding) => (Number.isFinite(f.timeMs) ? f.timeMs : -Infinity);
  const key = (f: Finding) => {
    const k = col.sortKey(f);
    return typeof k === 'number' && Number.isNaN(k) ? -Infinity : k;
  };
  return [...findings].sort((a, b) => (spec.desc ? -1 : 1) * cmp(key(a), key(b)) || cmp(time(a), time(b)) || cmp(a.id, b.id));
}

/** Every filter applied to one finding at a time, from the definitions in text-index. */
function referenceFilter(findings: readonly Finding[], filters: FindingFilters): { ids: string[]; hiddenBaselined: number } {
  const terms = filters.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const ids: string[] = [];
  let hiddenBaselined = 0;
  for (const f of findings) {
    if (filters.severities.length && !filters.severities.includes(f.severity)) continue;
    if (filters.baseline !== 'any' && f.baseline.status !== filters.baseline) continue;
    if (TEXT_FILTER_IDS.some((id) => filters[id].trim() && !FILTER_TEXT[id](f).toLowerCase().includes(filters[id].trim().toLowerCase()))) continue;
    if (terms.some((t) => !searchText(f).includes(t))) continue;
    if (!filters.showBaselined && filters.baseline !== 'baselined' && f.baseline.status === 'baselined') {
      hiddenBaselined++;
      continue;
    }
    ids.push(f.id);
  }
  return { ids, hiddenBaselined };
}

function shownIds(index: FindingIndex, filters: FindingFilters, spec: SortSpec = { column: 'time', desc: false }): string[] {
  const r = filterIndex(index, filters);
  return Array.from(keepInOrder(columnOrder(index, spec), r.keep, r.count), (i) => index.findings[i].id);
}

const ids = (xs: readonly Finding[]) => xs.map((f) => f.id);

describe('indexed sort', () => {
  const findings = syntheticFindings(3000, 11);
  // some findings without a time, some sharing one, a NaN score and a case variant of a host
  findings[5] = { ...findings[5], timeMs: Number.NaN, time: '' };
  findings[6] = { ...findings[6], timeMs: findings[7].timeMs };
  findings[8] = { ...findings[8], score: Number.NaN };
  findings[9] = { ...findings[9], host: findings[10].host.toLowerCase() };

  it('orders every column in both directions like the comparator definition', () => {
    const index = FindingIndex.of(findings);
    for (const c of COLUMNS) {
      for (const desc of [false, true]) {
        const got = Array.from(columnOrder(index, { column: c.id, desc }), (i) => findings[i].id);
        expect(got, `${c.id} ${desc ? 'desc' : 'asc'}`).toEqual(ids(referenceSort(findings, { column: c.id, desc })));
      }
    }
  });

  it('orders times that are not integers or span centuries (the unpacked path) like the definition', () => {
    const odd = syntheticFindings(500, 3).map((f, i) => ({ ...f, timeMs: i % 3 === 0 ? f.timeMs + 0.25 : i % 3 === 1 ? -11644473600000 + i : f.timeMs }));
    expect(ids(sortFindings(odd, { column: 'time', desc: true }))).toEqual(ids(referenceSort(odd, { column: 'time', desc: true })));
    expect(ids(sortFindings(odd, { column: 'host', desc: false }))).toEqual(ids(referenceSort(odd, { column: 'host', desc: false })));
  });

  it('keeps only the filtered positions, in sorted order', () => {
    const index = FindingIndex.of(findings);
    const order = columnOrder(index, { column: 'host', desc: true });
    const keep = new Uint8Array(findings.length);
    for (let i = 0; i < keep.length; i += 3) keep[i] = 1;
    const count = keep.reduce((n, x) => n + x, 0);
    const kept = keepInOrder(order, keep, count);
    expect(Array.from(kept)).toEqual(Array.from(order).filter((i) => keep[i]));
    expect(keepInOrder(order, null, findings.length)).toBe(order);
  });
});

describe('first rows before the full order', () => {
  it('are exactly the first rows of the full order, for every column, direction and filter, cold or warm', () => {
    const findings = syntheticFindings(4000, 21);
    const filtersList: FindingFilters[] = [EMPTY_FILTERS, { ...EMPTY_FILTERS, host: 'ws-01' }, { ...EMPTY_FILTERS, severities: ['critical'], showBaselined: true }, { ...EMPTY_FILTERS, search: 'zzz-none' }];
    for (const filters of filtersList) {
      for (const c of COLUMNS) {
        for (const desc of [true, false]) {
          const spec = { column: c.id, desc };
          const cold = FindingIndex.of(findings.slice());
          const r = filterIndex(cold, filters);
          const view = sortedView(cold, r.keep, r.count, spec);
          const head = Array.from(view.head);
          const full = Array.from(view.full());
          expect(full).toHaveLength(r.count);
          expect(head, `${c.id} ${desc ? 'desc' : 'asc'}`).toEqual(full.slice(0, Math.min(HEAD_ROWS, r.count)));
          expect(full).toEqual(Array.from(keepInOrder(columnOrder(cold, spec), r.keep, r.count)));
          const warm = sortedView(cold, r.keep, r.count, spec);
          expect(Array.from(warm.head)).toEqual(head);
        }
      }
    }
  });

  it('gives flat rows past the first ones from the full order', () => {
    const findings = syntheticFindings(1000, 8);
    const index = FindingIndex.of(findings);
    const spec: SortSpec = { column: 'severity', desc: true };
    const rows = flatRows(index, sortedView(index, null, findings.length, spec));
    const want = ids(referenceSort(findings, spec));
    expect(Array.from({ length: rows.length }, (_, i) => { const r = rows.at(i); return r?.type === 'finding' ? r.finding.id : ''; })).toEqual(want);
    expect(rows.positionOf(want[HEAD_ROWS + 5])).toBe(HEAD_ROWS + 5);
  });
});

const filterArb = fc.record({
  search: fc.constantFrom('', 'mshta', 'svc1 ws-0', 'POWERSHELL', 'user1', 'updater4 run', 'zzz-none', 't1059.001', 'path.user-writable', 'encoded 2024-03-1', 'synthetic.evtx critical', 'runonce cmd.exe'),
  severities: fc.subarray<Severity>([...SEVERITIES]),
  host: fc.constantFrom('', 'ws-00', 'WS-01'),
  user: fc.constantFrom('', 'user1'),
  key: fc.constantFrom('', '1003\\software'),
  valueName: fc.constantFrom('', 'updater1'),
  writer: fc.constantFrom('', 'reg.exe', 'powershell'),
  indicator: fc.constantFrom('', 't1059', 'mshta with'),
  baseline: fc.constantFrom('any' as const, 'none' as const, 'baselined' as const, 'baselined-but-suspicious' as const),
  showBaselined: fc.boolean(),
});

describe('indexed filter', () => {
  const findings = syntheticFindings(2000, 5);
  const index = FindingIndex.of(findings);

  it('lets through exactly what the per-finding definition does, and counts the hidden baselined', () => {
    fc.assert(
      fc.property(filterArb, (filters) => {
        const want = referenceFilter(findings, filters);
        const r = filterIndex(index, filters);
        expect(r.count).toBe(want.ids.length);
        expect(r.hiddenBaselined).toBe(want.hiddenBaselined);
        expect(shownIds(index, filters).sort()).toEqual([...want.ids].sort());
      }),
      { numRuns: 150, seed: 20240301 },
    );
  });

  it('gives the same result when a search is typed one character at a time, and when it is deleted again', () => {
    const typed = 'svc1 ws-00';
    const fresh = FindingIndex.of(findings.slice());
    const steps = [...Array.from({ length: typed.length }, (_, i) => typed.slice(0, i + 1)), 'svc1 ws', 'svc', ''];
    for (const search of steps) {
      const filters = { ...EMPTY_FILTERS, search };
      expect(shownIds(fresh, filters).sort(), search).toEqual(referenceFilter(findings, filters).ids.sort());
    }
  });

  it('returns no flags when every finding passes', () => {
    const plain = [finding({ id: 'a' }), finding({ id: 'b' })];
    expect(filterIndex(FindingIndex.of(plain), EMPTY_FILTERS)).toEqual({ keep: null, count: 2, hiddenBaselined: 0 });
  });
});

describe('appending findings', () => {
  it('filters and sorts the longer list correctly after the shorter one prepared its text', () => {
    const all = syntheticFindings(1500, 9);
    const first = all.slice(0, 1000);
    const small = FindingIndex.of(first);
    const filters: FindingFilters = { ...EMPTY_FILTERS, search: 'mshta', host: 'ws-01', writer: 'reg' };
    shownIds(small, filters);
    small.searchTexts();
    const big = FindingIndex.of(all, small);
    expect(big).not.toBe(small);
    const spec: SortSpec = { column: 'value', desc: true };
    const want = referenceFilter(all, filters).ids;
    expect(shownIds(big, filters, spec)).toEqual(ids(referenceSort(all, spec)).filter((id) => want.includes(id)));
    // the smaller list's own answers are unchanged
    expect(shownIds(small, filters).sort()).toEqual(referenceFilter(first, filters).ids.sort());
  });

  it('starts afresh when the new list is not the old one extended', () => {
    const all = syntheticFindings(300, 2);
    const small = FindingIndex.of(all.slice(0, 200));
    small.searchTexts();
    const other = [all[299], ...all.slice(0, 200)];
    const filters = { ...EMPTY_FILTERS, search: 'svc' };
    expect(shownIds(FindingIndex.of(other, small), filters).sort()).toEqual(referenceFilter(other, filters).ids.sort());
  });

  it('looks findings up by id across appended batches, the newest version of an id winning', () => {
    const a = finding({ id: 'a' });
    const b = finding({ id: 'b' });
    const lookup = new FindingLookup([a]);
    expect(lookup.has('a')).toBe(true);
    const longer = lookup.extend([a, b], [b]);
    expect(longer.get('b')).toBe(b);
    expect(longer.get('a')).toBe(a);
    // the old lookup still answers for its own list
    expect(lookup.has('b')).toBe(false);
  });
});

describe('row model', () => {
  const findings = syntheticFindings(400, 4);
  const index = FindingIndex.of(findings);
  const spec: SortSpec = { column: 'writer' as ColumnId, desc: false };

  it('reads flat rows from the sorted positions and finds a finding by id', () => {
    const order = columnOrder(index, spec);
    const rows = flatRows(index, sortedView(index, null, 400, spec));
    expect(rows.length).toBe(400);
    const r = rows.at(17);
    expect(r?.type === 'finding' && r.finding).toBe(findings[order[17]]);
    expect(rows.at(400)).toBeUndefined();
    expect(rows.positionOf(findings[order[123]].id)).toBe(123);
    expect(rows.positionOf('no-such-id')).toBe(-1);
  });

  it('finds a finding inside an open group and none inside a closed one', () => {
    const sorted = sortFindings(findings, spec);
    const closed = groupedRows(sorted, new Set());
    const member = sorted.find((f, _, all) => all.filter((g) => (g.normalizedValue || g.value) === (f.normalizedValue || f.value)).length > 1);
    if (!member) throw new Error('the synthetic findings have no shared value');
    expect(closed.positionOf(member.id)).toBe(-1);
    const open = groupedRows(sorted, new Set([member.normalizedValue || member.value]));
    const at = open.positionOf(member.id);
    const row = open.at(at);
    expect(row?.type === 'finding' && row.finding.id).toBe(member.id);
  });
});
