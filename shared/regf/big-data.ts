// Big data ("db"): value data over 16,344 bytes (hive version 1.4 and later) in segments of
// 16,344 bytes each but the last, listed in a cell of segment offsets. The segments are copied
// into one buffer of the value's size; a segment that cannot be read ends the data there, and
// what was read is returned with the damage, so a truncated value keeps its intact start.

import { ByteDecodeError, u16, u32 } from '../bytes/byte-reader';
import { type CellSpace, cellData } from './cell';

export const BIG_DATA_SEGMENT = 16344;

export interface BigData {
  bytes: Uint8Array;
  damage?: ByteDecodeError;
}

/** Reads the db record at `off` (its signature already checked) for a value of `size` bytes. */
export function readBigData(space: CellSpace, off: number, size: number): BigData {
  const b = space.bins;
  const segments = u16(b, off + 6, 'db_number_of_segments');
  const listOff = u32(b, off + 8, 'db_segments_list_offset');
  const out = new Uint8Array(size);
  let done = 0;
  try {
    const listLen = cellData(space, listOff, 'db_segments_list_offset');
    const n = Math.min(segments, listLen >>> 2);
    for (let i = 0; i < n && done < size; i++) {
      const seg = u32(b, listOff + 4 + 4 * i, 'db_segment_offset');
      const segLen = cellData(space, seg, 'db_segment_offset');
      const take = Math.min(size - done, BIG_DATA_SEGMENT, segLen);
      out.set(b.subarray(seg + 4, seg + 4 + take), done);
      done += take;
      if (take < BIG_DATA_SEGMENT && done < size) break;
    }
  } catch (e) {
    if (!(e instanceof ByteDecodeError)) throw e;
    return { bytes: out.subarray(0, done), damage: e };
  }
  if (done < size) return { bytes: out.subarray(0, done), damage: new ByteDecodeError('TRUNCATED', off, `big data at 0x${off.toString(16)} holds ${done} of the value's ${size} bytes (${segments} segments)`) };
  return { bytes: out };
}
