// Native EVTX reader: the public entry points. The file is read as a 4 KiB header and then one
// 64 KiB chunk at a time through ByteSource.read, so memory stays bounded whatever the file size,
// and a chunk range can be given to each of several workers. The header is advisory: the number
// of chunks comes from the file size (Windows leaves "dirty" headers that under-count), and
// disagreements are reported as problems. Nothing here throws for bad input.
// Each chunk's batch is its allocated records, then its carved (deleted) records, less those that
// are copies of a live record of the file (recover-live-copies.ts); the summary counts the carved
// ones (recoveredRecords, within records), the slack fragments that did not decode and the copies dropped.

import type { ByteSource, ReaderContext, ReadSummary } from '../readers/types';
import type { RawEvent } from '../model/raw-event';
import { problem, type Problem } from '../model/problems';
import { ByteDecodeError } from '../bytes/byte-reader';
import { CHUNK_SIZE, hasChunkSignature, isUnusedChunk } from './chunk-header';
import { FILE_FLAG_NO_CRC32, FILE_HEADER_BLOCK, FILE_SIGNATURE, parseFileHeader, type FileHeader } from './file-header';
import { readChunkRecords, recordNodes, salvageChunkRecords } from './chunk-reader';
import { renderNodesXml } from './render-xml';
import { LiveCopyFilter } from './recover-live-copies';

/** True when the first 8 bytes are the EVTX file signature "ElfFile\0". */
export function looksLikeEvtx(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  for (let i = 0; i < 8; i++) if (head[i] !== FILE_SIGNATURE[i]) return false;
  return true;
}

export interface EvtxReadOptions {
  /** Only these chunk indexes [start, end) (for spreading one file over workers). */
  chunkRange?: readonly [number, number];
  /** When given, only these EventData names are decoded into RawEvent.data (fast path for scanning); System fields always. */
  wantedFields?: ReadonlySet<string>;
}

/** Chunks present in the file: whole ones plus a trailing partial one. */
function chunksInFile(size: number): number {
  return size <= FILE_HEADER_BLOCK ? 0 : Math.ceil((size - FILE_HEADER_BLOCK) / CHUNK_SIZE);
}

interface Opened {
  header: FileHeader | undefined;
  chunks: number;
}

/** Reads and checks the file header; reports problems; undefined when the file cannot be read as EVTX. */
async function open(src: ByteSource, ctx: ReaderContext, report: boolean): Promise<Opened | undefined> {
  const err = (p: Problem) => {
    if (report) ctx.onProblem(p);
  };
  const where = { member: ctx.member, offset: 0 };
  if (src.size === 0) {
    err(problem('TRUNCATED', 'error', ctx.file, 'the file is empty', where));
    return undefined;
  }
  const head = await src.read(0, Math.min(src.size, FILE_HEADER_BLOCK));
  const chunks = chunksInFile(src.size);
  let header: FileHeader | undefined;
  try {
    header = parseFileHeader(head);
  } catch (e) {
    if (!(e instanceof ByteDecodeError)) throw e;
    err(problem('TRUNCATED', 'error', ctx.file, `file header: ${e.message}`, where));
    return undefined;
  }
  if (!header.signatureOk) {
    const first = chunks > 0 ? await src.read(FILE_HEADER_BLOCK, 8) : new Uint8Array(0);
    if (!hasChunkSignature(first)) {
      err(problem('BAD_MAGIC', 'error', ctx.file, 'not an EVTX file: no "ElfFile" signature and no chunk after the header', where));
      return undefined;
    }
    err(problem('BAD_MAGIC', 'warning', ctx.file, 'the file header has no "ElfFile" signature; reading the chunks anyway', where));
    return { header: undefined, chunks };
  }
  if (!(header.flags & FILE_FLAG_NO_CRC32) && header.checksum !== header.computedChecksum) {
    err(problem('BAD_CHECKSUM', 'warning', ctx.file, `file header CRC32 is 0x${header.checksum.toString(16)}, computed 0x${header.computedChecksum.toString(16)}`, { member: ctx.member, offset: 124 }));
  }
  if (src.size > FILE_HEADER_BLOCK && (src.size - FILE_HEADER_BLOCK) % CHUNK_SIZE !== 0) {
    const off = FILE_HEADER_BLOCK + (chunks - 1) * CHUNK_SIZE;
    err(problem('TRUNCATED', 'warning', ctx.file, `the last chunk is cut short: ${src.size - off} of ${CHUNK_SIZE} bytes`, { member: ctx.member, chunk: chunks - 1, offset: off }));
  }
  if (header.chunkCount > chunks) {
    err(problem('TRUNCATED', 'warning', ctx.file, `the header counts ${header.chunkCount} chunks; the file holds ${chunks}`, where));
  }
  return { header, chunks };
}

