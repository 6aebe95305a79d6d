// Hive bins: the 4 KiB-aligned blocks after the base block, each a 32-byte "hbin" header and
// cells. The bins are mapped once: a page table (one entry per 4 KiB) gives the start of the
// valid bin a page lies in, or -1, so a cell reference is checked against its bin in O(1). A bin
// with a bad signature, offset or size is reported and skipped a page at a time until a valid
// bin header turns up again (the bins after a damaged one are still read); bytes past the
// declared hive-bins size, or past the end of a truncated file, are not bins.

import type { ProblemCode } from '../model/problems';
import { u32 } from '../bytes/byte-reader';
import type { HiveBytes } from './hive-bytes';

export const HBIN_SIGNATURE = 0x6e696268; // "hbin"
export const HBIN_HEADER_SIZE = 32;
export const PAGE = 4096;

export interface HiveBin {
  /** Hive-bins-relative offset. */
  offset: number;
  size: number;
}

export interface BinMapDamage {
  code: ProblemCode;
  /** Hive-bins-relative offset. */
  offset: number;
  message: string;
}

export interface BinMap {
  bins: HiveBin[];
  /** Start of the valid bin holding each 4 KiB page, or -1. */
  binStartOfPage: Int32Array;
  /** Size of that bin, per page (0 where none). */
  binSizeOfPage: Int32Array;
  /** End of the last valid bin (yarp's "effective hive-bins data size"). */
  effectiveSize: number;
  /** How far bins were looked for: the declared size, cut to the bytes present. */
  limit: number;
  damage: BinMapDamage[];
}

function validBinAt(bins: Uint8Array, off: number, limit: number): number {
  if (off + HBIN_HEADER_SIZE > limit) return 0;
  if (u32(bins, off, 'hbin_signature') !== HBIN_SIGNATURE) return 0;
  if (u32(bins, off + 4, 'hbin_offset') !== off) return 0;
  const size = u32(bins, off + 8, 'hbin_size');
  if (size < PAGE || size % PAGE !== 0 || off + size > limit) return 0;
  return size;
}

/**
 * Maps the bins in [0, declaredSize) of the bytes. A declared size that is no multiple of 4 KiB
 * or exceeds what the file holds is reported; the bins present are mapped anyway. With
 * `trustSize` false (the base block's checksum is wrong, so its size may be too) valid bins that
 * go on right after the declared size are mapped too, as yarp does ("effective" size).
 */
export function mapHiveBins(bytes: HiveBytes, declaredSize: number, trustSize = true): BinMap {
  const damage: BinMapDamage[] = [];
  const avail = bytes.bins.length - (bytes.bins.length % PAGE);
  let limit = declaredSize;
  if (declaredSize === 0 || declaredSize % PAGE !== 0) {
    // offsets here are hive-bins-relative: the base block's size field sits at file offset 40
    damage.push({ code: 'BAD_HEADER', offset: -bytes.base + 40, message: `hive-bins data size ${declaredSize} is not a positive multiple of 4096: the bins present in the file are read` });
    limit = avail;
  } else if (declaredSize > bytes.bins.length) {
    damage.push({ code: 'TRUNCATED', offset: bytes.bins.length, message: `the base block declares ${declaredSize} bytes of hive bins, the file holds ${bytes.bins.length}: the rest is missing` });
    limit = avail;
  }
  const pages = Math.ceil(limit / PAGE);
  const binStartOfPage = new Int32Array(pages).fill(-1);
  const binSizeOfPage = new Int32Array(pages);
  const list: HiveBin[] = [];
  let effectiveSize = 0;
  let off = 0;
  let badFrom = -1;
  while (off < limit) {
    const size = validBinAt(bytes.bins, off, limit);
    if (size === 0) {
      if (badFrom < 0) badFrom = off;
      off += PAGE;
      continue;
    }
    if (badFrom >= 0) {
      damage.push({ code: 'BAD_MAGIC', offset: badFrom, message: `no valid hive bin in ${off - badFrom} bytes: skipped to the next one` });
      badFrom = -1;
    }
    list.push({ offset: off, size });
    for (let p = off / PAGE, e = (off + size) / PAGE; p < e; p++) {
      binStartOfPage[p] = off;
      binSizeOfPage[p] = size;
    }
    off += size;
    effectiveSize = off;
  }
  if (badFrom >= 0) damage.push({ code: 'BAD_MAGIC', offset: badFrom, message: `no valid hive bin in the last ${limit - badFrom} bytes of the hive-bins data` });
  if (!trustSize && badFrom < 0 && effectiveSize === limit) {
    let size: number;
    const extra: HiveBin[] = [];
    while ((size = validBinAt(bytes.bins, off, avail)) > 0) {
      extra.push({ offset: off, size });
      off += size;
    }
    if (extra.length > 0) {
      damage.push({ code: 'BAD_HEADER', offset: effectiveSize, message: `valid hive bins go on for ${off - effectiveSize} bytes past the declared hive-bins size ${declaredSize} of a base block with a bad checksum: read as part of the hive` });
      return extendMap({ bins: list.concat(extra), binStartOfPage, binSizeOfPage, effectiveSize: off, limit: off, damage });
    }
  }
  return { bins: list, binStartOfPage, binSizeOfPage, effectiveSize, limit, damage };
}

function extendMap(m: BinMap): BinMap {
  const pages = m.limit / PAGE;
  const start = new Int32Array(pages).fill(-1);
  const size = new Int32Array(pages);
  for (const b of m.bins) {
    for (let p = b.offset / PAGE, e = (b.offset + b.size) / PAGE; p < e; p++) {
      start[p] = b.offset;
      size[p] = b.size;
    }
  }
  return { ...m, binStartOfPage: start, binSizeOfPage: size };
}
