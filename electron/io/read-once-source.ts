// A read-only evidence file as a ByteSource that reads each byte from disk once, hashes (SHA-256)
// the very bytes the readers parse, and reads ahead so decoding never waits on the disk.
//
// Invariants:
// - The disk is read in aligned blocks (256 KiB by default); a reader's read(offset, length) is served
//   from them (a subarray when it falls in one block, a copy when it spans blocks). Blocks are never
//   reused buffers, so what a reader holds stays valid after the block leaves the cache. A read
//   away from where the reader streams (the EVTX live-copy check reading every chunk's header, a
//   zip's directory at the end) reads just its bytes and leaves the stream where it is: a block per
//   40-byte header would read the whole file again.
// - Every block is hashed when it arrives from the disk, not when a reader uses it: SHA-256 is
//   sequential, so a block past the hashed prefix (an archive's central directory read first, a
//   reader that skipped ahead, read-ahead landing out of order) is held, up to a bound, until the
//   prefix reaches it. sha256() hashes what is still missing with extra reads of only those gaps
//   (held blocks dropped for the bound included), so the digest is always of the whole file and, for
//   a reader that reads sequentially, every byte is read from disk exactly once.
// - After each read the next blocks are requested (read-ahead, 4 blocks by default) while the caller
//   decodes the bytes it got; the file's size is taken at open.
// - Damage: a file that is shorter than at open (truncated while read) yields short reads as
//   openFileSource does, and sha256() gives undefined rather than the digest of other bytes; an I/O
//   error rejects the read that needed the block (and sha256()).
// - diskBytes / diskReads count what came from the disk (for the tests and the bench).

import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { FileSource } from './file-source';

// 256 KiB (4 EVTX chunks) x 4 ahead: on a 100 MB Sysmon log, 1 MiB blocks scanned 25-60 % slower
// (best of 4, 2-core machine), 128-512 KiB alike
export const READ_BLOCK = 256 * 1024;

export interface ReadOnceOptions {
  /** Disk read size and alignment (bytes). */
  blockSize?: number;
  /** Blocks requested ahead of the last one a reader streamed through (0: none). */
  readAhead?: number;
  /** Blocks kept for readers that come back (beside the read-ahead). */
  cacheBlocks?: number;
  /** Bytes of out-of-order blocks held for the hash before they are dropped (and read again by sha256()). */
  maxHeldBytes?: number;
  /** Compute SHA-256 (default true). */
  hash?: boolean;
}

export interface ReadOnceSource extends FileSource {
  /** Bytes read from the disk so far (reads for the hash's gaps included). */
  readonly diskBytes: number;
  /** Number of disk reads so far. */
  readonly diskReads: number;
  /** SHA-256 (hex) of the whole file, reading only the parts no reader asked for; undefined when hashing is off or the file changed size. */
  sha256(): Promise<string | undefined>;
}

export async function openReadOnceSource(path: string, opts: ReadOnceOptions = {}): Promise<ReadOnceSource> {
  const fh: FileHandle = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    return new BlockSource(path, fh, size, opts);
  } catch (e) {
    await fh.close();
    throw e;
  }
}

class BlockSource implements ReadOnceSource {
  readonly size: number;
  diskBytes = 0;
  diskReads = 0;
  private readonly blockSize: number;
  private readonly readAhead: number;
  private readonly cacheBlocks: number;
  private readonly maxHeldBytes: number;
  private readonly blockCount: number;
  // insertion order is recency: a hit is re-inserted, the first key is evicted
  private readonly cache = new Map<number, Promise<Uint8Array>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly hash: Hash | undefined;
  private hashNext = 0; // blocks [0, hashNext) are in the digest
  private hashedBytes = 0;
  private readonly held = new Map<number, Uint8Array>();
  private heldBytes = 0;
  private short = false; // a block came back shorter than the size at open said
  private closed = false;
  private cursor = -1; // the last block a reader read through the blocks
  private jumpEnd = -1; // where the last read away from the stream ended
  private digest: Promise<string | undefined> | undefined;

