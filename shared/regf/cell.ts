// Cells: a signed 32-bit size (negative = allocated) and data, 8-byte aligned, inside one hive
// bin. Every reference from one record to another goes through cellData, which checks the
// offset (not 0xFFFFFFFF, aligned, past the bin header, inside a valid bin) and the size (at
// least 8 bytes, not crossing its bin's end, allocated) and throws BAD_CELL otherwise, so no
// reader follows an offset into garbage or another bin.

import { fail } from '../bytes/byte-reader';
import type { BinMap } from './hive-bin';
import { HBIN_HEADER_SIZE, PAGE } from './hive-bin';

export const NO_CELL = 0xffffffff;

export interface CellSpace {
  readonly bins: Uint8Array;
  readonly map: BinMap;
}

/**
 * Checks the cell at `off` (hive-bins-relative) and returns the length of its data, which
 * starts at off + 4. `what` names the referrer's field for the problem message.
 */
export function cellData(space: CellSpace, off: number, what: string): number {
  if (off === NO_CELL) fail('BAD_CELL', off, `${what}: offset 0xFFFFFFFF points nowhere`);
  if (off % 8 !== 0) fail('BAD_CELL', off, `${what}: cell offset 0x${off.toString(16)} is not 8-byte aligned`);
  const page = Math.floor(off / PAGE);
  const start = page < space.map.binStartOfPage.length ? space.map.binStartOfPage[page] : -1;
  if (start < 0) fail('BAD_CELL', off, `${what}: cell offset 0x${off.toString(16)} is outside the valid hive bins`);
  if (off < start + HBIN_HEADER_SIZE) fail('BAD_CELL', off, `${what}: cell offset 0x${off.toString(16)} points into a hive bin header`);
  const end = start + space.map.binSizeOfPage[page];
  const b = space.bins;
  const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
  if (raw >= 0) fail('BAD_CELL', off, `${what}: cell at 0x${off.toString(16)} is not allocated (size ${raw})`);
  const size = -raw;
  if (size < 8 || size % 8 !== 0 || off + size > end) fail('BAD_CELL', off, `${what}: cell at 0x${off.toString(16)} has a bad size ${size} (its bin ends at 0x${end.toString(16)})`);
  return size - 4;
}

/** The two-byte record signature of a cell's data, as a number ('nk' = 0x6b6e). */
export function cellSignature(space: CellSpace, off: number, dataLength: number): number {
  if (dataLength < 2) return -1;
  return space.bins[off + 4] | (space.bins[off + 5] << 8);
}

export const SIG = {
  nk: 0x6b6e,
  vk: 0x6b76,
  sk: 0x6b73,
  li: 0x696c,
  lf: 0x666c,
  lh: 0x686c,
  ri: 0x6972,
  db: 0x6264,
} as const;

export function signatureText(sig: number): string {
  if (sig < 0) return '(none)';
  const a = sig & 0xff;
  const b = sig >> 8;
  const printable = (c: number) => c >= 0x20 && c < 0x7f;
  return printable(a) && printable(b) ? `'${String.fromCharCode(a, b)}'` : `0x${sig.toString(16).padStart(4, '0')}`;
}

/**
 * Every cell of the valid bins in file order: its offset, size and whether it is allocated. A
 * cell whose size is bad (under 8, unaligned, past its bin) ends that bin's cells: what follows
 * cannot be framed. For scans that do not start from the root (free cells, slack, counts).
 */
export function forEachCell(space: CellSpace, each: (off: number, size: number, allocated: boolean) => void): number {
  const b = space.bins;
  let bad = 0;
  for (const bin of space.map.bins) {
    const end = bin.offset + bin.size;
    let off = bin.offset + HBIN_HEADER_SIZE;
    while (off + 4 <= end) {
      const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
      const size = raw < 0 ? -raw : raw;
      if (size < 8 || size % 8 !== 0 || off + size > end) {
        bad++;
        break;
      }
      each(off, size, raw < 0);
      off += size;
    }
  }
  return bad;
}
