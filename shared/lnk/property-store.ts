// PropertyStoreDataBlock's serialized property storage (MS-PROPSTORE 2.2), read minimally: each
// storage's format id and its properties' ids (or names, for the string-named format) and types,
// with the value decoded for the string types (VT_LPWSTR, VT_BSTR) and 32-bit integers. Every
// size is checked against the block; a bad one ends that storage (or the list) with a problem and
// keeps what came before.

import { u16, u32 } from '../bytes/byte-reader';
import { guard, guidAt, note, utf16le, type LnkContext } from './lnk-read';

export interface StoredProperty {
  id?: number;
  name?: string;
  /** VARTYPE. */
  type: number;
  value?: string | number;
}
export interface PropertyStorage {
  formatId: string;
  properties: StoredProperty[];
}

const SPS1 = 0x53505331;
const STRING_NAMED = 'D5CDD505-2E9C-101B-9397-08002B2CF9AE';

function typedValue(v: Uint8Array, at: number): StoredProperty {
  const type = u16(v, at, 'property type');
  const data = at + 4;
  if (type === 0x1f || type === 0x08) {
    // VT_LPWSTR counts characters with the NUL, VT_BSTR counts bytes without it
    const n = u32(v, data, 'property string length');
    const bytes = type === 0x1f ? n * 2 : n;
    if (data + 4 + bytes > v.length) return { type };
    let text = utf16le(v.subarray(data + 4, data + 4 + bytes));
    const nul = text.indexOf('\0');
    if (nul >= 0) text = text.slice(0, nul);
    return { type, value: text };
  }
  if (type === 0x03 || type === 0x13) return { type, value: type === 0x03 ? u32(v, data, 'property i4') | 0 : u32(v, data, 'property ui4') };
  return { type };
}

function readStorage(st: Uint8Array, base: number, ctx: LnkContext): PropertyStorage {
  const formatId = guidAt(st, 8);
  const properties: StoredProperty[] = [];
  const named = formatId === STRING_NAMED;
  let p = 24;
  while (p + 4 <= st.length) {
    const size = u32(st, p, 'property value size');
    if (size === 0) break;
    if (size < 9 || p + size > st.length) {
      note(ctx, 'BAD_VALUE', base + p, `property value size ${size} does not fit its storage`);
      break;
    }
    const v = st.subarray(p, p + size);
    const property = guard(ctx, base + p, 'property value', () => readValue(v, named, base + p, ctx));
    if (property === null) break;
    if (property) properties.push(property);
    p += size;
  }
  return { formatId, properties };
}

/** One serialized value; null when its name size is bad (the storage's list ends there). */
function readValue(v: Uint8Array, named: boolean, base: number, ctx: LnkContext): StoredProperty | null {
  if (!named) return { id: u32(v, 4, 'property id'), ...safeTyped(v, 9) };
  const nameSize = u32(v, 4, 'property name size');
  if (9 + nameSize > v.length) {
    note(ctx, 'BAD_VALUE', base, `property name size ${nameSize} does not fit its value`);
    return null;
  }
  let name = utf16le(v.subarray(9, 9 + nameSize));
  if (name.endsWith('\0')) name = name.slice(0, -1);
  return { name, ...safeTyped(v, 9 + nameSize) };
}

/** A value whose type field is cut keeps its id with type 0 (VT_EMPTY). */
function safeTyped(v: Uint8Array, at: number): StoredProperty {
  return at + 4 <= v.length ? typedValue(v, at) : { type: 0 };
}

/** The storages of block bytes [8, size) (the block arrives cut to its BlockSize). */
export function readPropertyStore(block: Uint8Array, base: number, ctx: LnkContext): PropertyStorage[] {
  const out: PropertyStorage[] = [];
  let p = 8;
  while (p + 4 <= block.length) {
    const size = u32(block, p, 'storage size');
    if (size === 0) break;
    if (size < 24 || p + size > block.length) {
      note(ctx, 'BAD_VALUE', base + p, `property storage size ${size} does not fit the block`);
      break;
    }
    const st = block.subarray(p, p + size);
    if (u32(st, 4, 'storage version') !== SPS1) {
      note(ctx, 'BAD_MAGIC', base + p + 4, 'property storage version is not SPS1');
      break;
    }
    const at = base + p;
    const storage = guard(ctx, at, 'property storage', () => readStorage(st, at, ctx));
    if (storage) out.push(storage);
    p += size;
  }
  return out;
}
