// The one accessor for hive-bins bytes. Every structure reader takes a HiveBytes and reads
// `bins` at hive-bins-relative offsets (the offsets cells use), so a transaction-log overlay can
// later hand the same readers a patched copy (withPages) and the evidence stays unwritten: the
// primary file's bytes are viewed, never modified. `base` turns a relative offset back into a
// file offset for problems.

/** File offset where the hive bins start (after the 4 KiB base block). */
export const HIVE_BINS_START = 4096;

export interface HiveBytes {
  /** The hive-bins data: offset 0 is the first hbin, i.e. file offset `base`. */
  readonly bins: Uint8Array;
  /** File offset of bins[0], for problem offsets. */
  readonly base: number;
}

/** A view of the primary file's hive bins (no copy). A file shorter than the base block has none. */
export function primaryHiveBytes(file: Uint8Array): HiveBytes {
  const start = Math.min(HIVE_BINS_START, file.length);
  return { bins: file.subarray(start), base: HIVE_BINS_START };
}

export interface Page {
  /** Hive-bins-relative offset the page is written to. */
  offset: number;
  bytes: Uint8Array;
}

/**
 * A copy of `src` grown (or cut) to `binsSize` with each page written over it in order: the page
 * overlay a transaction-log replay produces. The source is never modified. Pages that fall
 * outside `binsSize` are cut to it.
 */
export function withPages(src: HiveBytes, pages: readonly Page[], binsSize: number): HiveBytes {
  const out = new Uint8Array(binsSize);
  out.set(src.bins.subarray(0, Math.min(binsSize, src.bins.length)));
  for (const p of pages) {
    if (p.offset >= binsSize || p.offset < 0) continue;
    out.set(p.bytes.subarray(0, binsSize - p.offset), p.offset);
  }
  return { bins: out, base: src.base };
}
