// Element / attribute names. A name is referenced by its chunk offset and stored once per chunk:
// u32 next-in-hash-chain, u16 hash, u16 character count, UTF-16 characters, u16 NUL. When the
// offset equals the position right after the reference, the name is stored inline there and the
// reader must step over it. Names are cached per chunk by offset. When a damaged chunk is
// salvaged, each name is checked against its stored hash (h = h * 65599 + code unit, low 16
// bits), so a reference into bytes that no longer hold the name fails as BAD_STRING.

import { fail, u16, utf16 } from '../../bytes/byte-reader';

export const MAX_NAME_CHARS = 1024;

export class NameTable {
  private readonly cache = new Map<number, string>();
  constructor(
    private readonly chunk: Uint8Array,
    private readonly checkHashes = false,
  ) {}

  /** The name at chunk offset `off`. Throws BAD_STRING when it cannot be read. */
  get(off: number): string {
    const hit = this.cache.get(off);
    if (hit !== undefined) return hit;
    if (off < 512 || off + 8 > this.chunk.length) fail('BAD_STRING', off, `name offset 0x${off.toString(16)} is outside the chunk's data`);
    const n = u16(this.chunk, off + 6, 'name_character_count');
    if (n > MAX_NAME_CHARS || off + 8 + 2 * n > this.chunk.length) fail('BAD_STRING', off, `name at 0x${off.toString(16)} claims ${n} characters`);
    const s = utf16(this.chunk, off + 8, n, 'name_characters');
    if (this.checkHashes && (n === 0 || nameHash(s) !== u16(this.chunk, off + 4, 'name_hash'))) {
      fail('BAD_STRING', off, `name at 0x${off.toString(16)} does not match its hash (missing or overwritten)`);
    }
    this.cache.set(off, s);
    return s;
  }

  /** Byte size of the name structure at off (for stepping over an inline name). */
  sizeAt(off: number): number {
    return 8 + 2 * u16(this.chunk, off + 6, 'name_character_count') + 2;
  }
}

/** The chunk string table's name hash: h = h * 65599 + UTF-16 code unit, low 16 bits. */
export function nameHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 65599) + s.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}
