// Subkey lists: one lh (hash leaf: key node offset + name hash per element) for up to `lhMax`
// subkeys, above that an ri (index root) over lh leaves of at most `lhMax` each. Elements are in
// Windows' order (upper-cased names) across the leaves of an ri as a whole, which lookups by
// binary search rely on. The hash is the one the specification gives: H = 37 * H + unit over the
// upper-cased name's UTF-16 units, mod 2^32.

import type { CellAllocator } from './cells';
import { upperUnit } from './names';

/** Windows starts splitting lists at about 1,000 elements; 500 keeps ri in use for mid-size keys. */
export const DEFAULT_LH_MAX = 500;

export interface ListedKey {
  name: string;
  cell: number;
}

export function lhHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 37) + upperUnit(name.charCodeAt(i))) >>> 0;
  return h;
}

function writeLh(cells: CellAllocator, keys: readonly ListedKey[]): number {
  const cell = cells.alloc(4 + keys.length * 8);
  const d = cells.data(cell);
  cells.bytes(d, new Uint8Array([0x6c, 0x68])); // lh
  cells.u16(d + 2, keys.length);
  keys.forEach((k, i) => {
    cells.u32(d + 4 + i * 8, k.cell);
    cells.u32(d + 8 + i * 8, lhHash(k.name));
  });
  return cell;
}

/** Writes the list for `sorted` (already in Windows' order, non-empty); returns its cell. */
export function writeSubkeyList(cells: CellAllocator, sorted: readonly ListedKey[], lhMax = DEFAULT_LH_MAX): number {
  if (lhMax < 1 || lhMax > 0xffff) throw new RangeError(`lhMax must be 1..65535 (got ${lhMax})`);
  if (sorted.length <= lhMax) return writeLh(cells, sorted);
  const leaves: number[] = [];
  for (let i = 0; i < sorted.length; i += lhMax) leaves.push(writeLh(cells, sorted.slice(i, i + lhMax)));
  if (leaves.length > 0xffff) throw new RangeError(`too many subkeys for one index root (${sorted.length})`);
  const ri = cells.alloc(4 + leaves.length * 4);
  const d = cells.data(ri);
  cells.bytes(d, new Uint8Array([0x72, 0x69])); // ri
  cells.u16(d + 2, leaves.length);
  leaves.forEach((leaf, i) => cells.u32(d + 4 + i * 4, leaf));
  return ri;
}
