// Reads the records of one chunk into RawEvents. Damage is handled at the smallest level: a bad
// record is counted and skipped (the scan resumes at the next record signature), a wrong free
// space offset is reported and the records are found by signature instead. CRC mismatches are
// reported; the chunk is still read. A chunk whose signature is wrong is salvaged
// (salvageChunkRecords): read as usual when the rest of its header is intact, else scanned for
// records by signature with every record checked on its own.
// Deleted records are carved too (recover-slack.ts): the slack after a chunk's last allocated
// record, and every record of a chunk whose header is not trusted, come back in `recovered`
// with ref.recovered set; slack candidates that do not decode are counted as `fragments`.

import { problem, type Problem, type ProblemCode } from '../model/problems';
import type { EvidenceRef, RawEvent } from '../model/raw-event';
import { ByteDecodeError } from '../bytes/byte-reader';
import { CHUNK_HEADER_SIZE, CHUNK_SIGNATURE, computeRecordsChecksum, parseChunkHeader } from './chunk-header';
import { crc32 } from '../bytes/crc32';
import { extractFragment, type Sink } from './binxml/extract';
import { parseFragment } from './binxml/parse';
import { newChunkContext, type ChunkContext } from './binxml/template-cache';
import { RECORD_HEADER_SIZE, RECORD_MIN_SIZE, findRecordSignature, readRecordHeader } from './record';
import { carveRecords } from './recover-slack';

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
  /** Allocated records. */
  events: RawEvent[];
  failed: number;
  /** Carved records (ref.recovered): from the slack, or all of a chunk whose header is not trusted. */
  recovered: RawEvent[];
  /** Slack candidates whose framing held but whose binary XML did not decode. */
  fragments: number;
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
      reportRecordFailure(e, rh, warn);
    }
    lastId = rh.recordId;
    pos += rh.size;
  }
  const carved = carveSlack(c, pos, input, warn);
  return { events, failed, recovered: carved.events, fragments: carved.fragments };
}

/**
 * Carves the slack [from, chunk end) with a context that checks each template reference against
 * the template id it names, since a deleted record's template offset may point into bytes newer
 * records overwrote; it shares the chunk's template cache, so templates the allocated records
 * defined are parsed once (a slack record in a reused chunk usually instantiates those).
 */
function carveSlack(c: ChunkContext, from: number, input: ChunkReadInput, warn: Warn): ReturnType<typeof carveRecords> {
  const cs = newChunkContext(c.buf, true);
  cs.templates = c.templates;
  return carveRecords(c.buf, from, c.buf.length, (pos, size, id) => decodeRecord(cs, pos, size, id, input), (e, rh) => reportRecordFailure(e, rh, warn));
}

export interface SalvageResult extends ChunkReadResult {
  /** True when only the signature was wrong: the header CRC32 matches with "ElfChnk\0" restored. */
  headerIntact: boolean;
}

/**
 * Reads the records of a chunk whose signature is not "ElfChnk\0" (carved or partly overwritten
 * evidence). When the header CRC32 matches with the signature restored, only the signature was
 * hit: the chunk is read exactly as an undamaged one. Otherwise nothing in the header is trusted
 * (free space offset, CRCs, the string and template tables): the whole records area is scanned for
 * record signatures, and a record is kept when its size copy matches and its binary XML decodes,
 * with each template reference checked against the template id it names. Names and templates
 * are read at the offsets records give, so records that define their templates inline decode
 * whatever the header holds; one whose template is gone fails alone as BAD_TEMPLATE.
 */
