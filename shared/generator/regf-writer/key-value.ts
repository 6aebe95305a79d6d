// Key values (vk) and their data: up to 4 bytes resident in the vk's data offset field (size with
// bit 31 set), up to 16,344 bytes in one data cell, larger data as big data: a db record, its list
// of segments and segments of 16,344 bytes each (the last one the remainder), as hives of format
// 1.4 and later hold it. Values' typed data is encoded as Windows stores it (strings UTF-16LE with
// their terminating NUL, REG_MULTI_SZ with the empty string closing the list, DWORD/QWORD little-
// endian); a Uint8Array is written as given, for data Windows would not produce itself.

import { type CellAllocator } from './cells';
import { encodeName, utf16le } from './names';

export const VALUE_COMP_NAME = 0x0001;
export const BIG_DATA_SEGMENT = 16344;
const VK_FIXED = 20;
const SEGMENT_CELL_SLACK = 4;

export const REG_TYPES = {
  REG_NONE: 0,
  REG_SZ: 1,
  REG_EXPAND_SZ: 2,
  REG_BINARY: 3,
  REG_DWORD: 4,
  REG_DWORD_BIG_ENDIAN: 5,
  REG_LINK: 6,
  REG_MULTI_SZ: 7,
  REG_RESOURCE_LIST: 8,
  REG_FULL_RESOURCE_DESCRIPTOR: 9,
  REG_RESOURCE_REQUIREMENTS_LIST: 10,
  REG_QWORD: 11,
} as const;

export type RegTypeName = keyof typeof REG_TYPES;
export type ValueData = string | readonly string[] | number | bigint | Uint8Array;

export interface HiveValue {
  /** '' for the key's default value. */
  name: string;
  /** A type name, or any 32-bit number (types beyond the predefined ones occur in real hives). */
  type: RegTypeName | number;
  data: ValueData;
}

export function typeNumber(t: RegTypeName | number): number {
  return typeof t === 'number' ? t >>> 0 : REG_TYPES[t];
}

function withNul(s: string): Uint8Array {
  return utf16le(`${s}\0`);
}

/** The bytes Windows stores for the value's data. */
export function encodeValueData(v: HiveValue): Uint8Array {
  const t = typeNumber(v.type);
  const d = v.data;
  if (d instanceof Uint8Array) return d;
  const bad = () => new TypeError(`value '${v.name}': ${typeof d} data does not fit type ${String(v.type)}`);
  if (typeof d === 'string') {
    if (t === REG_TYPES.REG_LINK) return utf16le(d); // a symbolic link's target is stored without a NUL
    return withNul(d);
  }
  if (Array.isArray(d)) {
    if (t !== REG_TYPES.REG_MULTI_SZ) throw bad();
    return utf16le(`${d.map((s) => `${s}\0`).join('')}\0`);
  }
  if (typeof d === 'number' || typeof d === 'bigint') {
    if (t === REG_TYPES.REG_QWORD) {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(d)), true);
      return out;
    }
    if (t === REG_TYPES.REG_DWORD || t === REG_TYPES.REG_DWORD_BIG_ENDIAN) {
      const n = Number(d);
      if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw bad();
      const out = new Uint8Array(4);
      new DataView(out.buffer).setUint32(0, n >>> 0, t === REG_TYPES.REG_DWORD);
      return out;
    }
  }
  throw bad();
}

export interface WrittenValue {
  vk: number;
  /** Every cell the value took (vk, data, db, segment list, segments), e.g. to free them. */
  cells: number[];
  dataSize: number;
  nameBytes: number;
}

function writeData(cells: CellAllocator, data: Uint8Array, used: number[]): number {
  if (data.length <= BIG_DATA_SEGMENT) {
    const c = cells.alloc(data.length);
    cells.bytes(cells.data(c), data);
    used.push(c);
    return c;
  }
  const segments: number[] = [];
  for (let at = 0; at < data.length; at += BIG_DATA_SEGMENT) {
    const part = data.subarray(at, Math.min(data.length, at + BIG_DATA_SEGMENT));
    // Each segment cell holds 4 bytes more than its data, as Windows allocates them (16,344 =
    // a 16,352-byte cell less 8): reglookup (regfi) and libregf read a segment as at most its
    // cell's size less 8 and cut the data otherwise (measured: 40,321 bytes read back as 40,320).
    const c = cells.alloc(part.length + SEGMENT_CELL_SLACK);
    cells.bytes(cells.data(c), part);
    segments.push(c);
  }
  if (segments.length > 0xffff) throw new RangeError(`value data too large for big data (${data.length} bytes)`);
  const list = cells.alloc(segments.length * 4);
  segments.forEach((s, i) => cells.u32(cells.data(list) + i * 4, s));
  const db = cells.alloc(8);
  const d = cells.data(db);
  cells.bytes(d, new Uint8Array([0x64, 0x62])); // db
  cells.u16(d + 2, segments.length);
  cells.u32(d + 4, list);
  used.push(...segments, list, db);
  return db;
}

export function writeValue(cells: CellAllocator, v: HiveValue): WrittenValue {
  const name = encodeName(v.name);
  const data = encodeValueData(v);
  if (data.length >= 0x80000000) throw new RangeError(`value '${v.name}': data of ${data.length} bytes`);
  const vk = cells.alloc(VK_FIXED + name.bytes.length);
  const used = [vk];
  const d = cells.data(vk);
  cells.bytes(d, new Uint8Array([0x76, 0x6b])); // vk
  cells.u16(d + 2, name.bytes.length);
  if (data.length <= 4) {
    cells.u32(d + 4, (data.length | 0x80000000) >>> 0);
    cells.u32(d + 8, 0);
    cells.bytes(d + 8, data);
  } else {
    cells.u32(d + 4, data.length);
    cells.u32(d + 8, writeData(cells, data, used));
  }
  cells.u32(d + 12, typeNumber(v.type));
  cells.u16(d + 16, name.compressed ? VALUE_COMP_NAME : 0);
  cells.u16(d + 18, 0);
  cells.bytes(d + VK_FIXED, name.bytes);
  return { vk, cells: used, dataSize: data.length, nameBytes: v.name.length * 2 };
}

/** The key values list: the vk offsets, in the order the key lists its values. */
export function writeValuesList(cells: CellAllocator, vks: readonly number[]): number {
  const list = cells.alloc(vks.length * 4);
  vks.forEach((vk, i) => cells.u32(cells.data(list) + i * 4, vk));
  return list;
}