/** Streams a file chunk by chunk: one batch of RawEvents per chunk; never loads the file whole. Returns the summary. */
export async function* readEvtx(src: ByteSource, ctx: ReaderContext, opts: EvtxReadOptions = {}): AsyncGenerator<RawEvent[], ReadSummary> {
  const summary: ReadSummary = { format: 'evtx', records: 0, failedRecords: 0, bytes: 0, recoveredRecords: 0, deletedFragments: 0, droppedLiveCopies: 0 };
  const opened = await open(src, ctx, !opts.chunkRange || opts.chunkRange[0] === 0);
  if (!opened) return summary;
  const { header, chunks } = opened;
  const start = Math.max(0, Math.min(chunks, opts.chunkRange?.[0] ?? 0));
  const stop = Math.max(start, Math.min(chunks, opts.chunkRange?.[1] ?? chunks));
  const skipCrc = header !== undefined && (header.flags & FILE_FLAG_NO_CRC32) !== 0;
  let dirtyReported = false;
  // Bad-magic chunks past the header's count with no readable record are usually preallocated
  // space holding old bytes: they are reported only if a chunk with records follows them.
  let pendingTail: { problems: Problem[]; failed: number }[] = [];
  const flushTail = () => {
    for (const t of pendingTail) {
      for (const p of t.problems) ctx.onProblem(p);
      summary.failedRecords += t.failed;
    }
    pendingTail = [];
  };
  if (start === 0) summary.bytes = Math.min(src.size, FILE_HEADER_BLOCK);
  // the filter only asks for chunks with a signature (their header gives the id range it looks in);
  // its look-ups may decode as many chunks again as this read covers, and a few more
  const copies = new LiveCopyFilter(src, chunks, (index, buf) => {
    try {
      return readChunkRecords({ buf, index, fileOffset: FILE_HEADER_BLOCK + index * CHUNK_SIZE, file: ctx.file, member: ctx.member, wanted: opts.wantedFields, skipCrc }, ignoreProblem).events;
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      return []; // a chunk whose header cannot be parsed has no live record to compare with
    }
  }, stop - start + 16);
  /** The chunk's batch: its live records, then its carved ones that are not copies of a live record. */
  const batch = async (index: number, live: RawEvent[], carved: RawEvent[], fragments: number): Promise<RawEvent[]> => {
    const { kept, dropped } = await copies.filter(carved, index, live);
    summary.recoveredRecords = (summary.recoveredRecords ?? 0) + kept.length;
    summary.deletedFragments = (summary.deletedFragments ?? 0) + fragments;
    summary.droppedLiveCopies = (summary.droppedLiveCopies ?? 0) + dropped;
    return kept.length ? [...live, ...kept] : live;
  };

  for (let i = start; i < stop; i++) {
    if (ctx.isCancelled?.()) break;
    const fileOffset = FILE_HEADER_BLOCK + i * CHUNK_SIZE;
    const buf = await src.read(fileOffset, CHUNK_SIZE);
    summary.bytes += buf.length;
    const where = { member: ctx.member, chunk: i, offset: fileOffset };
    if (!hasChunkSignature(buf)) {
      if (!isUnusedChunk(buf)) {
        // Damaged (carved, partly overwritten) chunks often still hold whole records: salvage them.
        // The record problems are held back so the chunk's BAD_MAGIC comes first.
        const held: Problem[] = [];
        const r = salvageChunkRecords({ buf, index: i, fileOffset, file: ctx.file, member: ctx.member, wanted: opts.wantedFields, skipCrc }, (p) => held.push(p));
        const n = r.events.length + r.recovered.length;
        const msg = n === 0
          ? `chunk signature is not "ElfChnk"; no record could be read from it${r.failed ? ` (${r.failed} failed)` : ''}; chunk skipped`
          : r.headerIntact
            ? `chunk signature is not "ElfChnk" but the rest of its header is intact (CRC32 matches); ${n} records read`
            : `chunk signature is not "ElfChnk" and its header is not trusted; ${n} records salvaged by signature scan${r.failed ? `, ${r.failed} failed` : ''}`;
        const problems = [problem('BAD_MAGIC', 'warning', ctx.file, msg, where), ...held];
        if (n === 0 && header && i >= header.chunkCount) {
          pendingTail.push({ problems, failed: r.failed });
        } else {
          flushTail();
          for (const p of problems) ctx.onProblem(p);
          summary.failedRecords += r.failed;
        }
        const out = await batch(i, r.events, r.recovered, r.fragments);
        summary.records += out.length;
        ctx.onProgress?.(summary.bytes);
        if (out.length) yield out;
      } else {
        ctx.onProgress?.(summary.bytes);
      }
      continue;
    }
    flushTail();
    if (header && i >= header.chunkCount && !dirtyReported) {
      dirtyReported = true;
      ctx.onProblem(problem('DIRTY_HEADER', 'warning', ctx.file, `the header counts ${header.chunkCount} chunks but chunk ${i} holds data; reading all chunks`, where));
    }
    let events: RawEvent[] = [];
    try {
      const r = readChunkRecords({ buf, index: i, fileOffset, file: ctx.file, member: ctx.member, wanted: opts.wantedFields, skipCrc }, (p) => ctx.onProblem(p));
      events = await batch(i, r.events, r.recovered, r.fragments);
      summary.failedRecords += r.failed;
    } catch (e) {
      if (!(e instanceof ByteDecodeError)) throw e;
      ctx.onProblem(problem(e.code, 'warning', ctx.file, `chunk header: ${e.message}`, where));
    }
    summary.records += events.length;
    ctx.onProgress?.(summary.bytes);
    if (events.length) yield events;
  }
  return summary;
}

