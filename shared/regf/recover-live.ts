// What the live tree uses, for deleted-data recovery: a walk from the root marks the bytes every
// live structure needs (the key node, its subkey lists, values list, value records, data cells,
// big-data lists and segments, security and class cells) in a bitmap of 8-byte slots (1 bit per
// slot: a 12 MB hive costs 190 KB), so a scan for deleted records never looks inside them and
// a deleted value's data can be checked for being overwritten in O(1) (prefix counts per 32-slot
// word). An offset a live values list or subkey list names is marked too even when it points at
// no valid cell (a damaged hive): a record a live list references is live, never "deleted".
// Damage: every read here is bounds-checked and a structure that cannot be read is marked only
// as far as it can be; the walk's own damage is reported by the Hive as usual.

import { rawU16, rawU32 } from '../bytes/byte-reader';
import { NO_CELL, SIG } from './cell';
import type { Hive, RegKey } from './hive';
import { BIG_DATA_SEGMENT } from './big-data';

const NK_FIXED = 76;
const VK_FIXED = 20;

export class LiveMap {
  /** Bit per 8-byte slot of the hive bins: 1 = bytes a live structure uses. */
  readonly used: Uint32Array;
  private prefix: Uint32Array | undefined;
  /** Live key cells and their paths (the walk's own strings, kept, not copied). */
  readonly keyPaths = new Map<number, string>();
  /** Value records named in the slack of a live values list (past its count): vk cell -> key cell. */
  readonly listSlack = new Map<number, number>();

  constructor(private readonly size: number) {
    this.used = new Uint32Array((size >>> 8) + 1);
  }

  /** Marks bytes [off, off + n) as used (cut to the hive bins). */
  mark(off: number, n: number): void {
    if (off < 0 || off >= this.size || n <= 0) return;
    const end = Math.min(off + n, this.size);
    for (let s = off >>> 3, e = (end + 7) >>> 3; s < e; s++) this.used[s >>> 5] |= 1 << (s & 31);
  }

  isUsed(off: number): boolean {
    if (off < 0 || off >= this.size) return false;
    const s = off >>> 3;
    return (this.used[s >>> 5] & (1 << (s & 31))) !== 0;
  }

  /** Builds the prefix counts; call once, after the last mark. */
  seal(): void {
    const p = new Uint32Array(this.used.length + 1);
    for (let i = 0; i < this.used.length; i++) p[i + 1] = p[i] + popcount(this.used[i]);
    this.prefix = p;
  }

  private usedBefore(slot: number): number {
    const p = this.prefix as Uint32Array;
    const w = slot >>> 5;
    const bits = slot & 31;
    return p[w] + (bits === 0 ? 0 : popcount(this.used[w] & ((1 << bits) - 1) >>> 0));
  }

