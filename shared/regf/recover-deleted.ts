// Deleted keys and values: a linear scan of every byte the live tree does not use for key nodes
// and key values, then linking (recover-link.ts). Where it looks, in file order:
//   - free cells (positive size), which coalesce, so one may hold several old records;
//   - allocated cells no live structure references (a key Windows cut out of its list, "healed");
//   - the slack of live cells: the bytes past what their structure needs;
//   - bytes of the hive-bins area outside any valid bin, and past the last bin to the end of the file;
//   - the tail of a bin whose cells cannot be framed past a bad cell size.
// Inside cells, records are looked for only where a cell's data can have started (8-aligned + 4,
// the cell size before it): every record Windows wrote began there, so an old record is still
// there, and a match elsewhere (inside a name or data) is no record. Outside the bins and past a
// bad cell size the old alignment is unknown: every even offset is tried, as yarp does. A
// record's `cell` is always its start - 4 (where its cell size is or was). A found record is skipped past, so a
// value record is not found again inside a key's name. The live map (recover-live.ts) keeps out
// everything a live list names, so a live record is never reported deleted, even in a damaged
// hive where a live list points into a free cell. Time is linear in the hive's size (each byte
// looked at once, the linking by maps); memory is a bit per 8 bytes plus the records found.
// Nothing throws for bad input: a region or record that makes no sense is passed over.

import { problem, type Problem } from '../model/problems';
import { SIG } from './cell';
import type { Hive } from './hive';
import { HBIN_HEADER_SIZE } from './hive-bin';
import { linkDeleted } from './recover-link';
import { type LiveMap, mapLiveCells } from './recover-live';
import { type CandidateKey, type CandidateValue, candidateKey, candidateValue } from './recover-records';
import { readDeletedData } from './recover-data';

export type DeletedSource = 'free' | 'unreferenced' | 'slack' | 'outside-bins' | 'unframed';

/** What a deleted value's data is: inline, nothing, read from bytes nothing live uses, or gone. */
export type DeletedDataState = 'resident' | 'empty' | 'free' | 'overwritten' | 'unreadable';

export interface DeletedKey {
  /** Hive-bins-relative offset of the record's cell. */
  cell: number;
  /** File offset of that cell. */
  offset: number;
  source: DeletedSource;
  name: string;
  lastWritten: string;
  subkeyCount: number;
  valueCount: number;
  /** The parent cell the record names. */
  parentCell: number;
  /**
   * With `rooted`: the full path from the root ('\'-separated, no root name). Otherwise the path
   * from the highest deleted ancestor that could be found (yarp's partial path).
   */
  path: string;
  /** The parent chain reaches a live key, so `path` is complete. */
  rooted: boolean;
  /** The parent is itself a deleted key found by the scan. */
  parentDeleted: boolean;
}

export interface DeletedValue {
  cell: number;
  offset: number;
  source: DeletedSource;
  name: string;
  type: number;
  typeName: string;
  size: number;
  inline: boolean;
  dataOffset: number;
  /** The key the value was found to belong to (a deleted key's values list, or a live list's slack). */
  key?: { cell: number; offset: number; deleted: boolean; path: string; rooted: boolean };
  dataState: DeletedDataState;
  /** The data, when `dataState` is 'resident' or 'free' (a view of the hive, or a copy for big data). */
  data?: Uint8Array;
}

export interface DeletedScan {
  keys: DeletedKey[];
  values: DeletedValue[];
  problems: Problem[];
  stats: { bytesScanned: number; regions: number };
}

export interface FoundKey extends CandidateKey {
  source: DeletedSource;
}
export interface FoundValue extends CandidateValue {
  source: DeletedSource;
}

interface ScanState {
  hive: Hive;
  live: LiveMap;
  keys: FoundKey[];
  values: FoundValue[];
  bytes: number;
  regions: number;
}

