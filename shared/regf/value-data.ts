// Value data: where a value's bytes are (inline, one cell, or big data) and what they mean by
// type. The bytes are always kept as stored (a view, no copy, except big data); the decoded form
// is an interpretation beside them: strings up to their first NUL (what a program reading the
// value gets), a flag saying whether that text describes the bytes exactly (no odd byte, nothing
// after the terminator), so the CLI can add the bytes whenever it does not. REG_EXPAND_SZ is
// never expanded. Data that claims more bytes than its cell holds is cut to the cell (TRUNCATED).

import { EvtxDecodeError } from '../evtx/bytes';
import { type CellSpace, SIG, cellData, cellSignature } from './cell';
import type { KeyValue } from './key-value';
import { BIG_DATA_SEGMENT, readBigData } from './big-data';
import { utf16Exact } from './names';

export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_LINK = 6;
export const REG_MULTI_SZ = 7;
export const REG_RESOURCE_LIST = 8;
export const REG_FULL_RESOURCE_DESCRIPTOR = 9;
export const REG_RESOURCE_REQUIREMENTS_LIST = 10;
export const REG_QWORD = 11;

const TYPE_NAMES = [
  'REG_NONE', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_BINARY', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_LINK', 'REG_MULTI_SZ',
  'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTOR', 'REG_RESOURCE_REQUIREMENTS_LIST', 'REG_QWORD',
];

/** 'REG_SZ' …, or the number in hex ('0x00100000') for types Windows does not predefine. */
export function typeName(type: number): string {
  const known = TYPE_NAMES[type];
  if (known !== undefined) return known;
  let s = otherTypeNames.get(type);
  if (s === undefined) {
    s = '0x' + type.toString(16).toUpperCase().padStart(8, '0');
    if (otherTypeNames.size < 4096) otherTypeNames.set(type, s);
  }
  return s;
}
/** Hives reuse a few private types many times (SYSTEM: 0xFFFF0012 on 1,810 values). */
const otherTypeNames = new Map<number, string>();

export interface ValueBytes {
  bytes: Uint8Array;
  damage?: EvtxDecodeError;
}

const EMPTY = new Uint8Array(0);

/** The bytes of a value's data as stored. `minorVersion` decides whether big data can exist. */
export function readValueBytes(space: CellSpace, v: KeyValue, minorVersion: number): ValueBytes {
  const b = space.bins;
  if (v.inline) {
    const d = v.cell + 4 + 8;
    if (v.dataSize > 4) return { bytes: b.subarray(d, d + 4), damage: new EvtxDecodeError('BAD_VALUE', v.cell, `inline data claims ${v.dataSize} bytes, the field holds 4`) };
    return { bytes: b.subarray(d, d + v.dataSize) };
  }
  if (v.dataSize === 0) return { bytes: EMPTY };
  try {
    const len = cellData(space, v.dataOffset, 'vk_data_offset');
    if (minorVersion > 3 && v.dataSize > BIG_DATA_SEGMENT && cellSignature(space, v.dataOffset, len) === SIG.db && len >= 8) {
      return readBigData(space, v.dataOffset, v.dataSize);
    }
    const start = v.dataOffset + 4;
    if (len < v.dataSize) {
      return { bytes: b.subarray(start, start + len), damage: new EvtxDecodeError('TRUNCATED', v.dataOffset, `value data claims ${v.dataSize} bytes, its cell holds ${len}`) };
    }
    return { bytes: b.subarray(start, start + v.dataSize) };
  } catch (e) {
    if (!(e instanceof EvtxDecodeError)) throw e;
    return { bytes: EMPTY, damage: e };
  }
}

export type DecodedData =
  | { kind: 'string'; text: string; exact: boolean }
  | { kind: 'strings'; items: string[]; exact: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'qword'; value: bigint }
  | { kind: 'bytes' };

const BYTES: DecodedData = { kind: 'bytes' };

function firstNulUnit(b: Uint8Array, units: number): number {
  for (let i = 0; i < units; i++) if (b[2 * i] === 0 && b[2 * i + 1] === 0) return i;
  return -1;
}

export function decodeValueData(type: number, b: Uint8Array): DecodedData {
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK: {
      const units = b.length >> 1;
      const nul = firstNulUnit(b, units);
      const n = nul < 0 ? units : nul;
      const text = utf16Exact(b, 0, n, 'value_string');
      // exact: no odd byte; the terminator, when there is one, is the last unit
      const exact = b.length % 2 === 0 && (nul < 0 || nul === units - 1);
      return { kind: 'string', text, exact };
    }
    case REG_MULTI_SZ: {
      // Every NUL ends an item; empty items inside the list are data (PendingFileRenameOperations
      // pairs a file with an empty target to delete it), the empty ones at the end are terminators.
      const units = b.length >> 1;
      const items: string[] = [];
      let start = 0;
      for (let i = 0; i < units; i++) {
        if (b[2 * i] !== 0 || b[2 * i + 1] !== 0) continue;
        items.push(utf16Exact(b, 2 * start, i - start, 'value_multi_string'));
        start = i + 1;
      }
      const unterminated = start < units;
      if (unterminated) items.push(utf16Exact(b, 2 * start, units - start, 'value_multi_string'));
      while (items.length > 0 && items[items.length - 1] === '') items.pop();
      // exact: the bytes are the items, each NUL-terminated, and at most one more NUL ending the list
      let L = 0;
      for (const it of items) L += it.length + 1;
      const exact = b.length % 2 === 0 && !unterminated && (units === L || units === L + 1);
      return { kind: 'strings', items, exact };
    }
    case REG_DWORD:
      return b.length === 4 ? { kind: 'number', value: (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 } : BYTES;
    case REG_DWORD_BIG_ENDIAN:
      return b.length === 4 ? { kind: 'number', value: ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0 } : BYTES;
    case REG_QWORD:
      if (b.length !== 8) return BYTES;
      return { kind: 'qword', value: (BigInt((b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0) << 32n) | BigInt((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0) };
    default:
      return BYTES;
  }
}
