// The key node (nk) record: flags, last-write FILETIME, parent, subkey and value counts and lists,
// the security cell, an optional class name and the "largest" fields readers use to size buffers.
// The cell is allocated before the key's children (so a parent sits before its subkeys, as in a
// freshly written hive) and its fields are filled in once the children's cells are known.

import { type CellAllocator, NO_CELL } from './cells';
import type { EncodedName } from './names';

export const KEY_HIVE_ENTRY = 0x0004;
export const KEY_NO_DELETE = 0x0008;
export const KEY_COMP_NAME = 0x0020;

export const NK_FIXED = 76;

export interface KeyNodeFields {
  name: EncodedName;
  root: boolean;
  lastWritten: bigint;
  parent: number;
  subkeyCount: number;
  subkeyList: number;
  valueCount: number;
  valueList: number;
  security: number;
  classCell: number;
  classBytes: number;
  largestSubkeyName: number;
  largestSubkeyClass: number;
  largestValueName: number;
  largestValueData: number;
}

export function allocKeyNode(cells: CellAllocator, name: EncodedName): number {
  return cells.alloc(NK_FIXED + name.bytes.length);
}

export function writeKeyNode(cells: CellAllocator, cell: number, f: KeyNodeFields): void {
  const d = cells.data(cell);
  cells.bytes(d, new Uint8Array([0x6e, 0x6b])); // nk
  let flags = f.name.compressed ? KEY_COMP_NAME : 0;
  if (f.root) flags |= KEY_HIVE_ENTRY | KEY_NO_DELETE;
  cells.u16(d + 2, flags);
  cells.u64(d + 4, f.lastWritten);
  cells.u32(d + 12, 0); // access bits: no access history
  cells.u32(d + 16, f.parent);
  cells.u32(d + 20, f.subkeyCount);
  cells.u32(d + 24, 0); // volatile subkeys live in memory only
  cells.u32(d + 28, f.subkeyCount ? f.subkeyList : NO_CELL);
  cells.u32(d + 32, NO_CELL);
  cells.u32(d + 36, f.valueCount);
  cells.u32(d + 40, f.valueCount ? f.valueList : NO_CELL);
  cells.u32(d + 44, f.security);
  cells.u32(d + 48, f.classCell);
  cells.u32(d + 52, f.largestSubkeyName & 0xffff); // virtualization and user flags (bits 16-23) left clear
  cells.u32(d + 56, f.largestSubkeyClass);
  cells.u32(d + 60, f.largestValueName);
  cells.u32(d + 64, f.largestValueData);
  cells.u32(d + 68, 0); // WorkVar
  cells.u16(d + 72, f.name.bytes.length);
  cells.u16(d + 74, f.classBytes);
  cells.bytes(d + NK_FIXED, f.name.bytes);
}