/** Problems of chunks re-read to look for live copies are reported when the reader reaches those chunks itself. */
function ignoreProblem(): void {
  // intentionally empty: see above
}

/** How many chunks the file holds (from the header and from the file size, whichever finds more; dirty headers happen). */
export async function countEvtxChunks(src: ByteSource, ctx: ReaderContext): Promise<number> {
  // A header can claim more chunks than exist (truncation) or fewer (dirty): only chunks that are
  // in the file can be read, so the file size decides.
  const opened = await open(src, ctx, false);
  return opened ? opened.chunks : 0;
}

/** The XML of one record (for the raw-event view): `<Event xmlns=...>...</Event>`, or undefined if not decodable. */
export async function renderEvtxRecordXml(src: ByteSource, ref: { chunk: number; offset: number }): Promise<string | undefined> {
  const chunkStart = FILE_HEADER_BLOCK + ref.chunk * CHUNK_SIZE;
  if (ref.chunk < 0 || ref.offset < chunkStart || ref.offset >= chunkStart + CHUNK_SIZE || chunkStart >= src.size) return undefined;
  const buf = await src.read(chunkStart, CHUNK_SIZE);
  try {
    const r = recordNodes(buf, ref.offset - chunkStart);
    if (typeof r === 'string') return undefined;
    return renderNodesXml(r.c, r.nodes, null, 0, '').trimEnd();
  } catch (e) {
    if (e instanceof ByteDecodeError) return undefined;
    throw e;
  }
}
