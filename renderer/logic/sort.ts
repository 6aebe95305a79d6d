// Sorting findings by one column, fast enough for 100,000 rows (target: under 200 ms from the click
// to the rows painted). Ties fall back to time, then id, in both directions, so the order is total
// and deterministic. Work is split so that a click costs O(n):
// - once per finding list: the tie-break order (time, then id);
// - once per column: each finding's key replaced by its dense rank among the distinct keys (hosts,
//   writers and values repeat a lot, so only the distinct keys are compared);
// - once per column and direction: a stable counting sort of the tie-break order by rank;
// - per filter: one pass over that order keeping the findings the filter let through.
// No comparator sorts 100,000 objects: numbers are sorted as a Float64Array, strings only once per
// distinct key.

import type { Finding } from '../../shared/model/finding';
import { COLUMN_BY_ID, type ColumnDef, type ColumnId } from './columns';
import { FindingIndex, UNKNOWN_CODE } from './finding-index';

export interface SortSpec {
  column: ColumnId;
  desc: boolean;
}

export const DEFAULT_SORT: SortSpec = { column: 'severity', desc: true };

interface Ranks {
  /** Dense rank of each finding's key: equal keys, equal rank; 0 .. distinct-1 in ascending key order. */
  rank: Uint32Array;
  distinct: number;
  /** Positions in (key, position) order, when it came for free. */
  order?: Uint32Array;
}

/** NaN has no place in an order; it sorts with the smallest keys. */
const num = (x: number): number => (Number.isNaN(x) ? -Infinity : x);

/**
 * Dense ranks of numeric keys. Integer keys over a small range (severity, score, counts) are
 * counted; over a modest range (times to the millisecond within a case) they are packed with their
 * position into one exactly representable double, so one native Float64Array sort gives ranks and
 * order at once; other keys are sorted distinct and looked up by binary search.
 */
function numberRanks(keys: Float64Array): Ranks {
  const n = keys.length;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    if (k === Infinity || k === -Infinity) continue;
    if (k < min) min = k;
    if (k > max) max = k;
    if (integers && !Number.isInteger(k)) integers = false;
  }
  if (min > max) min = max = 0;
  // 0: -Infinity, 1 .. span+1: finite keys, span+2: +Infinity
  const span = max - min;
  const slot = (k: number): number => (k === -Infinity ? 0 : k === Infinity ? span + 2 : k - min + 1);
  if (integers && span + 3 <= 4 * n + 1024) {
    // few possible values (severity, score, counts): count them, no sort at all
    const seen = new Uint32Array(span + 3);
    for (let i = 0; i < n; i++) seen[slot(keys[i])] = 1;
    let d = 0;
    for (let v = 0; v < seen.length; v++) if (seen[v]) seen[v] = ++d;
    const rank = new Uint32Array(n);
    for (let i = 0; i < n; i++) rank[i] = seen[slot(keys[i])] - 1;
    return { rank, distinct: d };
  }
  if (integers && (span + 3) * n < Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = slot(keys[i]) * n + i;
    packed.sort();
    const rank = new Uint32Array(n);
    const order = new Uint32Array(n);
    let d = 0;
    let prev = -1;
    for (let j = 0; j < n; j++) {
      const p = packed[j];
      const i = p % n;
      const v = (p - i) / n;
      if (j > 0 && v !== prev) d++;
      prev = v;
      rank[i] = d;
      order[j] = i;
    }
    return { rank, distinct: n ? d + 1 : 0, order };
  }
  const uniq = Float64Array.from(keys).sort();
  let d = 0;
  for (let i = 0; i < uniq.length; i++) if (i === 0 || uniq[i] !== uniq[d - 1]) uniq[d++] = uniq[i];
  const rank = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uniq[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo;
  }
  return { rank, distinct: d };
}

/**
 * Dense ranks of text keys. Findings are first coded by their raw text (a map lookup, no new
 * string), then only the distinct raw texts are turned into keys (lower-cased ...) and sorted.
 */
