// Substitution and Value token types (libyal "value type", MS-EVEN6 2.2.17) and their text form.
// Text follows Windows' own XML rendering (what Event Viewer / wevtutil print), so values from an
// EVTX file and from an XML export of the same event compare equal: decimal ints, hex ints as
// minimal lower-case 0x…, GUID {UPPER-CASE}, SID S-1-…, FILETIME ISO 8601 with 7 fractional
// digits, SYSTEMTIME ISO with ms, binary as upper-case hex, bool true/false.
// Damaged values never throw past decodeValue's caller: a short buffer raises ByteDecodeError.

import { HEX2, checkRange, fail, hexUpper, rawU16, rawU32, utf16z } from '../../bytes/byte-reader';
import { systemtimeToIso } from '../../model/time';
import { filetimeIso } from '../../bytes/filetime';

export const VT = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

/** Fixed byte size of one element of a type, or 0 when variable / unknown. */
export function fixedSize(type: number): number {
  switch (type) {
    case VT.Int8: case VT.UInt8: return 1;
    case VT.Int16: case VT.UInt16: return 2;
    case VT.Int32: case VT.UInt32: case VT.Real32: case VT.Bool: case VT.HexInt32: return 4;
    case VT.Int64: case VT.UInt64: case VT.Real64: case VT.FileTime: case VT.HexInt64: return 8;
    case VT.Guid: case VT.SysTime: return 16;
    default: return 0;
  }
}

export function isKnownType(type: number): boolean {
  const base = type & 0x7f;
  return (base <= 0x15) || base === VT.EvtHandle || base === VT.BinXml || base === VT.EvtXml;
}

