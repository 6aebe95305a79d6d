// Zip directory reading. The evidence is random access, so the central directory is read from the
// end (End Of Central Directory record, Zip64 when the sizes need it) and each member's data range
// found from its local header; members are then streamed by the caller (stored ranges are read in
// place, deflated ones inflated in pieces). Damage: no EOCD or a broken directory is a BAD_ARCHIVE
// error for the file; a member whose local header or range is wrong is reported on its own.

import type { ByteSource } from '../bytes/byte-source';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export type ZipDirectory =
  | {
      ok: true;
      entries: ZipEntry[];
      declaredEntries: number;
      /** Entries at a local header offset already listed, past the REPEATS_KEPT kept in `entries`: counted only. */
      repeatsNotKept: number;
      /** The expanded bytes those declare. */
      repeatBytesNotKept: number;
      /** More distinct entries than `maxEntries`: the directory was read no further. */
      cutAtLimit: boolean;
    }
  | { ok: false; message: string; offset?: number };

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOC64 = 0x07064b50;
const SIG_CEN = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MAX_DIRECTORY_BYTES = 256 * 1024 * 1024;
const REPEATS_KEPT = 4096;

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
function u64(b: Uint8Array, o: number): number {
  return u32(b, o) + u32(b, o + 4) * 0x100000000;
}

const utf8 = new TextDecoder('utf-8');

/** CP437 names are rare in evidence archives; bytes ≥ 0x80 without the UTF-8 flag are read as Latin-1. */
function decodeName(b: Uint8Array, utf8Flag: boolean): string {
  if (utf8Flag || b.every((x) => x < 0x80)) return utf8.decode(b);
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/**
 * `maxEntries` bounds the distinct local header offsets read (one more is read, so the caller can
 * tell the limit was passed): an entry repeated many times must not push real members past it.
 * Repeats are kept up to REPEATS_KEPT (enough to name each in a warning), then only counted, so
 * memory stays bounded by the limit whatever the directory lists.
 */
export async function readZipDirectory(src: ByteSource, maxEntries: number): Promise<ZipDirectory> {
  const tailLen = Math.min(src.size, 22 + 0xffff + 20);
  const tailStart = src.size - tailLen;
  const tail = await src.read(tailStart, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ok: false, message: 'no end-of-central-directory record (truncated zip?)' };
  let entries = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && u32(tail, loc) === SIG_LOC64) {
      const off64 = u64(tail, loc + 8);
      const rec = await src.read(off64, 56);
      if (rec.length < 56 || u32(rec, 0) !== SIG_EOCD64) return { ok: false, message: 'bad Zip64 end-of-central-directory record', offset: off64 };
      entries = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
    }
  }
  if (cdOffset + cdSize > src.size) return { ok: false, message: 'central directory runs past the end of the file (truncated zip?)', offset: cdOffset };
  if (cdSize > MAX_DIRECTORY_BYTES) return { ok: false, message: `central directory of ${cdSize} bytes is too large`, offset: cdOffset };
  const cd = await src.read(cdOffset, cdSize);
  const out: ZipEntry[] = [];
  const offsets = new Set<number>();
  let repeats = 0;
  let repeatsNotKept = 0;
  let repeatBytesNotKept = 0;
  let listed = 0;
  let p = 0;
  while (p + 46 <= cd.length && listed < entries && offsets.size < maxEntries + 1) {
    if (u32(cd, p) !== SIG_CEN) return { ok: false, message: `bad central directory entry ${out.length}`, offset: cdOffset + p };
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let compressedSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    let localHeaderOffset = u32(cd, p + 42);
    if (p + 46 + nameLen + extraLen > cd.length) return { ok: false, message: `central directory entry ${out.length} is cut short`, offset: cdOffset + p };
    const name = decodeName(cd.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    // Zip64 extended information: the fields that are 0xFFFFFFFF, in this order
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(cd, e);
      const len = u16(cd, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff && q + 8 <= e + 4 + len) {
          size = u64(cd, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
          compressedSize = u64(cd, q);
          q += 8;
        }
        if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = u64(cd, q);
      }
      e += 4 + len;
    }
    listed++;
    if (!offsets.has(localHeaderOffset)) {
      offsets.add(localHeaderOffset);
      out.push({ name, method, flags, crc, compressedSize, size, localHeaderOffset });
    } else if (++repeats <= REPEATS_KEPT) out.push({ name, method, flags, crc, compressedSize, size, localHeaderOffset });
    else {
      repeatsNotKept++;
      repeatBytesNotKept += size;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { ok: true, entries: out, declaredEntries: entries, repeatsNotKept, repeatBytesNotKept, cutAtLimit: offsets.size > maxEntries };
}

/** Where a member's data starts, from its local header; a string explains a bad header. */
export async function zipDataStart(src: ByteSource, entry: ZipEntry): Promise<number | string> {
  const h = await src.read(entry.localHeaderOffset, 30);
  if (h.length < 30 || u32(h, 0) !== SIG_LOCAL) return `bad local header at offset ${entry.localHeaderOffset}`;
  const start = entry.localHeaderOffset + 30 + u16(h, 26) + u16(h, 28);
  if (start + entry.compressedSize > src.size) return `data runs past the end of the file (truncated zip)`;
  return start;
}

/** A ByteSource over a range of another (a stored zip member, read in place). */
export function sliceSource(src: ByteSource, start: number, length: number): ByteSource {
  return {
    size: length,
    read: async (offset, len) => {
      if (offset >= length) return new Uint8Array(0);
      return src.read(start + offset, Math.min(len, length - offset));
    },
  };
}
