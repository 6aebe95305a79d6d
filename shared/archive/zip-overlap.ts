// Zip entries that claim bytes another entry already claimed. A central directory can list one
// local header several times, or entries whose byte ranges [local header start, end of data)
// overlap (the "overlapping files" zip bomb, where every entry reuses one compressed kernel). Zip
// writers never produce either, and reading each listed entry would hand the same bytes on again:
// every event N times, N times the expansion, while each member's own ratio looks harmless. So the
// first claim of a range (file order, ties in directory order: callers sort stably by offset) is
// read and every later claim is refused. The bytes the refused entries declare are still added up
// and checked against the bomb limits, so an archive built that way is also named a bomb once.

import type { ArchiveLimits } from './limits';
import type { ZipEntry } from './zip';

export type ZipClaim =
  | { kind: 'first' }
  /** Same local header offset as `of`. */
  | { kind: 'duplicate'; of: ZipEntry }
  /** A different local header whose range starts inside the range of `of`. */
  | { kind: 'overlap'; of: ZipEntry; ofEnd: number };

export class ZipRangeClaims {
  private readonly byOffset = new Map<number, ZipEntry>();
  /** The claimed entry whose range reaches furthest into the file, and where it ends. */
  private furthest: { entry: ZipEntry; end: number } | undefined;
  /** Expanded bytes declared by the refused entries. */
  refusedBytes = 0;
  refused = 0;

  /** Before its local header is read: is this offset already taken? */
  sameOffset(entry: ZipEntry): ZipClaim {
    const of = this.byOffset.get(entry.localHeaderOffset);
    if (of === undefined) {
      this.byOffset.set(entry.localHeaderOffset, entry);
      return { kind: 'first' };
    }
    this.refuse(entry);
    return { kind: 'duplicate', of };
  }

  /**
   * Once its data range is known (`end` = data start + compressed size; undefined when its local
   * header is bad, which claims nothing past the offset). Entries must come in offset order.
   */
  range(entry: ZipEntry, end: number | undefined): ZipClaim {
    const f = this.furthest;
    if (f !== undefined && entry.localHeaderOffset < f.end) {
      this.refuse(entry);
      return { kind: 'overlap', of: f.entry, ofEnd: f.end };
    }
    if (end !== undefined && (f === undefined || end > f.end)) this.furthest = { entry, end };
    return { kind: 'first' };
  }

  private refuse(entry: ZipEntry): void {
    this.refused++;
    this.refusedBytes += entry.size;
  }

  /** Repeats the directory reader only counted (past what it keeps). */
  countUnkept(entries: number, bytes: number): void {
    this.refused += entries;
    this.refusedBytes += bytes;
  }

  /** True when the refused entries together declare more than a bomb limit allows for an archive of `archiveBytes`. */
  refusedLookLikeBomb(limits: ArchiveLimits, archiveBytes: number): boolean {
    const n = this.refusedBytes;
    return n > limits.maxTotalBytes || (n > limits.ratioFloorBytes && n > Math.max(archiveBytes, 1) * limits.maxRatio);
  }
}
