// The EVTX file header: the first 4 KiB of the file, of which 128 bytes are used. It is advisory:
// Windows updates it lazily, so a "dirty" header often under-counts chunks. The reader trusts the
// file size for how many chunks exist and uses the header only to report disagreements.

import { crc32 } from '../bytes/crc32';
import { u16, u32, u64 } from '../bytes/byte-reader';

export const FILE_HEADER_BLOCK = 4096;
export const FILE_SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

export const FILE_FLAG_DIRTY = 0x1;
export const FILE_FLAG_FULL = 0x2;
export const FILE_FLAG_NO_CRC32 = 0x4;

export interface FileHeader {
  signatureOk: boolean;
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  headerSize: number;
  minorVersion: number;
  majorVersion: number;
  blockSize: number;
  chunkCount: number;
  flags: number;
  checksum: number;
  computedChecksum: number;
}

/** Parses the 128 used bytes. Throws ByteDecodeError (TRUNCATED) when fewer are given. */
export function parseFileHeader(buf: Uint8Array): FileHeader {
  let signatureOk = buf.length >= 8;
  for (let i = 0; i < 8 && signatureOk; i++) if (buf[i] !== FILE_SIGNATURE[i]) signatureOk = false;
  return {
    signatureOk,
    firstChunk: u64(buf, 8, 'file_first_chunk_number'),
    lastChunk: u64(buf, 16, 'file_last_chunk_number'),
    nextRecordId: u64(buf, 24, 'file_next_record_identifier'),
    headerSize: u32(buf, 32, 'file_header_size'),
    minorVersion: u16(buf, 36, 'file_minor_version'),
    majorVersion: u16(buf, 38, 'file_major_version'),
    blockSize: u16(buf, 40, 'file_header_block_size'),
    chunkCount: u16(buf, 42, 'file_number_of_chunks'),
    flags: u32(buf, 120, 'file_flags'),
    checksum: u32(buf, 124, 'file_header_checksum'),
    computedChecksum: crc32(buf, 0, 120),
  };
}
