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

/** GZIP, single or multi-member. */
export function gunzipChunks(input: ByteChunks, meter: ExpansionMeter, what: string, onStop: OnStop): AsyncGenerator<Uint8Array> {
  return expand(input, (out) => new Gunzip((d) => out(d)), meter, what, onStop);
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
