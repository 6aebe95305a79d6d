// Streaming DEFLATE and GZIP expansion with fflate. Input is pushed in small pieces so one push can
// never expand to more than PIECE × 1032 bytes (the DEFLATE maximum ratio) before the meter sees it:
// a bomb is stopped after a few MB, not after it filled memory. Corrupt data becomes ArchiveStop
// ('BAD_ARCHIVE'), a passed limit ArchiveStop('ARCHIVE_LIMIT'); either is handed to `onStop` and
// the stream simply ends there, so the reader downstream keeps (and yields) what it already read.

import { Gunzip, Inflate } from 'fflate';
import type { ByteChunks } from '../readers/byte-stream';
import { crc32 } from '../evtx/crc32';
import { ArchiveStop, type ExpansionMeter } from './limits';

const PIECE = 16 * 1024;

interface Pushable {
  push(chunk: Uint8Array, final?: boolean): void;
}

export type OnStop = (e: ArchiveStop) => void;

async function* expand(input: ByteChunks, make: (out: (d: Uint8Array) => void) => Pushable, meter: ExpansionMeter, what: string, onStop: OnStop): AsyncGenerator<Uint8Array> {
  try {
    yield* expandOrThrow(input, make, meter, what);
  } catch (e) {
    if (e instanceof ArchiveStop) onStop(e);
    else throw e;
  }
}

async function* expandOrThrow(input: ByteChunks, make: (out: (d: Uint8Array) => void) => Pushable, meter: ExpansionMeter, what: string): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const stream = make((d) => out.push(d));
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      stream.push(piece, final);
    } catch (e) {
      throw new ArchiveStop('BAD_ARCHIVE', `${what}: corrupt compressed data (${(e as Error).message})`);
    }
  };
  for await (const c of input) {
    for (let o = 0; o < c.length; o += PIECE) {
      const piece = c.subarray(o, Math.min(c.length, o + PIECE));
      meter.consumed(piece.length);
      push(piece, false);
      while (out.length) {
        const d = out.shift() as Uint8Array;
        meter.produced(d.length);
        if (d.length) yield d;
      }
    }
  }
  push(new Uint8Array(0), true);
  while (out.length) {
    const d = out.shift() as Uint8Array;
    meter.produced(d.length);
    if (d.length) yield d;
  }
}

/** Raw DEFLATE (zip method 8). */
export function inflateChunks(input: ByteChunks, meter: ExpansionMeter, what: string, onStop: OnStop): AsyncGenerator<Uint8Array> {
  return expand(input, (out) => new Inflate((d) => out(d)), meter, what, onStop);
}

/** Input bytes kept for finding a member's trailer: the pushes are PIECE bytes, plus what fflate still buffers. */
const TAIL_KEEP = 4 * PIECE;

/**
 * fflate's Gunzip does not check the members' CRC-32 / ISIZE trailers; this does, per member: the
 * output of a member is all delivered before Gunzip announces the next member (onmember, with the
 * input offset where it starts), so the 8 bytes before that offset are the finished member's trailer.
 * A mismatch is reported (BAD_CHECKSUM) and reading goes on: the bytes were already handed on.
 */
class CheckedGunzip implements Pushable {
  private readonly gz: Gunzip;
  private crc = 0;
  private size = 0;
  private member = 0;
  /** Recent input pieces with their absolute offsets. */
  private tail: Array<{ at: number; bytes: Uint8Array }> = [];
  private inputBytes = 0;

  constructor(
    out: (d: Uint8Array) => void,
    private readonly what: string,
    private readonly onStop: OnStop,
  ) {
    this.gz = new Gunzip((d) => {
      this.crc = crc32(d, 0, d.length, this.crc);
      this.size += d.length;
      out(d);
    });
    this.gz.onmember = (offset) => this.endMember(offset);
  }

  push(chunk: Uint8Array, final = false): void {
    if (chunk.length) {
      this.tail.push({ at: this.inputBytes, bytes: chunk });
      this.inputBytes += chunk.length;
      let kept = this.tail.reduce((n, t) => n + t.bytes.length, 0);
      while (this.tail.length > 2 && kept - this.tail[0].bytes.length >= TAIL_KEEP) kept -= (this.tail.shift() as { bytes: Uint8Array }).bytes.length;
    }
    this.gz.push(chunk, final);
    if (final) this.endMember(this.inputBytes);
  }

  private byteAt(abs: number): number | undefined {
    for (const t of this.tail) if (abs >= t.at && abs < t.at + t.bytes.length) return t.bytes[abs - t.at];
    return undefined;
  }

  private endMember(end: number): void {
    const b: number[] = [];
    for (let i = end - 8; i < end; i++) {
      const x = this.byteAt(i);
      if (x === undefined) return; // not kept (cannot happen with PIECE-sized pushes): nothing to check against
      b.push(x);
    }
    const crc = (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
    const isize = (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0;
    const n = this.member++;
    const which = n === 0 && end === this.inputBytes ? this.what : `${this.what} member ${n + 1}`;
    if (crc !== this.crc >>> 0) this.onStop(new ArchiveStop('BAD_CHECKSUM', `${which}: CRC-32 mismatch (data damaged; what was read is kept)`));
    else if (isize !== this.size % 0x100000000) this.onStop(new ArchiveStop('BAD_CHECKSUM', `${which}: expanded to ${this.size} bytes, the trailer says ${isize}`));
    this.crc = 0;
    this.size = 0;
  }
}

/** GZIP, single or multi-member, each member's CRC-32 and size checked against its trailer. */
export function gunzipChunks(input: ByteChunks, meter: ExpansionMeter, what: string, onStop: OnStop): AsyncGenerator<Uint8Array> {
  return expand(input, (out) => new CheckedGunzip(out, what, onStop), meter, what, onStop);
}

/** Passes chunks through and checks their CRC-32 at the end (zip members). */
export async function* checkCrc(input: ByteChunks, expected: number, expectedSize: number, what: string, onStop: OnStop): AsyncGenerator<Uint8Array> {
  let crc = 0;
  let size = 0;
  for await (const c of input) {
    crc = crc32(c, 0, c.length, crc);
    size += c.length;
    yield c;
  }
  if (size !== expectedSize) onStop(new ArchiveStop('BAD_ARCHIVE', `${what}: expanded to ${size} bytes, the directory says ${expectedSize}`));
  else if (crc >>> 0 !== expected >>> 0) onStop(new ArchiveStop('BAD_ARCHIVE', `${what}: CRC-32 mismatch (data damaged)`));
}
