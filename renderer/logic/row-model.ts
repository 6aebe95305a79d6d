// The rows the virtualized table draws, as a random-access model instead of an array of row
// objects: the flat view reads finding positions from a typed array and makes a row object only for
// the few rows on screen, so sorting or filtering 100,000 findings allocates no 100,000 objects.
// The grouped view (rarity: "same value on 12 hosts") is materialised, since its groups must be
// built anyway.

import type { Finding } from '../../shared/model/finding';
import type { FindingIndex } from './finding-index';
import type { SortedView } from './sort';
import { tableRows, type TableRow } from './group';

export interface RowModel {
  readonly length: number;
  /** The row at a display position (undefined outside 0 .. length-1). */
  at(i: number): TableRow | undefined;
  /** Display position of the finding row with this id, or -1 (a finding hidden in a closed group has none). */
  positionOf(id: string): number;
}

/** One row per finding, in the order of `view` (positions into index.findings). */
export function flatRows(index: FindingIndex, view: SortedView): RowModel {
  return {
    length: view.length,
    at(i) {
      if (i < 0 || i >= view.length) return undefined;
      const position = i < view.head.length ? view.head[i] : view.full()[i];
      return { type: 'finding', finding: index.findings[position], depth: 0 };
    },
    positionOf(id) {
      // one scan (about a millisecond for 100,000 rows) beats building an id map that a new
      // sort or filter would throw away
      const { findings } = index;
      const { head } = view;
      for (let k = 0; k < head.length; k++) if (findings[head[k]].id === id) return k;
      const order = view.full();
      for (let k = head.length; k < order.length; k++) if (findings[order[k]].id === id) return k;
      return -1;
    },
  };
}

/** Groups by normalized value (groups in the order of their first member), expanded ones followed by their members. */
export function groupedRows(sorted: readonly Finding[], expanded: ReadonlySet<string>): RowModel {
  const rows = tableRows(sorted, true, expanded);
  let positions: Map<string, number> | undefined;
  return {
    length: rows.length,
    at: (i) => rows[i],
    positionOf(id) {
      if (!positions) {
        positions = new Map();
        rows.forEach((r, k) => {
          if (r.type === 'finding') positions?.set(r.finding.id, k);
        });
      }
      return positions.get(id) ?? -1;
    },
  };
}
