// Value data: where a value's bytes are (inline, one cell, or big data) and what they mean by
// type. The bytes are always kept as stored (a view, no copy, except big data); the decoded form
// is an interpretation beside them: strings up to their first NUL (what a program reading the
// value gets), a flag saying whether that text describes the bytes exactly (no odd byte, nothing
// after the terminator), so the CLI can add the bytes whenever it does not. REG_EXPAND_SZ is
// never expanded. Data that claims more bytes than its cell holds is cut to the cell (TRUNCATED).

import { ByteDecodeError } from '../bytes/byte-reader';
import { type CellSpace, SIG, cellData, cellSignature } from './cell';
import type { KeyValue } from './key-value';
import { BIG_DATA_SEGMENT, readBigData } from './big-data';
import { utf16Exact } from './names';
import { REG_DWORD, REG_DWORD_BIG_ENDIAN, REG_EXPAND_SZ, REG_LINK, REG_MULTI_SZ, REG_QWORD, REG_SZ } from './value-type';

export { typeName } from './value-type';

/** Where a value's data is: bytes [start, start + length) of buf (the hive bins, or a big-data copy). */
export interface ValueSpan {
  buf: Uint8Array;
  start: number;
  length: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Finds a value's data as stored and writes where it is into `out` (no copy, no view: a walk
 * decodes every value, and a typed-array view per value costs more than the decoding). Returns
 * the damage when the data is cut (to what is intact) or missing (empty). `minorVersion` decides
 * whether big data can exist.
 */
export function valueSpan(space: CellSpace, v: KeyValue, minorVersion: number, out: ValueSpan): ByteDecodeError | undefined {
  const b = space.bins;
  out.buf = b;
  if (v.inline) {
    out.start = v.cell + 4 + 8;
    out.length = Math.min(v.size, 4);
    return v.size > 4 ? new ByteDecodeError('BAD_VALUE', v.cell, `inline data claims ${v.size} bytes, the field holds 4`) : undefined;
  }
  out.start = 0;
  out.length = 0;
  if (v.size === 0) return undefined;
  try {
    const len = cellData(space, v.dataOffset, 'vk_data_offset');
    if (minorVersion > 3 && v.size > BIG_DATA_SEGMENT && len >= 8 && cellSignature(space, v.dataOffset, len) === SIG.db) {
      const big = readBigData(space, v.dataOffset, v.size);
      out.buf = big.bytes;
      out.length = big.bytes.length;
      return big.damage;
    }
    out.start = v.dataOffset + 4;
    if (len < v.size) {
      out.length = len;
      return new ByteDecodeError('TRUNCATED', v.dataOffset, `value data claims ${v.size} bytes, its cell holds ${len}`);
    }
    out.length = v.size;
    return undefined;
  } catch (e) {
    if (!(e instanceof ByteDecodeError)) throw e;
    out.buf = EMPTY;
    return e;
  }
}

export type DecodedData =
  | { kind: 'string'; text: string; exact: boolean }
  | { kind: 'strings'; items: string[]; exact: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'qword'; value: bigint }
  | { kind: 'bytes' };

const BYTES: DecodedData = { kind: 'bytes' };

function firstNulUnit(b: Uint8Array, off: number, units: number): number {
  for (let i = 0, p = off; i < units; i++, p += 2) if (b[p] === 0 && b[p + 1] === 0) return i;
  return -1;
}

/** The meaning of `len` bytes of data at `off` in `b` for a value of `type`. */
export function decodeValueData(type: number, b: Uint8Array, off = 0, len = b.length - off): DecodedData {
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_LINK: {
      const units = len >> 1;
      const nul = firstNulUnit(b, off, units);
      const n = nul < 0 ? units : nul;
      const text = utf16Exact(b, off, n, 'value_string');
      // exact: no odd byte; the terminator, when there is one, is the last unit
      const exact = len % 2 === 0 && (nul < 0 || nul === units - 1);
      return { kind: 'string', text, exact };
    }
    case REG_MULTI_SZ: {
      // Every NUL ends an item; empty items inside the list are data (PendingFileRenameOperations
      // pairs a file with an empty target to delete it), the empty ones at the end are terminators.
      const units = len >> 1;
      const items: string[] = [];
      let start = 0;
      for (let i = 0; i < units; i++) {
        if (b[off + 2 * i] !== 0 || b[off + 2 * i + 1] !== 0) continue;
        items.push(utf16Exact(b, off + 2 * start, i - start, 'value_multi_string'));
        start = i + 1;
      }
      const unterminated = start < units;
      if (unterminated) items.push(utf16Exact(b, off + 2 * start, units - start, 'value_multi_string'));
      while (items.length > 0 && items[items.length - 1] === '') items.pop();
      // exact: the bytes are the items, each NUL-terminated, and at most one more NUL ending the list
      let L = 0;
      for (const it of items) L += it.length + 1;
      const exact = len % 2 === 0 && !unterminated && (units === L || units === L + 1);
      return { kind: 'strings', items, exact };
    }
    case REG_DWORD:
      return len === 4 ? { kind: 'number', value: (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0 } : BYTES;
    case REG_DWORD_BIG_ENDIAN:
      return len === 4 ? { kind: 'number', value: ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0 } : BYTES;
    case REG_QWORD: {
      if (len !== 8) return BYTES;
      const lo = (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
      const hi = (b[off + 4] | (b[off + 5] << 8) | (b[off + 6] << 16) | (b[off + 7] << 24)) >>> 0;
      return { kind: 'qword', value: (BigInt(hi) << 32n) | BigInt(lo) };
    }
    default:
      return BYTES;
  }
}
