// Plausibility checks for key nodes and key values found outside the live tree. A candidate is
// read only from the bytes of its region (a free cell, an unreferenced cell, the slack of a live
// cell, or the bytes outside the bins): a record whose fixed part or name runs past the region
// is no record. The checks are yarp's (RegistryRecover.ValidateKey / ValidateValue) made
// stricter where the format allows it: offsets must be 8-aligned and inside the hive bins (or
// 0xFFFFFFFF), counts bounded, names 1-255 characters for keys without more than a few NULs, no
// flag bits Windows never sets, a last-write time in 1980-2100, inline data of 4 bytes or less,
// value types predefined or in the ranges real hives use. Nothing here throws.

import { rawU16, rawU32 } from '../bytes/byte-reader';
import { filetimeIso } from '../bytes/filetime';
import { NO_CELL } from './cell';
import { KEY_COMP_NAME } from './key-node';
import { VALUE_COMP_NAME } from './key-value';
import { latin1, utf16Exact } from './names';
import { typeName } from './value-type';

export const NK_FIXED = 76;
export const VK_FIXED = 20;

const MAX_SUBKEYS = 65536;
const MAX_VALUES = 65536;
const MAX_NULS = 5;
// FILETIME high words of 1980-01-01 and 2100-01-01
const FT_HI_1980 = 0x01a8e79f;
const FT_HI_2100 = 0x022f7163;
// flag bits of a key node on disk: 0x0001-0x0200 (0x0001 volatile and 0x0002 hive exit are
// never on disk) and XP's user flags in the top nibble
const NK_FLAGS_ALLOWED = 0xf3fc;

export interface CandidateKey {
  /** Hive-bins-relative offset of the cell (the record starts 4 bytes later). */
  cell: number;
  name: string;
  /** Bytes the record takes (fixed part and name), for skipping past it. */
  length: number;
  flags: number;
  lastWritten: string;
  parent: number;
  subkeyCount: number;
  subkeysList: number;
  valueCount: number;
  valuesList: number;
  security: number;
}

export interface CandidateValue {
  cell: number;
  name: string;
  length: number;
  size: number;
  inline: boolean;
  dataOffset: number;
  type: number;
  typeName: string;
  flags: number;
}

function offsetOk(off: number, binsLength: number): boolean {
  return off === NO_CELL || (off % 8 === 0 && off < binsLength);
}

function countNuls(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0) n++;
  return n;
}

/** A UTF-16 name with a lone surrogate or a non-character is not one a program wrote. */
function utf16Plausible(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0xfffd || c === 0xffff || c === 0xfffe) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** The nk record at `p` (its 'nk' signature checked by the caller) if it is plausible within [p, end). */
export function candidateKey(b: Uint8Array, p: number, end: number): CandidateKey | undefined {
  if (p + NK_FIXED > end) return undefined;
  const flags = rawU16(b, p + 2);
  if ((flags & ~NK_FLAGS_ALLOWED) !== 0) return undefined;
  const hi = rawU32(b, p + 8);
  if (hi < FT_HI_1980 || hi > FT_HI_2100) return undefined;
  const nameLength = rawU16(b, p + 72);
  const comp = (flags & KEY_COMP_NAME) !== 0;
  if (nameLength === 0 || nameLength > (comp ? 255 : 510) || (!comp && nameLength % 2 !== 0)) return undefined;
  if (p + NK_FIXED + nameLength > end) return undefined;
  const subkeyCount = rawU32(b, p + 20);
  const valueCount = rawU32(b, p + 36);
  if (subkeyCount > MAX_SUBKEYS || valueCount > MAX_VALUES || rawU32(b, p + 24) > MAX_SUBKEYS) return undefined;
  const parent = rawU32(b, p + 16);
  const subkeysList = rawU32(b, p + 28);
  const valuesList = rawU32(b, p + 40);
  const security = rawU32(b, p + 44);
  const n = b.length;
  // the parent is not checked: a deleted key's parent field may be garbage (yarp's
  // DeletedTreePartialPathHive), the key is then unassociated
  if (!offsetOk(security, n)) return undefined;
  if (subkeyCount > 0 && !offsetOk(subkeysList, n)) return undefined;
  if (valueCount > 0 && (valuesList === NO_CELL || !offsetOk(valuesList, n))) return undefined;
  const name = comp ? latin1(b, p + NK_FIXED, nameLength, 'nk_key_name') : utf16Exact(b, p + NK_FIXED, nameLength >> 1, 'nk_key_name');
  if (countNuls(name) > MAX_NULS || (!comp && !utf16Plausible(name))) return undefined;
  return {
    cell: p - 4, name, length: NK_FIXED + nameLength, flags, lastWritten: filetimeIso(rawU32(b, p + 4), hi),
    parent, subkeyCount, subkeysList, valueCount, valuesList, security,
  };
}

/** Value types real hives hold: the predefined ones, small private ones, and the 0xFFFF00xx device-property types. */
function typePlausible(t: number): boolean {
  return t <= 0xffff || (t >>> 16 === 0xffff && (t & 0xffff) <= 0x1fff) || t === 0x00100000 || t === 0x00200000;
}

/** The vk record at `p` (its 'vk' signature checked by the caller) if it is plausible within [p, end). */
export function candidateValue(b: Uint8Array, p: number, end: number): CandidateValue | undefined {
  if (p + VK_FIXED > end) return undefined;
  const nameLength = rawU16(b, p + 2);
  const rawSize = rawU32(b, p + 4);
  const dataOffset = rawU32(b, p + 8);
  const type = rawU32(b, p + 12);
  const flags = rawU16(b, p + 16);
  if ((flags & ~0x0003) !== 0 || !typePlausible(type)) return undefined;
  const comp = (flags & VALUE_COMP_NAME) !== 0;
  if (nameLength > 16383 * 2 || (!comp && nameLength % 2 !== 0) || p + VK_FIXED + nameLength > end) return undefined;
  const inline = rawSize >= 0x80000000;
  const size = rawSize & 0x7fffffff;
  if (inline && size > 4) return undefined;
  if (!inline && size > 0 && (dataOffset % 8 !== 0 || dataOffset >= b.length || size > b.length)) return undefined;
  const name = nameLength === 0 ? '' : comp ? latin1(b, p + VK_FIXED, nameLength, 'vk_value_name') : utf16Exact(b, p + VK_FIXED, nameLength >> 1, 'vk_value_name');
  if (countNuls(name) > MAX_NULS || (!comp && !utf16Plausible(name))) return undefined;
  return { cell: p - 4, name, length: VK_FIXED + nameLength, size, inline, dataOffset, type, typeName: typeName(type), flags };
}