function u64Text(buf: Uint8Array, off: number, signed: boolean, hex: boolean): string {
  const lo = rawU32(buf, off);
  const hi = rawU32(buf, off + 4);
  if (hex) return hi === 0 ? '0x' + lo.toString(16) : '0x' + hi.toString(16) + lo.toString(16).padStart(8, '0');
  if (signed && hi & 0x80000000) {
    return ((BigInt(hi) << 32n) | BigInt(lo)) - (1n << 64n) + '';
  }
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function guidText(buf: Uint8Array, off: number): string {
  checkRange(buf, off, 16, 'guid');
  const h = HEX2;
  return (
    '{' + h[buf[off + 3]] + h[buf[off + 2]] + h[buf[off + 1]] + h[buf[off]] + '-' + h[buf[off + 5]] + h[buf[off + 4]] + '-' +
    h[buf[off + 7]] + h[buf[off + 6]] + '-' + h[buf[off + 8]] + h[buf[off + 9]] + '-' +
    h[buf[off + 10]] + h[buf[off + 11]] + h[buf[off + 12]] + h[buf[off + 13]] + h[buf[off + 14]] + h[buf[off + 15]] + '}'
  );
}

/** A SID's byte length at off (8 + 4 per sub-authority), or 0 when it does not fit. */
export function sidLength(buf: Uint8Array, off: number, limit: number): number {
  if (off + 8 > limit) return 0;
  const n = 8 + 4 * buf[off + 1];
  return off + n <= limit ? n : 0;
}

function sidText(buf: Uint8Array, off: number, size: number): string {
  if (size < 8) fail('BAD_VALUE', off, `SID of ${size} bytes is shorter than its 8-byte header`);
  checkRange(buf, off, size, 'sid');
  const rev = buf[off];
  const count = buf[off + 1];
  if (8 + 4 * count > size) fail('BAD_VALUE', off, `SID claims ${count} sub-authorities in ${size} bytes`);
  let auth = 0;
  for (let i = 2; i < 8; i++) auth = auth * 256 + buf[off + i];
  let s = `S-${rev}-${auth}`;
  for (let i = 0; i < count; i++) s += '-' + rawU32(buf, off + 8 + 4 * i);
  return s;
}

function filetimeText(buf: Uint8Array, off: number): string {
  return filetimeIso(rawU32(buf, off), rawU32(buf, off + 4));
}

function systemtimeText(buf: Uint8Array, off: number): string {
  const w = (i: number) => rawU16(buf, off + 2 * i);
  // SYSTEMTIME: year, month, day-of-week, day, hour, minute, second, milliseconds
  return systemtimeToIso(w(0), w(1), w(3), w(4), w(5), w(6), w(7));
}

function ansiText(buf: Uint8Array, off: number, size: number): string {
  checkRange(buf, off, size, 'ansi_string');
  let s = '';
  for (let i = 0; i < size; i++) {
    const b = buf[off + i];
    if (b === 0) break;
    s += String.fromCharCode(b); // Windows-1252 ≈ Latin-1 for the bytes logs hold
  }
  return s;
}

/** Text of one scalar (non-array) element of `type` occupying [off, off + size). */
export function scalarText(buf: Uint8Array, off: number, size: number, type: number): string {
  const fs = fixedSize(type);
  if (fs > 0) {
    if (size < fs) fail('BAD_VALUE', off, `value of type 0x${type.toString(16)} needs ${fs} bytes, has ${size}`);
    checkRange(buf, off, fs, 'value');
  }
  switch (type) {
    case VT.Null: return '';
    case VT.String: return utf16z(buf, off, size >>> 1, 'string_value');
    case VT.AnsiString: return ansiText(buf, off, size);
    case VT.Int8: return String((buf[off] << 24) >> 24);
    case VT.UInt8: return String(buf[off]);
    case VT.Int16: return String((rawU16(buf, off) << 16) >> 16);
    case VT.UInt16: return String(rawU16(buf, off));
    case VT.Int32: return String(rawU32(buf, off) | 0);
    case VT.UInt32: return String(rawU32(buf, off));
    case VT.Int64: return u64Text(buf, off, true, false);
    case VT.UInt64: return u64Text(buf, off, false, false);
    case VT.Real32: return String(new DataView(buf.buffer, buf.byteOffset + off, 4).getFloat32(0, true));
    case VT.Real64: return String(new DataView(buf.buffer, buf.byteOffset + off, 8).getFloat64(0, true));
    case VT.Bool: return rawU32(buf, off) !== 0 ? 'true' : 'false';
    case VT.Binary: return hexUpper(buf, off, size, 'binary_value');
    case VT.Guid: return guidText(buf, off);
    case VT.SizeT:
      checkRange(buf, off, size, 'size_t');
      if (size === 4) return '0x' + rawU32(buf, off).toString(16);
      if (size === 8) return u64Text(buf, off, false, true);
      return fail('BAD_VALUE', off, `size_t of ${size} bytes`);
    case VT.FileTime: return filetimeText(buf, off);
    case VT.SysTime: return systemtimeText(buf, off);
    case VT.Sid: return sidText(buf, off, size);
    case VT.HexInt32: return '0x' + rawU32(buf, off).toString(16);
    case VT.HexInt64: return u64Text(buf, off, false, true);
    case VT.EvtHandle:
      checkRange(buf, off, size, 'evt_handle');
      return size >= 8 ? u64Text(buf, off, false, false) : size >= 4 ? String(rawU32(buf, off)) : '';
    case VT.EvtXml: return utf16z(buf, off, size >>> 1, 'evt_xml');
    default: return fail('BAD_VALUE', off, `unknown value type 0x${type.toString(16)}`);
  }
}

/**
 * Text of an array value (type | 0x80). String arrays are NUL-separated UTF-16 strings; SID arrays
 * are self-sized; other element types have a fixed size.
 */
export function arrayItems(buf: Uint8Array, off: number, size: number, type: number): string[] {
  const base = type & 0x7f;
  checkRange(buf, off, size, 'array_value');
  const out: string[] = [];
  if (base === VT.String) {
    const chars = size >>> 1;
    let start = 0;
    for (let i = 0; i < chars; i++) {
      if (rawU16(buf, off + 2 * i) === 0) {
        out.push(utf16z(buf, off + 2 * start, i - start, 'string_array_item'));
        start = i + 1;
      }
    }
    if (start < chars) out.push(utf16z(buf, off + 2 * start, chars - start, 'string_array_item'));
    return out;
  }
  if (base === VT.AnsiString) {
    let start = 0;
    for (let i = 0; i < size; i++) {
      if (buf[off + i] === 0) {
        out.push(ansiText(buf, off + start, i - start));
        start = i + 1;
      }
    }
    if (start < size) out.push(ansiText(buf, off + start, size - start));
    return out;
  }
  if (base === VT.Sid) {
    let p = off;
    while (p < off + size) {
      const n = sidLength(buf, p, off + size);
      if (n === 0) fail('BAD_VALUE', p, 'SID array item runs past the value');
      out.push(sidText(buf, p, n));
      p += n;
    }
    return out;
  }
  const es = base === VT.SizeT ? (size % 8 === 0 ? 8 : 4) : fixedSize(base);
  if (es === 0) fail('BAD_VALUE', off, `array of value type 0x${base.toString(16)} has no element size`);
  for (let p = off; p + es <= off + size; p += es) out.push(scalarText(buf, p, es, base));
  return out;
}

