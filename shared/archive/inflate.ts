// Streaming DEFLATE and GZIP expansion with fflate. Input is pushed in small pieces so one push can
// never expand to more than PIECE × 1032 bytes (the DEFLATE maximum ratio) before the meter sees it:
// a bomb is stopped after a few MB, not after it filled memory. Corrupt data becomes ArchiveStop
// ('BAD_ARCHIVE'), a passed limit ArchiveStop('ARCHIVE_LIMIT'), a gzip that ends inside a header or
// inside its compressed data ArchiveStop('TRUNCATED', with the offset); each is handed to `onStop`
// and the stream simply ends there, so the reader downstream keeps (and yields) what it already read.

import { Gunzip, Inflate } from 'fflate';
import type { ByteChunks } from '../bytes/byte-stream';
import { crc32 } from '../bytes/crc32';
import { ArchiveStop, type ExpansionMeter, type StopPlace } from './limits';

const PIECE = 16 * 1024;

interface Pushable {
  push(chunk: Uint8Array, final?: boolean): void;
}

export type OnStop = (e: ArchiveStop) => void;

/** How a format reads fflate's "unexpected EOF": a gzip file can simply be cut off (TRUNCATED); a zip member's range is whole, so its data is damaged. */
type EofMeaning = 'truncated' | 'damaged';

async function* expand(input: ByteChunks, make: (out: (d: Uint8Array) => void) => Pushable, meter: ExpansionMeter, what: string, onStop: OnStop, eof: EofMeaning): AsyncGenerator<Uint8Array> {
  try {
    yield* expandOrThrow(input, make, meter, what, eof);
  } catch (e) {
    if (e instanceof ArchiveStop) onStop(e);
    else throw e;
  }
}

/** fflate's error code for input that ends before the DEFLATE stream does. */
const FFLATE_UNEXPECTED_EOF = 0;