function textRanks(findings: readonly Finding[], raw: (f: Finding) => string, key: (raw: string) => string): Ranks {
  const n = findings.length;
  const codeOf = new Map<string, number>();
  const codes = new Uint32Array(n);
  const distinctRaw: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = raw(findings[i]);
    let c = codeOf.get(r);
    if (c === undefined) {
      c = distinctRaw.length;
      distinctRaw.push(r);
      codeOf.set(r, c);
    }
    codes[i] = c;
  }
  // raw texts with the same key (case variants) share a rank
  const rankOfKey = new Map<string, number>();
  const keyOfCode = distinctRaw.map(key);
  for (const k of keyOfCode) rankOfKey.set(k, 0);
  const sorted = [...rankOfKey.keys()].sort(); // by UTF-16 code unit, like `<`
  for (let r = 0; r < sorted.length; r++) rankOfKey.set(sorted[r], r);
  const rankOfCode = new Uint32Array(keyOfCode.length);
  for (let c = 0; c < keyOfCode.length; c++) rankOfCode[c] = rankOfKey.get(keyOfCode[c]) ?? 0;
  const rank = new Uint32Array(n);
  for (let i = 0; i < n; i++) rank[i] = rankOfCode[codes[i]];
  return { rank, distinct: sorted.length };
}

function columnRanks(index: FindingIndex, col: ColumnDef): Ranks {
  const { findings, length: n } = index;
  if (col.sortText) return textRanks(findings, col.sortText.raw, col.sortText.key);
  if (col.id === 'severity' || col.id === 'time' || col.id === 'score') {
    // the default sort and the time sort read the one-pass arrays (same keys as their sortKey)
    const s = index.scalars();
    const keys = col.id === 'time' ? s.time : col.id === 'score' ? s.score.map(num) : new Float64Array(n);
    if (col.id === 'severity') for (let i = 0; i < n; i++) keys[i] = num((s.severity[i] === UNKNOWN_CODE ? -1 : s.severity[i]) * 10000 + s.score[i]);
    return numberRanks(keys);
  }
  const first = n > 0 ? col.sortKey(findings[0]) : 0;
  if (typeof first === 'number') {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = num(col.sortKey(findings[i]) as number);
    return numberRanks(keys);
  }
  return textRanks(findings, (f) => String(col.sortKey(f)), (k) => k);
}

/** Stable counting sort of `order` (positions) by rank, descending ranks first when `desc`. */
function byRank(order: Uint32Array, r: Ranks, desc: boolean): Uint32Array {
  const { rank, distinct } = r;
  const start = new Uint32Array(distinct + 1);
  const flip = desc ? distinct - 1 : 0;
  const sign = desc ? -1 : 1;
  for (let k = 0; k < order.length; k++) start[flip + sign * rank[order[k]] + 1]++;
  for (let b = 1; b <= distinct; b++) start[b] += start[b - 1];
  const out = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    out[start[flip + sign * rank[i]]++] = i;
  }
  return out;
}

/** Every position ordered by time (no time first), then id. */
function tieBreakOrder(index: FindingIndex): Uint32Array {
  return index.derived('sort:tie-break', () => {
    const { findings, length: n } = index;
    const t = numberRanks(index.scalars().time);
    let order = t.order;
    if (!order) {
      const identity = new Uint32Array(n);
      for (let i = 0; i < n; i++) identity[i] = i;
      order = byRank(identity, t, false);
    }
    // findings sharing a time: by id (such runs are short)
    let start = 0;
    for (let k = 1; k <= n; k++) {
      if (k < n && t.rank[order[k]] === t.rank[order[start]]) continue;
      if (k - start > 1) {
        const run = Array.from(order.subarray(start, k)).sort((a, b) => (findings[a].id < findings[b].id ? -1 : findings[a].id > findings[b].id ? 1 : 0));
        order.set(run, start);
      }
      start = k;
    }
    return order;
  });
}

const orderKey = (spec: SortSpec): string => `sort:order:${spec.column}:${spec.desc ? 'desc' : 'asc'}`;

/** True when the order of this column (either direction) is ready, so sorting by it is one pass. */
export function hasColumnOrder(index: FindingIndex, column: ColumnId): boolean {
  return index.hasDerived(`sort:ranks:${column}`);
}

function ranksOf(index: FindingIndex, col: ColumnDef): Ranks {
  return index.derived(`sort:ranks:${col.id}`, () => columnRanks(index, col));
}

