// Forward-only byte streams. Everything that is not random access (a gzip stream, a tar member, an
// inflated zip member) is an AsyncIterable<Uint8Array>; readers pull from it and never hold more
// than the chunk they work on plus what they must keep (one event, one archive header).

import type { ByteSource } from './byte-source';

export type ByteChunks = AsyncIterable<Uint8Array>;

/** Chunk size used when reading a ByteSource sequentially. */
export const SOURCE_CHUNK = 1 << 20;

/** Sequential chunks of src[start, end); `onRead` gets the absolute end of each chunk read. */
export async function* sourceChunks(
  src: ByteSource,
  start = 0,
  end = src.size,
  chunkSize = SOURCE_CHUNK,
  onRead?: (absEnd: number) => void,
): AsyncGenerator<Uint8Array> {
  let off = start;
  while (off < end) {
    const want = Math.min(chunkSize, end - off);
    const b = await src.read(off, want);
    if (b.length === 0) return; // the source is shorter than it said: stop, the consumer sees the truncation
    off += b.length;
    onRead?.(off);
    yield b;
  }
}

export function concatBytes(parts: readonly Uint8Array[], total?: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const n = total ?? parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p.subarray(0, Math.min(p.length, n - o)), o);
    o += p.length;
    if (o >= n) break;
  }
  return out;
}

/**
 * A pull reader over chunks with look-ahead: `peek` for format sniffing, `read` / `skip` for
 * fixed-size headers (tar), `take` for a sub-stream of known length (a tar member).
 */
export class PeekableStream {
  private readonly it: AsyncIterator<Uint8Array>;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private ended = false;
  /** Bytes handed out so far (position in the stream). */
  position = 0;

  constructor(chunks: ByteChunks) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.pendingBytes < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      if (r.value.length === 0) continue;
      this.pending.push(r.value);
      this.pendingBytes += r.value.length;
    }
  }

  /** Up to n bytes from the current position without consuming them (shorter only at the end). */
  async peek(n: number): Promise<Uint8Array> {
    await this.fill(n);
    const parts: Uint8Array[] = [];
    let got = 0;
    for (const p of this.pending) {
      if (got >= n) break;
      const piece = p.subarray(0, Math.min(p.length, n - got));
      parts.push(piece);
      got += piece.length;
    }
    return parts.length === 0 ? new Uint8Array(0) : concatBytes(parts, got);
  }

  /** The next piece of at most `max` bytes, or null at the end. */
  async next(max: number): Promise<Uint8Array | null> {
    if (this.pendingBytes === 0) await this.fill(1);
    if (this.pendingBytes === 0) return null;
    const head = this.pending[0];
    let out: Uint8Array;
    if (head.length <= max) {
      out = head;
      this.pending.shift();
    } else {
      out = head.subarray(0, max);
      this.pending[0] = head.subarray(max);
    }
    this.pendingBytes -= out.length;
    this.position += out.length;
    return out;
  }

  /** Exactly n bytes, fewer only at the end of the stream. */
  async read(n: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < n) {
      const c = await this.next(n - got);
      if (!c) break;
      parts.push(c);
      got += c.length;
    }
    return parts.length === 0 ? new Uint8Array(0) : concatBytes(parts, got);
  }

  /** Skips n bytes; returns how many were actually skipped. */
  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n) {
      const c = await this.next(Math.min(n - done, SOURCE_CHUNK));
      if (!c) break;
      done += c.length;
    }
    return done;
  }

  /** A sub-stream of the next n bytes. Whatever its consumer leaves unread stays in this stream. */
  async *take(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      const c = await this.next(Math.min(left, SOURCE_CHUNK));
      if (!c) return;
      left -= c.length;
      yield c;
    }
  }

  /** Everything that is left. */
  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const c = await this.next(SOURCE_CHUNK);
      if (!c) return;
      yield c;
    }
  }
}