  constructor(readonly path: string, private readonly fh: FileHandle, size: number, opts: ReadOnceOptions) {
    this.size = size;
    this.blockSize = opts.blockSize ?? READ_BLOCK;
    this.readAhead = opts.readAhead ?? 4;
    this.cacheBlocks = Math.max(1, opts.cacheBlocks ?? 4);
    this.maxHeldBytes = opts.maxHeldBytes ?? 32 * 1024 * 1024;
    this.blockCount = Math.ceil(size / this.blockSize);
    this.hash = opts.hash === false ? undefined : createHash('sha256');
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, offset);
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    const first = Math.floor(start / this.blockSize);
    const last = Math.floor((end - 1) / this.blockSize);
    if (first === last && !this.cache.has(first)) {
      const small = end - start <= this.blockSize / 256;
      const streaming = this.cursor < 0 ? first === 0 : !small && (this.nearStream(first) || start === this.jumpEnd);
      if (!streaming) {
        // a read away from where the reader streams (the EVTX live-copy check reading every chunk's
        // header or a chunk far back, an archive's directory at the end): only the bytes asked for,
        // not a block, and the stream stays where it is; the hash reads them again only if no
        // stream passes there. A reader that goes on from there starts a stream there.
        this.jumpEnd = end;
        return this.readDisk(start, end - start);
      }
    }
    // small reads served from the cache do not move the stream (a header scan would drag it along)
    if (first !== last || end - start > this.blockSize / 256 || this.cursor < 0) this.cursor = last;
    const wanted: Promise<Uint8Array>[] = [];
    for (let k = first; k <= last; k++) wanted.push(this.block(k));
    // ask for what comes next before waiting: the disk works while the caller decodes
    if (this.cursor === last) for (let k = last + 1; k <= last + this.readAhead && k < this.blockCount; k++) this.block(k).catch(() => undefined /* the read that needs it reports the error */);
    if (first === last) {
      const b = await wanted[0];
      const base = first * this.blockSize;
      return b.subarray(start - base, Math.min(b.length, end - base));
    }
    const out = new Uint8Array(end - start);
    let filled = 0;
    for (let k = first; k <= last; k++) {
      const b = await wanted[k - first];
      const base = k * this.blockSize;
      const from = Math.max(start, base) - base;
      const to = Math.min(end - base, b.length);
      if (to <= from) break; // the file shrank under us: short, as at the end of a source
      out.set(b.subarray(from, to), filled);
      filled += to - from;
      if (b.length < this.blockSize) break;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  /** Whether block k is where the reader streams: the first block, or next to the last it read by blocks. */
  private nearStream(k: number): boolean {
    if (this.cursor < 0) return k === 0;
    return k >= this.cursor - this.cacheBlocks && k <= this.cursor + this.readAhead + 1;
  }

  private block(k: number): Promise<Uint8Array> {
    const hit = this.cache.get(k);
    if (hit) {
      this.cache.delete(k);
      this.cache.set(k, hit);
      return hit;
    }
    const p = this.load(k);
    this.cache.set(k, p);
    // the cache holds the blocks in use, the read-ahead and a few behind
    while (this.cache.size > this.cacheBlocks + this.readAhead + 1) {
      const oldest = this.cache.keys().next().value as number;
      this.cache.delete(oldest);
    }
    return p;
  }

  private async readDisk(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buf, done, length - done, offset + done);
      this.diskReads++;
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    this.diskBytes += done;
    return done === length ? buf : buf.subarray(0, done);
  }

  private load(k: number): Promise<Uint8Array> {
    const offset = k * this.blockSize;
    const want = Math.min(this.blockSize, this.size - offset);
    const p = this.readDisk(offset, want).then((bytes) => {
      if (bytes.length < want) this.short = true;
      this.consume(k, bytes);
      return bytes;
    });
    this.inFlight.add(p);
    const forget = () => this.inFlight.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Feeds a block that arrived from the disk to the hash, or holds it until the prefix reaches it. */
  private consume(k: number, bytes: Uint8Array): void {
    if (!this.hash || k < this.hashNext) return; // hashed already: a block read again after eviction
    if (k > this.hashNext) {
      if (!this.held.has(k) && this.heldBytes + bytes.length <= this.maxHeldBytes) {
        this.held.set(k, bytes);
        this.heldBytes += bytes.length;
      }
      return;
    }
    if (this.held.delete(k)) this.heldBytes -= bytes.length;
    this.feed(bytes);
    for (let next = this.held.get(this.hashNext); next; next = this.held.get(this.hashNext)) {
      this.held.delete(this.hashNext);
      this.heldBytes -= next.length;
      this.feed(next);
    }
  }

  private feed(bytes: Uint8Array): void {
    this.hash?.update(bytes);
    this.hashedBytes += bytes.length;
    this.hashNext++;
  }

  sha256(): Promise<string | undefined> {
    this.digest ??= this.finishHash();
    return this.digest;
  }

  private async finishHash(): Promise<string | undefined> {
    if (!this.hash) return undefined;
    // blocks already asked for are hashed when they land; wait for them rather than read them twice
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    while (this.hashNext < this.blockCount && !this.short) {
      const k = this.hashNext;
      const held = this.held.get(k);
      if (held) {
        this.consume(k, held);
        continue;
      }
      // a gap no reader asked for (or a held block dropped for the bound): read it now, once
      const bytes = await this.readDisk(k * this.blockSize, Math.min(this.blockSize, this.size - k * this.blockSize));
      if (bytes.length < Math.min(this.blockSize, this.size - k * this.blockSize)) this.short = true;
      this.consume(k, bytes);
    }
    if (this.short || this.hashedBytes !== this.size) return undefined;
    return this.hash.digest('hex');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // a read-ahead still in flight must not hit a closed handle
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    this.cache.clear();
    this.held.clear();
    await this.fh.close();
  }
}
