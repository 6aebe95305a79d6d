// Text evidence arrives as UTF-8 (with or without a BOM) or UTF-16 (Windows PowerShell 5 writes
// UTF-16LE with a BOM; some tools write it without one). The encoding is decided once from the
// first bytes; decoding is streaming so a character split across chunks is never broken.
// Invalid bytes become U+FFFD rather than an error: damaged text still yields its good events.

import type { ByteChunks } from '../bytes/byte-stream';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Length of the byte order mark, 0 when there is none. */
  bomLength: number;
}

/** BOM first; without one, UTF-16 is recognised by its NUL bytes (ASCII text has a NUL in every other byte). */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const n = Math.min(head.length, 1024) & ~1;
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++;
      if (head[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero >= pairs * 0.4 && evenZero <= pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZero >= pairs * 0.4 && oddZero <= pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Decodes the first bytes only (for sniffing); a character cut at the end is dropped. */
export function decodeHead(head: Uint8Array, enc: DetectedEncoding): string {
  const body = head.subarray(enc.bomLength, enc.encoding === 'utf-8' ? head.length : enc.bomLength + ((head.length - enc.bomLength) & ~1));
  // ignoreBOM: true because the BOM was already cut off; a second one would be content.
  const s = new TextDecoder(enc.encoding, { ignoreBOM: true }).decode(body, { stream: true });
  return s;
}

/**
 * Bytes decoded per string. Node makes a decoded string of about 1 MB or more an external string,
 * which only a full collection frees (V8 runs one per 64 MB of such memory): decoding 1 MiB chunks
 * left up to ~110 MB of dead text in the process while a huge value was skipped. Smaller strings
 * live in the young generation and die in the next scavenge.
 */
export const DECODE_SLICE = 256 * 1024;

/** Streams decoded text from byte chunks (the BOM, if any, is removed). */
export async function* decodeChunks(chunks: ByteChunks, encoding: TextEncodingName): AsyncGenerator<string> {
  const dec = new TextDecoder(encoding);
  for await (const c of chunks) {
    for (let o = 0; o < c.length; o += DECODE_SLICE) {
      const s = dec.decode(o === 0 && c.length <= DECODE_SLICE ? c : c.subarray(o, o + DECODE_SLICE), { stream: true });
      if (s.length) yield s;
    }
  }
  const tail = dec.decode();
  if (tail.length) yield tail;
}
