// A deleted value's data, only where it can still be what the value held: inline in the record
// ('resident'), or in a cell whose bytes no live structure uses and whose size field still fits
// the data ('free': the bytes are read as they are, flagged, since a free cell may have been
// reused and freed again in between). Data whose bytes a live structure now uses, or whose cell
// no longer fits it, is 'overwritten' and not given; an offset outside the hive bins is
// 'unreadable'. Big data (hive 1.4+, over 16,344 bytes) needs its db record, segment list and
// every segment to pass the same test. Nothing is invented: no data is better than a guess.

import { rawU16, rawU32 } from '../bytes/byte-reader';
import { SIG } from './cell';
import type { Hive } from './hive';
import { BIG_DATA_SEGMENT } from './big-data';
import type { DeletedDataState } from './recover-deleted';
import type { LiveMap } from './recover-live';
import type { CandidateValue } from './recover-records';

export interface DeletedData {
  state: DeletedDataState;
  data?: Uint8Array;
}

/** The size of the cell at `off` if it can hold `need` data bytes, else 0. */
function fits(b: Uint8Array, off: number, need: number): number {
  if (off % 8 !== 0 || off + 4 + need > b.length) return 0;
  const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
  const size = raw < 0 ? -raw : raw;
  return size % 8 === 0 && size >= 4 + need && off + size <= b.length ? size : 0;
}

export function readDeletedData(hive: Hive, live: LiveMap, v: CandidateValue): DeletedData {
  const b = hive.bins;
  const rec = v.cell + 4;
  if (v.inline) return { state: 'resident', data: b.subarray(rec + 8, rec + 8 + v.size) };
  if (v.size === 0) return { state: 'empty' };
  const off = v.dataOffset;
  if (off % 8 !== 0 || off + 12 > b.length) return { state: 'unreadable' };
  if (hive.minorVersion > 3 && v.size > BIG_DATA_SEGMENT && rawU16(b, off + 4) === SIG.db) return bigData(b, live, off, v.size);
  if (off + 4 + v.size > b.length) return { state: 'unreadable' };
  if (fits(b, off, v.size) === 0 || live.anyUsed(off, 4 + v.size)) return { state: 'overwritten' };
  return { state: 'free', data: b.subarray(off + 4, off + 4 + v.size) };
}

function bigData(b: Uint8Array, live: LiveMap, off: number, size: number): DeletedData {
  const segments = rawU16(b, off + 6);
  const list = rawU32(b, off + 8);
  if (fits(b, off, 8) === 0 || live.anyUsed(off, 12)) return { state: 'overwritten' };
  if (segments !== Math.ceil(size / BIG_DATA_SEGMENT)) return { state: 'overwritten' };
  if (fits(b, list, 4 * segments) === 0 || live.anyUsed(list, 4 + 4 * segments)) return { state: 'overwritten' };
  const out = new Uint8Array(size);
  let done = 0;
  for (let i = 0; i < segments; i++) {
    const seg = rawU32(b, list + 4 + 4 * i);
    const take = Math.min(size - done, BIG_DATA_SEGMENT);
    if (fits(b, seg, take) === 0 || live.anyUsed(seg, 4 + take)) return { state: 'overwritten' };
    out.set(b.subarray(seg + 4, seg + 4 + take), done);
    done += take;
  }
  return { state: 'free', data: out };
}
