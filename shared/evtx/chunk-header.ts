// A 64 KiB chunk starts with a 512-byte header: record id range, the offset of the free space
// (where records end), CRCs, and two hash tables (common strings, templates) that the reader does
// not need: names and templates are read lazily at the offsets that records give.

import { crc32 } from '../bytes/crc32';
import { u32, u64 } from '../bytes/byte-reader';

export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;
export const CHUNK_SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  headerSize: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsChecksum: number;
  headerChecksum: number;
  computedHeaderChecksum: number;
}

export function hasChunkSignature(buf: Uint8Array): boolean {
  if (buf.length < 8) return false;
  for (let i = 0; i < 8; i++) if (buf[i] !== CHUNK_SIGNATURE[i]) return false;
  return true;
}

/** True when the whole chunk is zero: space Windows allocated but never wrote (not damage). */
export function isUnusedChunk(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

export function parseChunkHeader(buf: Uint8Array): ChunkHeader {
  return {
    firstRecordNumber: u64(buf, 8, 'chunk_first_record_number'),
    lastRecordNumber: u64(buf, 16, 'chunk_last_record_number'),
    firstRecordId: u64(buf, 24, 'chunk_first_record_id'),
    lastRecordId: u64(buf, 32, 'chunk_last_record_id'),
    headerSize: u32(buf, 40, 'chunk_header_size'),
    lastRecordOffset: u32(buf, 44, 'chunk_last_record_offset'),
    freeSpaceOffset: u32(buf, 48, 'chunk_free_space_offset'),
    recordsChecksum: u32(buf, 52, 'chunk_event_records_checksum'),
    headerChecksum: u32(buf, 124, 'chunk_header_checksum'),
    // the header CRC covers bytes 0-120 and 128-512 (it skips the flags and itself)
    computedHeaderChecksum: crc32(buf, 128, CHUNK_HEADER_SIZE, crc32(buf, 0, 120)),
  };
}

/** CRC of the event records area [512, freeSpaceOffset). */
export function computeRecordsChecksum(buf: Uint8Array, freeSpaceOffset: number): number {
  return crc32(buf, CHUNK_HEADER_SIZE, freeSpaceOffset);
}