  /** Whether any byte of [off, off + n) is used by a live structure (the map sealed). */
  anyUsed(off: number, n: number): boolean {
    const a = Math.max(0, off) >>> 3;
    const b = Math.min(this.size, off + n) + 7;
    if (b - 7 <= Math.max(0, off)) return false;
    return this.usedBefore(Math.min(b >>> 3, this.used.length * 32)) - this.usedBefore(a) > 0;
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The absolute size of the cell at `off`, when it is a plausible cell inside the bins (else 0). */
function cellSizeAt(b: Uint8Array, off: number): number {
  if (off % 8 !== 0 || off < 0 || off + 8 > b.length) return 0;
  const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
  const size = raw < 0 ? -raw : raw;
  return size >= 8 && size % 8 === 0 && off + size <= b.length ? size : 0;
}

/** Marks a subkey list (and an ri's sublists, one level) as used. */
function markSubkeyList(live: LiveMap, b: Uint8Array, off: number, depth: number): void {
  const size = cellSizeAt(b, off);
  if (size === 0) return;
  const sig = rawU16(b, off + 4);
  const step = sig === SIG.lf || sig === SIG.lh ? 8 : sig === SIG.li || sig === SIG.ri ? 4 : 0;
  if (step === 0) {
    live.mark(off, 8);
    return;
  }
  const count = Math.min(rawU16(b, off + 6), Math.floor((size - 8) / step));
  live.mark(off, 8 + count * step);
  if (sig !== SIG.ri || depth > 0) return;
  for (let i = 0; i < count; i++) markSubkeyList(live, b, rawU32(b, off + 8 + 4 * i), depth + 1);
}

/** Marks every key node a live list names (the walk marks the ones it reads; a damaged one is still named). */
function markSubkeyTargets(live: LiveMap, b: Uint8Array, off: number, depth: number): void {
  const size = cellSizeAt(b, off);
  if (size === 0) return;
  const sig = rawU16(b, off + 4);
  const step = sig === SIG.lf || sig === SIG.lh ? 8 : sig === SIG.li || sig === SIG.ri ? 4 : 0;
  if (step === 0) return;
  const count = Math.min(rawU16(b, off + 6), Math.floor((size - 8) / step));
  for (let i = 0; i < count; i++) {
    const t = rawU32(b, off + 8 + step * i);
    if (sig === SIG.ri) {
      if (depth === 0) markSubkeyTargets(live, b, t, 1);
    } else if (t !== NO_CELL) live.mark(t, 8);
  }
}

function markValue(live: LiveMap, hive: Hive, vk: number): void {
  const b = hive.bins;
  const size = cellSizeAt(b, vk);
  live.mark(vk, 8);
  if (size < 4 + VK_FIXED || rawU16(b, vk + 4) !== SIG.vk) return;
  live.mark(vk, 4 + VK_FIXED + rawU16(b, vk + 6));
  const rawSize = rawU32(b, vk + 8);
  if (rawSize >= 0x80000000 || rawSize === 0) return;
  const data = rawU32(b, vk + 12);
  const dataCell = cellSizeAt(b, data);
  if (dataCell === 0) return;
  if (hive.minorVersion > 3 && rawSize > BIG_DATA_SEGMENT && rawU16(b, data + 4) === SIG.db) {
    live.mark(data, 16);
    const n = rawU16(b, data + 6);
    const list = rawU32(b, data + 8);
    const listCell = cellSizeAt(b, list);
    if (listCell === 0) return;
    const segs = Math.min(n, (listCell - 4) >>> 2);
    live.mark(list, 4 + 4 * segs);
    let left = rawSize;
    for (let i = 0; i < segs && left > 0; i++) {
      const seg = rawU32(b, list + 4 + 4 * i);
      const take = Math.min(left, BIG_DATA_SEGMENT);
      if (cellSizeAt(b, seg) > 0) live.mark(seg, 4 + take);
      left -= take;
    }
    return;
  }
  live.mark(data, 4 + Math.min(rawSize, dataCell - 4));
}

function markKey(live: LiveMap, hive: Hive, k: RegKey): void {
  const b = hive.bins;
  const n = k.node;
  live.keyPaths.set(k.cell, k.path);
  // the name as stored, not as decoded (a UTF-16 name has twice the bytes)
  live.mark(k.cell, 4 + NK_FIXED + rawU16(b, k.cell + 4 + 72));
  if (n.subkeyCount > 0 && n.subkeysList !== NO_CELL) {
    markSubkeyList(live, b, n.subkeysList, 0);
    markSubkeyTargets(live, b, n.subkeysList, 0);
  }
  if (n.security !== NO_CELL) {
    const s = cellSizeAt(b, n.security);
    if (s >= 24 && rawU16(b, n.security + 4) === SIG.sk) live.mark(n.security, 24 + rawU32(b, n.security + 20));
    else if (s > 0) live.mark(n.security, 8);
  }
  if (n.classLength > 0 && n.classOffset !== NO_CELL && cellSizeAt(b, n.classOffset) > 0) live.mark(n.classOffset, 4 + n.classLength);
  if (n.valueCount > 0 && n.valuesList !== NO_CELL) {
    const size = cellSizeAt(b, n.valuesList);
    if (size === 0) return;
    const room = (size - 4) >>> 2;
    const count = Math.min(n.valueCount, room);
    live.mark(n.valuesList, 4 + 4 * count);
    for (let i = 0; i < count; i++) {
      const vk = rawU32(b, n.valuesList + 4 + 4 * i);
      if (vk !== NO_CELL) markValue(live, hive, vk);
    }
    // offsets left past the count by a value deleted from this key (yarp's remnant values)
    for (let i = count; i < room; i++) {
      const vk = rawU32(b, n.valuesList + 4 + 4 * i);
      if (vk !== NO_CELL && vk % 8 === 0 && vk < b.length && !live.listSlack.has(vk)) live.listSlack.set(vk, k.cell);
    }
  }
}

/** Walks the live tree once and returns what it uses (sealed). */
export function mapLiveCells(hive: Hive): LiveMap {
  const live = new LiveMap(hive.bins.length);
  for (const k of hive.keysUnder()) markKey(live, hive, k);
  live.seal();
  return live;
}
