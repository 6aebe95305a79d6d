// Key nodes ("nk"): a key's name, last-write FILETIME (kept to 100 ns), parent and the offsets of
// its subkey list, value list, security cell and class name. The record is read from one checked
// cell; a name longer than the cell is cut to what the cell holds and flagged (nameCut), so the
// key, its values and subkeys are still read and the caller reports the cut.

import { fail, rawU16, rawU32 } from '../bytes/byte-reader';
import { filetimeIso } from '../bytes/filetime';
import { type CellSpace, SIG, cellData, cellSignature, signatureText } from './cell';
import { latin1, utf16Exact } from './names';

export const KEY_HIVE_EXIT = 0x0002;
export const KEY_HIVE_ENTRY = 0x0004;
export const KEY_SYM_LINK = 0x0010;
export const KEY_COMP_NAME = 0x0020;

const NK_FIXED = 76;

export interface KeyNode {
  /** Hive-bins-relative cell offset. */
  cell: number;
  name: string;
  /** The name is Latin-1 bytes (KEY_COMP_NAME), not UTF-16LE. */
  compName: boolean;
  /** The name ran past its cell and was cut to the bytes there. */
  nameCut: boolean;
  flags: number;
  lastWrittenLo: number;
  lastWrittenHi: number;
  accessBits: number;
  parent: number;
  subkeyCount: number;
  subkeysList: number;
  valueCount: number;
  valuesList: number;
  security: number;
  classOffset: number;
  classLength: number;
  /** Virtualization control flags, user (Wow64) flags and debug bits (Vista and later). */
  virtualizationFlags: number;
  userFlags: number;
  /** Layered key bit fields (Windows 10 RS1 and later). */
  layeredKeyBits: number;
}

export function parseKeyNode(space: CellSpace, cell: number, what: string): KeyNode {
  const len = cellData(space, cell, what);
  const sig = cellSignature(space, cell, len);
  if (sig !== SIG.nk) fail('BAD_CELL', cell, `${what}: cell at 0x${cell.toString(16)} is ${signatureText(sig)}, not a key node ('nk')`);
  if (len < NK_FIXED) fail('TRUNCATED', cell, `${what}: key node cell at 0x${cell.toString(16)} holds ${len} bytes, the record needs ${NK_FIXED}`);
  const b = space.bins;
  const d = cell + 4;
  // the cell holds the 76 fixed bytes (checked above): they are read unchecked
  const flags = rawU16(b, d + 2);
  const compName = (flags & KEY_COMP_NAME) !== 0;
  const nameLength = rawU16(b, d + 72);
  const room = len - NK_FIXED;
  const nameCut = nameLength > room;
  const n = nameCut ? room : nameLength;
  const name = compName ? latin1(b, d + NK_FIXED, n, 'nk_key_name') : utf16Exact(b, d + NK_FIXED, n >> 1, 'nk_key_name');
  const largest = rawU32(b, d + 52);
  return {
    cell,
    name,
    compName,
    nameCut: nameCut || (!compName && nameLength % 2 !== 0),
    flags,
    lastWrittenLo: rawU32(b, d + 4),
    lastWrittenHi: rawU32(b, d + 8),
    accessBits: b[d + 12],
    parent: rawU32(b, d + 16),
    subkeyCount: rawU32(b, d + 20),
    subkeysList: rawU32(b, d + 28),
    valueCount: rawU32(b, d + 36),
    valuesList: rawU32(b, d + 40),
    security: rawU32(b, d + 44),
    classOffset: rawU32(b, d + 48),
    classLength: rawU16(b, d + 74),
    // the byte after the 16-bit length: user (Wow64) flags in its low nibble, virtualization
    // control flags in its high one (yarp's NewFlagsHive: a 32-bit key has user flags 1)
    userFlags: (largest >>> 16) & 0xf,
    virtualizationFlags: (largest >>> 20) & 0xf,
    layeredKeyBits: b[d + 13],
  };
}

export function keyLastWritten(k: KeyNode): string {
  return filetimeIso(k.lastWrittenLo, k.lastWrittenHi);
}

/** The class name (UTF-16LE in its own cell), or undefined when the key has none. */
export function keyClassName(space: CellSpace, k: KeyNode): string | undefined {
  if (k.classLength === 0 || k.classOffset === 0xffffffff) return undefined;
  const len = cellData(space, k.classOffset, 'nk_class_name_offset');
  if (len < k.classLength) fail('TRUNCATED', k.classOffset, `class name of ${k.classLength} bytes in a cell of ${len}`);
  return utf16Exact(space.bins, k.classOffset + 4, k.classLength >> 1, 'nk_class_name');
}