/**
 * All positions of `index` in the order of `spec`. Shared and cached: never modify the result.
 * An unknown column keeps the tie-break order.
 */
export function columnOrder(index: FindingIndex, spec: SortSpec): Uint32Array {
  const col = COLUMN_BY_ID.get(spec.column);
  const tie = tieBreakOrder(index);
  if (!col) return tie;
  return index.derived(orderKey(spec), () => byRank(tie, ranksOf(index, col), spec.desc));
}

/** The positions of `order` whose `keep` flag is set, in that order (`count` of them). */
export function keepInOrder(order: Uint32Array, keep: Uint8Array | null, count: number): Uint32Array {
  if (!keep) return order;
  const out = new Uint32Array(count);
  let k = 0;
  for (let j = 0; j < order.length && k < count; j++) {
    const i = order[j];
    if (keep[i]) out[k++] = i;
  }
  return k === count ? out : out.subarray(0, k);
}

/** The shown positions in display order: the first rows at once, all of them when asked. */
export interface SortedView {
  readonly length: number;
  /** The first min(length, HEAD_ROWS) positions of full(). */
  readonly head: Uint32Array;
  /** Every shown position, in order (computed on first call, then kept). */
  full(): Uint32Array;
}

/** Rows the first screen needs (a screen holds about 30), with room for a page down. */
export const HEAD_ROWS = 200;
/** Above this many candidates for the head, the full order is no dearer. */
const HEAD_CANDIDATES_MAX = 5000;

/**
 * The shown findings (`keep` flags, `count` of them; null: all) in the order of `spec`. When the
 * column's full order is not ready yet (a case just arrived, the first sort by a column), the
 * first rows come from the findings of the top few key ranks only, ordered by the same (key,
 * time, id) rule, and the full order waits until something reads past them: the first screen of
 * 100,000 findings is painted without sorting all 100,000.
 */
export function sortedView(index: FindingIndex, keep: Uint8Array | null, count: number, spec: SortSpec): SortedView {
  let full: Uint32Array | undefined;
  const fullOrder = () => (full ??= keepInOrder(columnOrder(index, spec), keep, count));
  const col = COLUMN_BY_ID.get(spec.column);
  const headLength = Math.min(count, HEAD_ROWS);
  const head = (col && !index.hasDerived(orderKey(spec)) && headFromRanks(index, ranksOf(index, col), keep, headLength, spec.desc)) || fullOrder().subarray(0, headLength);
  return { length: count, head, full: fullOrder };
}

/** The first `k` shown positions by (rank in direction, time, id), or undefined when too many findings share the top ranks. */
function headFromRanks(index: FindingIndex, r: Ranks, keep: Uint8Array | null, k: number, desc: boolean): Uint32Array | undefined {
  const n = index.length;
  const bucket = new Uint32Array(r.distinct);
  for (let i = 0; i < n; i++) if (!keep || keep[i]) bucket[r.rank[i]]++;
  // the ranks (from the front in the sort direction) that hold the first k rows
  let taken = 0;
  let edge = desc ? r.distinct : -1;
  while (taken < k) {
    edge += desc ? -1 : 1;
    taken += bucket[edge];
  }
  if (taken > HEAD_CANDIDATES_MAX) return undefined;
  const candidates: number[] = [];
  for (let i = 0; i < n; i++) if ((!keep || keep[i]) && (desc ? r.rank[i] >= edge : r.rank[i] <= edge)) candidates.push(i);
  const time = index.scalars().time;
  const { findings } = index;
  const dir = desc ? -1 : 1;
  candidates.sort((a, b) => dir * (r.rank[a] - r.rank[b]) || time[a] - time[b] || (findings[a].id < findings[b].id ? -1 : findings[a].id > findings[b].id ? 1 : 0));
  return Uint32Array.from(candidates.slice(0, k));
}

/** Sorted copy of a plain list (the index is built for this one call). */
export function sortFindings(findings: readonly Finding[], spec: SortSpec): Finding[] {
  const order = columnOrder(FindingIndex.of(findings), spec);
  const out = new Array<Finding>(order.length);
  for (let k = 0; k < order.length; k++) out[k] = findings[order[k]];
  return out;
}
