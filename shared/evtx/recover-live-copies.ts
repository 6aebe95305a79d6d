// Drops carved records that are copies of a live (allocated) record of the same file, so a
// recovered copy never shows an event twice. libevtx reports such copies among its recovered
// records; we do not, because an analyst would count the event twice (two findings, two
// sightings) with nothing gained: the live record holds the same bytes. A copy is the same event
// when it has the same record header id and decodes to the same System header and data (the
// time created included). A carved record with the id of a live one but other content (a log
// cleared and refilled, a record rewritten) is not a copy and is kept: that difference is evidence.
//
// Live records are looked up where they can be: the records of the carved record's own chunk,
// then any chunk whose header's record id range holds its id (the index of chunk headers is read
// once, 40 bytes a chunk, only when a carved record needs it, and searched by first id; the chunk
// is re-read and decoded, the last few kept, within a budget of decodes). Memory stays bounded: no
// set of every live id is kept. Chunks read for a look-up are read quietly: their problems are
// reported when the reader reaches them itself.

import type { RawEvent } from '../model/raw-event';
import type { ByteSource } from '../bytes/byte-source';
import { u64 } from '../bytes/byte-reader';
import { CHUNK_SIZE, hasChunkSignature } from './chunk-header';
import { FILE_HEADER_BLOCK } from './file-header';

/** Decodes the allocated records of chunk `index` (problems not reported). */
export type DecodeLiveChunk = (index: number, buf: Uint8Array) => RawEvent[];

/** The id in the record header (what the chunk header's id range counts). */
export function headerIdOf(e: RawEvent): number | undefined {
  return e.ref.headerRecordId ?? e.ref.recordId;
}

function sameEvent(a: RawEvent, b: RawEvent): boolean {
  return headerIdOf(a) === headerIdOf(b) && JSON.stringify(a.system) === JSON.stringify(b.system) && JSON.stringify(a.data) === JSON.stringify(b.data);
}

function byHeaderId(events: readonly RawEvent[]): Map<number, RawEvent[]> {
  const m = new Map<number, RawEvent[]>();
  for (const e of events) {
    const id = headerIdOf(e);
    if (id === undefined) continue;
    const l = m.get(id);
    if (l) l.push(e);
    else m.set(id, [e]);
  }
  return m;
}

const KEPT_CHUNKS = 4;
/** Chunk ranges holding an id looked at per carved record: ranges overlap only across log clears. */
const MAX_OVERLAPS = 64;

interface ChunkRange {
  chunk: number;
  first: number;
  last: number;
}

export class LiveCopyFilter {
  /** The id ranges of the chunks with a signature, by first id (built on first need). */
  private ranges: ChunkRange[] | undefined;
  private readonly decoded = new Map<number, Map<number, RawEvent[]>>();
  private decodes = 0;

  /**
   * `maxDecodes` bounds the chunks decoded for look-ups over the reader's life, so a hostile file
   * (every chunk claiming every id, slack full of tiny records) costs at most that many extra chunk
   * decodes; past it a carved record is kept unchecked (a copy then shows twice, nothing is lost).
   */
  constructor(
    private readonly src: ByteSource,
    private readonly chunks: number,
    private readonly decodeLive: DecodeLiveChunk,
    private readonly maxDecodes: number,
  ) {}

  /** The carved records of chunk `chunk` that are not copies of a live record; `live` are that chunk's allocated records. */
  async filter(carved: readonly RawEvent[], chunk: number, live: readonly RawEvent[]): Promise<{ kept: RawEvent[]; dropped: number }> {
    if (carved.length === 0) return { kept: [], dropped: 0 };
    const own = byHeaderId(live);
    const kept: RawEvent[] = [];
    for (const e of carved) {
      const id = headerIdOf(e);
      if (id !== undefined && (own.get(id)?.some((l) => sameEvent(e, l)) || (await this.copyElsewhere(e, id, chunk)))) continue;
      kept.push(e);
    }
    return { kept, dropped: carved.length - kept.length };
  }

  private async copyElsewhere(e: RawEvent, id: number, chunk: number): Promise<boolean> {
    const ranges = await this.chunkRanges();
    // the last range starting at or before id, then back over the few that may overlap it
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid].first <= id) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && k >= lo - MAX_OVERLAPS; k--) {
      const r = ranges[k];
      if (r.chunk === chunk || id > r.last) continue;
      const live = await this.liveOf(r.chunk);
      if (!live) return false;
      if (live.get(id)?.some((l) => sameEvent(e, l))) return true;
    }
    return false;
  }

  private async chunkRanges(): Promise<ChunkRange[]> {
    if (this.ranges) return this.ranges;
    const ranges: ChunkRange[] = [];
    for (let i = 0; i < this.chunks; i++) {
      const h = await this.src.read(FILE_HEADER_BLOCK + i * CHUNK_SIZE, 40);
      if (h.length < 40 || !hasChunkSignature(h)) continue;
      ranges.push({ chunk: i, first: u64(h, 24, 'chunk_first_record_id'), last: u64(h, 32, 'chunk_last_record_id') });
    }
    ranges.sort((a, b) => a.first - b.first || a.chunk - b.chunk);
    this.ranges = ranges;
    return ranges;
  }

  /** The live records of chunk `i` by header id; undefined once the decode budget is spent. */
  private async liveOf(i: number): Promise<Map<number, RawEvent[]> | undefined> {
    const hit = this.decoded.get(i);
    if (hit) return hit;
    if (this.decodes >= this.maxDecodes) return undefined;
    this.decodes++;
    const m = byHeaderId(this.decodeLive(i, await this.src.read(FILE_HEADER_BLOCK + i * CHUNK_SIZE, CHUNK_SIZE)));
    if (this.decoded.size >= KEPT_CHUNKS) this.decoded.delete(this.decoded.keys().next().value as number);
    this.decoded.set(i, m);
    return m;
  }
}