/** Looks for nk / vk records in [start, end) of the bins. */
function scanRegion(st: ScanState, start: number, end: number, source: DeletedSource): void {
  const b = st.hive.bins;
  end = Math.min(end, b.length);
  if (end - start < 8) return;
  st.regions++;
  st.bytes += end - start;
  // in cells, record positions are 8-aligned + 4; outside the bins or past a bad cell size the
  // old cells' alignment is unknown (a remnant can start a page), so every even offset is tried
  const step = source === 'outside-bins' || source === 'unframed' ? 2 : 8;
  let p = step === 8 ? start + ((((4 - start) % 8) + 8) % 8) : start + (start & 1);
  while (p + 2 <= end) {
    const sig = b[p] | (b[p + 1] << 8);
    let skip = 0;
    if (sig === SIG.nk || sig === SIG.vk) {
      // a cell a live list names is live, even where the framing says free (damage)
      if (!st.live.isUsed(p - 4)) {
        if (sig === SIG.nk) {
          const k = candidateKey(b, p, end);
          if (k) {
            st.keys.push({ ...k, source });
            skip = k.length;
          }
        } else {
          const v = candidateValue(b, p, end);
          if (v) {
            st.values.push({ ...v, source });
            skip = v.length;
          }
        }
      }
    }
    p += skip === 0 ? step : (skip + step - 1) & ~(step - 1);
  }
}

/** The region of each cell and each stretch outside the bins, in file order. */
function scanAll(st: ScanState): void {
  const { hive, live } = st;
  const b = hive.bins;
  const map = hive.map;
  let last = 0;
  for (const bin of map.bins) {
    if (bin.offset > last) scanRegion(st, last, bin.offset, 'outside-bins');
    const end = bin.offset + bin.size;
    let off = bin.offset + HBIN_HEADER_SIZE;
    while (off + 4 <= end) {
      const raw = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
      const size = raw < 0 ? -raw : raw;
      if (size < 8 || size % 8 !== 0 || off + size > end) {
        scanRegion(st, off, end, 'unframed');
        break;
      }
      if (raw > 0) scanRegion(st, off + 4, off + size, 'free');
      else if (!live.isUsed(off)) scanRegion(st, off + 4, off + size, 'unreferenced');
      else {
        // the used part of a live cell is marked slot by slot from its start
        let u = off;
        while (u < off + size && live.isUsed(u)) u += 8;
        if (u < off + size) scanRegion(st, u, off + size, 'slack');
      }
      off += size;
    }
    last = end;
  }
  // bins skipped as damaged lie between the valid ones (above); after the last one, to the file's end
  if (last < b.length) scanRegion(st, last, b.length, 'outside-bins');
}

/**
 * Deleted keys and values of an opened hive (with its logs applied, when it was opened so),
 * linked to their parents where the offsets allow. Linear in the hive's size.
 */
export function recoverDeleted(hive: Hive, opts: { file: string }): DeletedScan {
  const live = mapLiveCells(hive);
  const st: ScanState = { hive, live, keys: [], values: [], bytes: 0, regions: 0 };
  scanAll(st);
  const root = hive.root();
  const base = root ? root.offset - root.cell : 4096;
  const problems: Problem[] = [];
  const linked = linkDeleted(hive, live, st.keys, st.values, base, (code, cell, message) => {
    problems.push(problem(code, 'warning', opts.file, message, { offset: base + cell }));
  });
  const values: DeletedValue[] = linked.values.map((v) => {
    const d = readDeletedData(hive, live, v);
    const out: DeletedValue = {
      cell: v.cell, offset: base + v.cell, source: v.source, name: v.name, type: v.type, typeName: v.typeName,
      size: v.size, inline: v.inline, dataOffset: v.dataOffset, dataState: d.state,
    };
    if (v.key) out.key = v.key;
    if (d.data) out.data = d.data;
    return out;
  });
  return { keys: linked.keys, values, problems, stats: { bytesScanned: st.bytes, regions: st.regions } };
}
