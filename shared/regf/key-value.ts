// Key values ("vk") and the key values list. A value's name is Latin-1 (VALUE_COMP_NAME) or
// UTF-16LE like a key's; its data is inline in the data-offset field when the size's top bit is
// set, otherwise in another cell (value-data.ts). A values list with more offsets claimed than
// its cell holds is read up to the cell (the caller reports the rest as TRUNCATED).

import { fail, rawU16, rawU32 } from '../bytes/byte-reader';
import { type CellSpace, SIG, cellData, cellSignature, signatureText } from './cell';
import { latin1, utf16Exact } from './names';
import { typeName } from './value-type';

export const VALUE_COMP_NAME = 0x0001;
export const VALUE_TOMBSTONE = 0x0002;
const VK_FIXED = 20;

export interface KeyValue {
  /** File offset of the value's cell. */
  offset: number;
  /** Hive-bins-relative cell offset (what a values list points with). */
  cell: number;
  /** '' is the key's default value. */
  name: string;
  compName: boolean;
  nameCut: boolean;
  /** The data size the value claims (without the inline bit). */
  size: number;
  /** The data lives in the data-offset field itself (4 bytes or less). */
  inline: boolean;
  dataOffset: number;
  type: number;
  /** 'REG_SZ' …, or '0x…' for a type Windows does not predefine. */
  typeName: string;
  flags: number;
}

/** The vk record at `cell`; `base` is the file offset of the hive bins (for `offset`). */
export function parseKeyValue(space: CellSpace, cell: number, what: string, base: number): KeyValue {
  const len = cellData(space, cell, what);
  const sig = cellSignature(space, cell, len);
  if (sig !== SIG.vk) fail('BAD_CELL', cell, `${what}: cell at 0x${cell.toString(16)} is ${signatureText(sig)}, not a key value ('vk')`);
  if (len < VK_FIXED) fail('TRUNCATED', cell, `${what}: key value cell at 0x${cell.toString(16)} holds ${len} bytes, the record needs ${VK_FIXED}`);
  const b = space.bins;
  const d = cell + 4;
  // the cell holds the 20 fixed bytes (checked above): they are read unchecked
  const nameLength = rawU16(b, d + 2);
  const rawSize = rawU32(b, d + 4);
  const flags = rawU16(b, d + 16);
  const compName = (flags & VALUE_COMP_NAME) !== 0;
  const room = len - VK_FIXED;
  const nameCut = nameLength > room;
  const n = nameCut ? room : nameLength;
  const type = rawU32(b, d + 12);
  return {
    offset: base + cell,
    cell,
    name: n === 0 ? '' : compName ? latin1(b, d + VK_FIXED, n, 'vk_value_name') : utf16Exact(b, d + VK_FIXED, n >> 1, 'vk_value_name'),
    compName,
    nameCut: nameCut || (!compName && nameLength % 2 !== 0),
    size: rawSize & 0x7fffffff,
    inline: rawSize >= 0x80000000,
    dataOffset: rawU32(b, d + 8),
    type,
    typeName: typeName(type),
    flags,
  };
}

/**
 * Where the offsets of a values list claimed to hold `count` are: `count` of them from `first`,
 * cut to what its cell holds (the caller reports a cut count).
 */
export function valueList(space: CellSpace, off: number, count: number): { first: number; count: number } {
  const len = cellData(space, off, 'nk_key_values_list_offset');
  return { first: off + 4, count: Math.min(count, len >>> 2) };
}