function fflateCode(e: unknown): number | undefined {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

async function* expandOrThrow(input: ByteChunks, make: (out: (d: Uint8Array) => void) => Pushable, meter: ExpansionMeter, what: string, eof: EofMeaning): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const stream = make((d) => out.push(d));
  const push = (piece: Uint8Array, final: boolean) => {
    try {
      stream.push(piece, final);
    } catch (e) {
      if (e instanceof ArchiveStop) throw e;
      if (eof === 'truncated' && fflateCode(e) === FFLATE_UNEXPECTED_EOF) {
        throw new ArchiveStop('TRUNCATED', `${what}: the file ends inside compressed data (truncated; what was read is kept)`, false, { offset: meter.compressed, nothingRead: meter.expanded === 0 });
      }
      throw new ArchiveStop('BAD_ARCHIVE', `${what}: corrupt compressed data (${e instanceof Error ? e.message : String(e)})`);
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
  return expand(input, (out) => new Inflate((d) => out(d)), meter, what, onStop, 'damaged');
}

/** Input bytes kept for finding a member's trailer: the pushes are PIECE bytes, plus what fflate still buffers. */
const TAIL_KEEP = 4 * PIECE;

/**
 * fflate's Gunzip does not check the members' CRC-32 / ISIZE trailers; this does, per member: the
 * output of a member is all delivered before Gunzip announces the next member (onmember, with the
 * input offset where it starts), so the 8 bytes before that offset are the finished member's trailer.
 * A mismatch is reported (BAD_CHECKSUM) and reading goes on: the bytes were already handed on.
 * fflate also takes a header the input ends inside as an empty member; that is found here and
 * reported as TRUNCATED at the header's offset instead of as a CRC mismatch of the bytes before it.
 */
class CheckedGunzip implements Pushable {
  private readonly gz: Gunzip;
  private crc = 0;
  private size = 0;
  private member = 0;
  /** Input offset where the current member's header starts. */
  private memberStart = 0;
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
    if (final) this.endInput(this.inputBytes);
  }

  /**
   * The input is over. fflate announces a member only once its whole header is in, so a header cut
   * off at the end is either the first member's (the current member starts there) or sits right
   * after the current member's trailer, which then matches what this member expanded to.
   */
  private endInput(end: number): void {
    if (this.member === 0) {
      const h = this.headerEnd(this.memberStart, end);
      if (h !== undefined && h > end) {
        this.report('TRUNCATED', `${this.what}: the file ends at byte ${end}, inside the gzip header (truncated: nothing to read)`, { offset: this.memberStart, nothingRead: true });
        return;
      }
      // the smallest DEFLATE stream is 2 bytes and the trailer 8: fflate takes less as an empty member
      if (h !== undefined && this.size === 0 && end < h + 10) {
        this.report('TRUNCATED', `${this.what}: the file ends at byte ${end}, right after the gzip header (truncated: nothing to read)`, { offset: this.memberStart, nothingRead: true });
        return;
      }
    }
    if (this.trailerMatches(end)) {
      this.endMember(end);
      return;
    }
    // a header-shaped end right after a trailer that matches: both can hardly be chance (64 bits)
    const low = Math.max(this.memberStart + 18, end - TAIL_KEEP);
    for (let q = end - 1; q >= low; q--) {
      if (this.byteAt(q) !== 0x1f || !((this.headerEnd(q, end) ?? 0) > end) || !this.trailerMatches(q)) continue;
      this.endMember(q);
      this.report('TRUNCATED', `${this.what} member ${this.member + 1}: the file ends inside its gzip header (truncated)`, { offset: q });
      return;
    }
    this.endMember(end);
  }

  private report(code: 'TRUNCATED', message: string, place: StopPlace): void {
    this.onStop(new ArchiveStop(code, message, false, place));
  }

  /**
   * Where the gzip header starting at `at` ends; past `end` (end + 1 when its length is not known
   * yet) when the input stops inside it; undefined when the bytes there do not start one.
   */
  private headerEnd(at: number, end: number): number | undefined {
    const magic = [0x1f, 0x8b, 8];
    for (let i = 0; i < 3 && at + i < end; i++) if (this.byteAt(at + i) !== magic[i]) return undefined;
    if (at + 10 > end) return end + 1;
    const flags = this.byteAt(at + 3) ?? 0;
    let p = at + 10;
    if (flags & 4) {
      if (p + 2 > end) return end + 1;
      p += 2 + ((this.byteAt(p) ?? 0) | ((this.byteAt(p + 1) ?? 0) << 8));
    }
    for (const bit of [8, 16]) {
      if (!(flags & bit)) continue;
      while (p < end && this.byteAt(p) !== 0) p++;
      if (p >= end) return end + 1;
      p++; // the zero
    }
    if (flags & 2) p += 2;
    return p;
  }

  private trailerMatches(end: number): boolean {
    const t = this.trailerAt(end);
    return t !== undefined && t.crc === this.crc >>> 0 && t.isize === this.size % 0x100000000;
  }

  private trailerAt(end: number): { crc: number; isize: number } | undefined {
    const b: number[] = [];
    for (let i = end - 8; i < end; i++) {
      const x = this.byteAt(i);
      if (x === undefined) return undefined;
      b.push(x);
    }
    return { crc: (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0, isize: (b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24)) >>> 0 };
  }

  private byteAt(abs: number): number | undefined {
    for (const t of this.tail) if (abs >= t.at && abs < t.at + t.bytes.length) return t.bytes[abs - t.at];
    return undefined;
  }

  private endMember(end: number): void {
    const t = this.trailerAt(end);
    this.memberStart = end;
    if (t === undefined) return; // not kept (cannot happen with PIECE-sized pushes): nothing to check against
    const { crc, isize } = t;
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
  return expand(input, (out) => new CheckedGunzip(out, what, onStop), meter, what, onStop, 'truncated');
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