export function salvageChunkRecords(input: ChunkReadInput, onProblem: (p: Problem) => void): SalvageResult {
  const { buf } = input;
  if (buf.length >= CHUNK_HEADER_SIZE && !input.skipCrc) {
    const head = buf.slice(0, CHUNK_HEADER_SIZE);
    head.set(CHUNK_SIGNATURE, 0);
    const stored = (head[124] | (head[125] << 8) | (head[126] << 16) | (head[127] << 24)) >>> 0;
    if (stored !== 0 && crc32(head, 128, CHUNK_HEADER_SIZE, crc32(head, 0, 120)) === stored) {
      const fixed = buf.slice();
      fixed.set(CHUNK_SIGNATURE, 0);
      // the header is proven intact: its allocated records are live, its slack carved as usual
      return { ...readChunkRecords({ ...input, buf: fixed }, onProblem), headerIntact: true };
    }
  }
  const { index, fileOffset, file, member } = input;
  const warn = (code: ProblemCode, msg: string, off: number, record?: number) =>
    onProblem(problem(code, 'warning', file, msg, { member, chunk: index, offset: fileOffset + off, record }));
  const events: RawEvent[] = [];
  let failed = 0;
  const c = newChunkContext(buf, true);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_MIN_SIZE <= buf.length) {
    const rh = readRecordHeader(buf, pos, buf.length);
    if (typeof rh === 'string') {
      // bytes without a record signature are not records (zero fill, overwritten data)
      if (rh !== 'no record signature') {
        failed++;
        warn('BAD_RECORD', rh, pos);
      }
      const next = findRecordSignature(buf, pos + 1, buf.length);
      if (next < 0) break;
      pos = next;
      continue;
    }
    try {
      const ev = decodeRecord(c, rh.offset, rh.size, rh.recordId, input);
      if (ev.system.eventId === undefined) throw new ByteDecodeError('BAD_RECORD', rh.offset, 'decodes to no EventID: not an event record');
      // without a free space offset, allocated and deleted records cannot be told apart: carved
      ev.ref.recovered = true;
      events.push(ev);
    } catch (e) {
      failed++;
      reportRecordFailure(e, rh, warn);
    }
    pos += rh.size;
  }
  // A record that fails here is counted as a failure, not a fragment: most of a chunk is its
  // allocated records, so a loss here is damage to the log (e.g. a template in the lost header area).
  return { events: [], failed, recovered: events, fragments: 0, headerIntact: false };
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
  c.budget.refill(); // each record has its own budget: running out fails it alone, as BAD_RECORD
  const sink: Sink = { system: {}, data: {}, unnamed: 0, wanted: input.wanted };
  extractFragment(c, pos + RECORD_HEADER_SIZE, end, 'root', sink, 0);
  if (sink.system.recordId === undefined) sink.system.recordId = headerId;
  const ref: EvidenceRef = { file: input.file, member: input.member, format: 'evtx', recordId: sink.system.recordId, chunk: input.index, offset: input.fileOffset + pos };
  if (sink.system.recordId !== headerId) ref.headerRecordId = headerId;
  return { ref, layout: 'windows-event', system: sink.system, data: sink.data };
}

/** Parses the record at chunk offset `pos` for rendering; throws ByteDecodeError when it cannot. */
export function recordNodes(buf: Uint8Array, pos: number): { c: ChunkContext; nodes: ReturnType<typeof parseFragment>['nodes'] } | string {
  const rh = readRecordHeader(buf, pos, buf.length);
  if (typeof rh === 'string') return rh;
  const c = newChunkContext(buf);
  return { c, nodes: parseFragment(c, pos + RECORD_HEADER_SIZE, pos + rh.size - 4, false, 0).nodes };
}

type Warn = (code: ProblemCode, msg: string, off: number, record?: number) => void;

/** One record that failed to decode, as a warning at the damaged offset (inside the record when known). */
function reportRecordFailure(e: unknown, rh: { offset: number; size: number; recordId: number }, warn: Warn): void {
  if (e instanceof ByteDecodeError) {
    warn(e.code, `record ${rh.recordId}: ${e.message}`, e.offset >= rh.offset && e.offset < rh.offset + rh.size ? e.offset : rh.offset, rh.recordId);
  } else {
    // a bug of ours, not damage: counted so the other records go on
    warn('INTERNAL', `record ${rh.recordId}: ${e instanceof Error ? e.message : String(e)}`, rh.offset, rh.recordId);
  }
}
