// Sorting findings by one column. Keys are computed once per finding per sort (not per comparison)
// and compared without localeCompare, which is what keeps 100,000 rows under the 200 ms target.
// Ties fall back to time then id so the order is stable and deterministic across runs.

import type { Finding } from '../../shared/model/finding';
import { COLUMN_BY_ID, type ColumnId } from './columns';

export interface SortSpec {
  column: ColumnId;
  desc: boolean;
}

export const DEFAULT_SORT: SortSpec = { column: 'severity', desc: true };

function cmp(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  const sa = String(a);
  const sb = String(b);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

export function sortFindings(findings: readonly Finding[], spec: SortSpec): Finding[] {
  const col = COLUMN_BY_ID.get(spec.column);
  if (!col) return findings.slice();
  const n = findings.length;
  const keys = new Array<number | string>(n);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    keys[i] = col.sortKey(findings[i]);
    idx[i] = i;
  }
  const dir = spec.desc ? -1 : 1;
  idx.sort((i, j) => {
    const c = cmp(keys[i], keys[j]) * dir;
    if (c !== 0) return c;
    const fi = findings[i];
    const fj = findings[j];
    const t = cmp(fi.timeMs || 0, fj.timeMs || 0);
    if (t !== 0) return t;
    return fi.id < fj.id ? -1 : fi.id > fj.id ? 1 : 0;
  });
  const out = new Array<Finding>(n);
  for (let i = 0; i < n; i++) out[i] = findings[idx[i]];
  return out;
}
