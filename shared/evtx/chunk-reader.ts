// Reads the records of one chunk into RawEvents. Damage is handled at the smallest level: a bad
// record is counted and skipped (the scan resumes at the next record signature), a wrong free
// space offset is reported and the records are found by signature instead. CRC mismatches are
// reported; the chunk is still read.

import { problem, type Problem, type ProblemCode } from '../model/problems';
import type { EvidenceRef, RawEvent } from '../model/raw-event';
import { EvtxDecodeError } from './bytes';
import { CHUNK_HEADER_SIZE, computeRecordsChecksum, parseChunkHeader } from './chunk-header';
import { extractFragment, type Sink } from './binxml/extract';
import { parseFragment } from './binxml/parse';
import { newChunkContext, type ChunkContext } from './binxml/template-cache';
import { RECORD_HEADER_SIZE, findRecordSignature, readRecordHeader } from './record';

export interface ChunkReadInput {
  buf: Uint8Array;
  index: number;
  /** File offset of the chunk's first byte. */
  fileOffset: number;
  file: string;
  member?: string;
  wanted?: ReadonlySet<string>;
  /** Skip CRC verification (the file header's "no CRC32" flag). */
  skipCrc: boolean;
}

export interface ChunkReadResult {
  events: RawEvent[];
  failed: number;
}

export function readChunkRecords(input: ChunkReadInput, onProblem: (p: Problem) => void): ChunkReadResult {
  const { buf, index, fileOffset, file, member } = input;
  const where = (off: number, record?: number) => ({ member, chunk: index, offset: fileOffset + off, record });
  const warn = (code: ProblemCode, msg: string, off: number, record?: number) => onProblem(problem(code, 'warning', file, msg, where(off, record)));
  const events: RawEvent[] = [];
  let failed = 0;

  const h = parseChunkHeader(buf);
  if (!input.skipCrc && h.headerChecksum !== h.computedHeaderChecksum) {
    warn('BAD_CHECKSUM', `chunk header CRC32 is 0x${h.headerChecksum.toString(16)}, computed 0x${h.computedHeaderChecksum.toString(16)}`, 124);
  }

  // The free space offset ends the records area unless it is out of range or the header's
  // last-record offset lies beyond it; then records are found by signature up to the chunk end.
  let end = h.freeSpaceOffset;
  let freeSpaceOk = end >= CHUNK_HEADER_SIZE && end <= buf.length && (h.lastRecordOffset < end || h.lastRecordOffset === 0);
  if (!freeSpaceOk) {
    warn('BAD_FREE_SPACE', `free space offset 0x${h.freeSpaceOffset.toString(16)} is out of range (last record at 0x${h.lastRecordOffset.toString(16)}); records found by signature`, 48);
    end = buf.length;
  } else if (!input.skipCrc) {
    const crc = computeRecordsChecksum(buf, end);
    if (crc !== h.recordsChecksum) warn('BAD_CHECKSUM', `event records CRC32 is 0x${h.recordsChecksum.toString(16)}, computed 0x${crc.toString(16)}`, 52);
  }

  const c = newChunkContext(buf);
  let pos = CHUNK_HEADER_SIZE;
  let lastId = -1;
  for (;;) {
    if (pos + RECORD_HEADER_SIZE > end) {
      // Past the free space offset lies slack (often stale records of an earlier use of the
      // chunk). Only a record continuing the id sequence, within the header's id range, shows
      // that the offset itself is stale.
      const after = freeSpaceOk && end < buf.length ? readRecordHeader(buf, pos, buf.length) : 'none';
      if (typeof after !== 'string' && after.recordId === lastId + 1 && after.recordId <= h.lastRecordId) {
        warn('BAD_FREE_SPACE', `a record follows the free space offset 0x${end.toString(16)}; reading on to the chunk end`, 48);
        freeSpaceOk = false;
        end = buf.length;
        continue;
      }
      break;
    }
    const rh = readRecordHeader(buf, pos, end);
    if (typeof rh === 'string') {
      const next = findRecordSignature(buf, pos + 1, end);
      // Zero fill or slack after the last record is not damage; a broken record header is.
      if (rh !== 'no record signature' || (next >= 0 && !allZero(buf, pos, next))) {
        failed++;
        warn('BAD_RECORD', rh, pos);
      }
      if (next < 0) break;
      pos = next;
      continue;
    }
    try {
      events.push(decodeRecord(c, rh.offset, rh.size, rh.recordId, input));
    } catch (e) {
      failed++;
      if (e instanceof EvtxDecodeError) {
        warn(e.code, `record ${rh.recordId}: ${e.message}`, e.offset >= rh.offset && e.offset < rh.offset + rh.size ? e.offset : rh.offset, rh.recordId);
      } else {
        // a bug of ours, not damage: counted so the other records go on
        warn('INTERNAL', `record ${rh.recordId}: ${e instanceof Error ? e.message : String(e)}`, rh.offset, rh.recordId);
      }
    }
    lastId = rh.recordId;
    pos += rh.size;
  }
  return { events, failed };
}

function allZero(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * The ref cites the System EventRecordID (the id every other tool shows); the record header's id,
 * which exported / forwarded logs renumber, is kept as headerRecordId when it differs. Problems of
 * records that cannot be decoded can only name the header id.
 */
function decodeRecord(c: ChunkContext, pos: number, size: number, headerId: number, input: ChunkReadInput): RawEvent {
  const end = pos + size - 4;
  const sink: Sink = { system: {}, data: {}, unnamed: 0, wanted: input.wanted };
  extractFragment(c, pos + RECORD_HEADER_SIZE, end, 'root', sink, 0);
  if (sink.system.recordId === undefined) sink.system.recordId = headerId;
  const ref: EvidenceRef = { file: input.file, member: input.member, format: 'evtx', recordId: sink.system.recordId, chunk: input.index, offset: input.fileOffset + pos };
  if (sink.system.recordId !== headerId) ref.headerRecordId = headerId;
  return { ref, layout: 'windows-event', system: sink.system, data: sink.data };
}

/** Parses the record at chunk offset `pos` for rendering; throws EvtxDecodeError when it cannot. */
export function recordNodes(buf: Uint8Array, pos: number): { c: ChunkContext; nodes: ReturnType<typeof parseFragment>['nodes'] } | string {
  const rh = readRecordHeader(buf, pos, buf.length);
  if (typeof rh === 'string') return rh;
  const c = newChunkContext(buf);
  return { c, nodes: parseFragment(c, pos + RECORD_HEADER_SIZE, pos + rh.size - 4, false, 0).nodes };
}
