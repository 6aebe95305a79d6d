// Native EVTX reader: the public entry points. Implementation in progress (issue 2, part 2).

import type { ByteSource, ReaderContext, ReadSummary } from '../readers/types';
import type { RawEvent } from '../model/raw-event';

/** True when the first 8 bytes are the EVTX file signature "ElfFile\0". */
export function looksLikeEvtx(head: Uint8Array): boolean {
  const sig = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00];
  if (head.length < 8) return false;
  for (let i = 0; i < 8; i++) if (head[i] !== sig[i]) return false;
  return true;
}

export interface EvtxReadOptions {
  /** Only these chunk indexes [start, end) (for spreading one file over workers). */
  chunkRange?: readonly [number, number];
  /** When given, only these EventData names are decoded into RawEvent.data (fast path for scanning); System fields always. */
  wantedFields?: ReadonlySet<string>;
}

/** Streams a file chunk by chunk: one batch of RawEvents per chunk; never loads the file whole. Returns the summary. */
// eslint-disable-next-line require-yield
export async function* readEvtx(src: ByteSource, ctx: ReaderContext, opts?: EvtxReadOptions): AsyncGenerator<RawEvent[], ReadSummary> {
  void src; void ctx; void opts;
  throw new Error('not implemented');
}

/** How many chunks the file holds (from the header and from the file size, whichever finds more; dirty headers happen). */
export async function countEvtxChunks(src: ByteSource, ctx: ReaderContext): Promise<number> {
  void src; void ctx;
  throw new Error('not implemented');
}

/** The XML of one record (for the raw-event view): `<Event xmlns=...>...</Event>`, or undefined if not decodable. */
export async function renderEvtxRecordXml(src: ByteSource, ref: { chunk: number; offset: number }): Promise<string | undefined> {
  void src; void ref;
  throw new Error('not implemented');
}
