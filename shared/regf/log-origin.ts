// Which cells of a replayed hive came from its transaction logs: a bit per 8-byte cell slot of
// the hive bins, set where the replayed bytes differ from the primary file's (or lie past its
// end). A page Windows logged but did not change (it logs whole 4 KiB blocks) marks nothing, so
// `fromLog` on a key or value means the primary file alone does not hold it as read.

import { type Page } from './hive-bytes';

export class LogOrigin {
  private constructor(
    private readonly slots: Uint8Array,
    private readonly bins: Uint8Array,
    /** Bytes of hive bins that differ from the primary file's. */
    readonly changedBytes: number,
  ) {}

  /** Compares only where pages were written (and the growth past the primary's end). */
  static compare(primaryBins: Uint8Array, replayed: Uint8Array, pages: readonly Page[]): LogOrigin {
    const slots = new Uint8Array((replayed.length >>> 6) + 1);
    let changed = 0;
    const mark = (i: number) => {
      slots[i >>> 6] |= 1 << ((i >>> 3) & 7);
    };
    for (const p of pages) {
      const end = Math.min(p.offset + p.bytes.length, replayed.length);
      for (let i = p.offset; i < end; i++) {
        if (i >= primaryBins.length || primaryBins[i] !== replayed[i]) {
          changed++;
          mark(i);
        }
      }
    }
    // growth no page covered reads as zeros, which differ from nothing in the primary: not marked
    return new LogOrigin(slots, replayed, changed);
  }

  /** Whether any byte of the cell at `cell` (its size field included) came from a log. */
  cellFromLog(cell: number): boolean {
    const b = this.bins;
    if (cell < 0 || cell + 4 > b.length) return false;
    const raw = b[cell] | (b[cell + 1] << 8) | (b[cell + 2] << 16) | (b[cell + 3] << 24);
    const size = Math.min(Math.abs(raw), b.length - cell);
    for (let s = cell & ~7; s < cell + Math.max(size, 4); s += 8) {
      if (this.slots[s >>> 6] & (1 << ((s >>> 3) & 7))) return true;
    }
    return false;
  }
}
