// Carving deleted records out of a chunk's slack, as libevtx's "recovered" mode does: every
// record signature "**\0\0" past the last allocated record is a candidate. A candidate is kept
// when its framing holds (size within the slack, the size copy in its last four bytes equal to
// the size), its header is plausible (a record id that is not 0 and below 2^48, a written FILETIME
// between 1990 and 2100, binary XML starting with a fragment header) and its binary XML decodes
// to an event with an EventID. Candidates whose framing holds but which do not decode are
// counted as deleted fragments, not failures: slack is stale bytes, often a record cut by a newer
// one, and not damage to the log. Bytes without a plausible frame are not counted at all.
//
// Invariants: only [from, to) is read; a kept record never overlaps another kept one (the scan
// resumes after each framed candidate); decoding goes through the caller's `decode`, which
// throws ByteDecodeError for bad input (a fragment) and anything else for a bug of ours
// (reported through `onInternal`, and the candidate is a fragment: one bug must not drop the rest).

import type { RawEvent } from '../model/raw-event';
import { ByteDecodeError, rawU32 } from '../bytes/byte-reader';
import { RECORD_HEADER_SIZE, findRecordSignature, readRecordHeader, type RecordHeader } from './record';

/** Decodes the record framed at chunk offset `pos`; throws ByteDecodeError when it cannot. */
export type DecodeCarved = (pos: number, size: number, headerId: number) => RawEvent;

export interface CarveOutcome {
  /** Decoded carved records, in chunk order, each with ref.recovered set. */
  events: RawEvent[];
  /** Framed candidates that did not decode. */
  fragments: number;
}

// FILETIME (100 ns since 1601) of 1990-01-01 and 2100-01-01: a written time outside is not a record's.
const FILETIME_1990 = (631152000000 + 11644473600000) * 10000;
const FILETIME_2100 = (4102444800000 + 11644473600000) * 10000;
const MAX_RECORD_ID = 2 ** 48;

/** Whether a framed candidate looks like an event record: id, written time and a binary XML fragment header. */
export function plausibleRecord(buf: Uint8Array, rh: RecordHeader): boolean {
  if (rh.recordId === 0 || rh.recordId >= MAX_RECORD_ID) return false;
  const written = rawU32(buf, rh.offset + 20) * 4294967296 + rawU32(buf, rh.offset + 16);
  if (written < FILETIME_1990 || written > FILETIME_2100) return false;
  // the record's binary XML opens with a fragment header: token 0x0f, version 1.1
  const x = rh.offset + RECORD_HEADER_SIZE;
  return rh.size >= RECORD_HEADER_SIZE + 4 + 4 + 1 && buf[x] === 0x0f && buf[x + 1] === 0x01 && buf[x + 2] === 0x01;
}

/** Carves the records in [from, to) of a chunk (see the module comment). */
export function carveRecords(buf: Uint8Array, from: number, to: number, decode: DecodeCarved, onInternal: (e: unknown, rh: RecordHeader) => void): CarveOutcome {
  const events: RawEvent[] = [];
  let fragments = 0;
  let pos = findRecordSignature(buf, from, to);
  while (pos >= 0) {
    const rh = readRecordHeader(buf, pos, to);
    if (typeof rh === 'string' || !plausibleRecord(buf, rh)) {
      pos = findRecordSignature(buf, pos + 1, to);
      continue;
    }
    try {
      const ev = decode(rh.offset, rh.size, rh.recordId);
      if (ev.system.eventId === undefined) throw new ByteDecodeError('BAD_RECORD', rh.offset, 'decodes to no EventID: not an event record');
      ev.ref.recovered = true;
      events.push(ev);
    } catch (e) {
      fragments++;
      if (!(e instanceof ByteDecodeError)) onInternal(e, rh);
    }
    pos = findRecordSignature(buf, pos + rh.size, to);
  }
  return { events, fragments };
}
