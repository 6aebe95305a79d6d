// The regf base block: the first 4 KiB of a primary file (the first 512 bytes of a transaction
// log hold a partial copy). Nothing here throws for bad values: the fields are returned as read,
// with the checks a reader needs (signature, XOR checksum, sequence numbers, versions) as flags,
// and the caller decides what to report. Only a buffer shorter than the 512 checksummed bytes
// fails, with TRUNCATED.

import { u32 } from '../bytes/byte-reader';
import { filetimeIso } from '../bytes/filetime';

export const BASE_BLOCK_SIZE = 4096;
/** "regf" */
export const REGF_SIGNATURE = 0x66676572;

export interface BaseBlock {
  signatureOk: boolean;
  primarySequence: number;
  secondarySequence: number;
  /** FILETIME halves of the last written timestamp (not updated as of Windows 8.1). */
  lastWrittenLo: number;
  lastWrittenHi: number;
  lastWritten: string;
  majorVersion: number;
  minorVersion: number;
  /** 0 primary file, 1 old-format log (2 before XP), 6 new-format log. */
  fileType: number;
  fileFormat: number;
  /** Hive-bins-relative offset of the root key node. */
  rootCellOffset: number;
  hiveBinsDataSize: number;
  clusteringFactor: number;
  /** UTF-16LE debugging name, up to its first NUL. */
  fileName: string;
  /** Windows 10 base block flags (bit 0: KTM locked; bit 1: defragmented / layered keys). */
  flags: number;
  checksum: number;
  computedChecksum: number;
  checksumOk: boolean;
  /** The sequence numbers differ: Windows would recover the hive from its logs. */
  sequenceDirty: boolean;
  /** Major 1, minor 1-6 (the spec covers 1.3-1.6; 1.1 and 1.2 come from NT 3.x). */
  versionOk: boolean;
}

/** XOR-32 of the first 508 bytes, with the two values Windows never writes remapped. */
export function baseBlockChecksum(buf: Uint8Array): number {
  let c = 0;
  for (let off = 0; off < 508; off += 4) c ^= u32(buf, off, 'base_block_checksummed_bytes');
  c >>>= 0;
  if (c === 0xffffffff) return 0xfffffffe;
  if (c === 0) return 1;
  return c;
}

export function parseBaseBlock(buf: Uint8Array): BaseBlock {
  const checksum = u32(buf, 508, 'base_block_checksum');
  const computedChecksum = baseBlockChecksum(buf);
  const lastWrittenLo = u32(buf, 12, 'base_block_last_written_lo');
  const lastWrittenHi = u32(buf, 16, 'base_block_last_written_hi');
  const primarySequence = u32(buf, 4, 'base_block_primary_sequence');
  const secondarySequence = u32(buf, 8, 'base_block_secondary_sequence');
  const majorVersion = u32(buf, 20, 'base_block_major_version');
  const minorVersion = u32(buf, 24, 'base_block_minor_version');
  let fileName = '';
  for (let off = 48; off < 112; off += 2) {
    const c = buf[off] | (buf[off + 1] << 8);
    if (c === 0) break;
    fileName += String.fromCharCode(c);
  }
  return {
    signatureOk: u32(buf, 0, 'base_block_signature') === REGF_SIGNATURE,
    primarySequence,
    secondarySequence,
    lastWrittenLo,
    lastWrittenHi,
    lastWritten: filetimeIso(lastWrittenLo, lastWrittenHi),
    majorVersion,
    minorVersion,
    fileType: u32(buf, 28, 'base_block_file_type'),
    fileFormat: u32(buf, 32, 'base_block_file_format'),
    rootCellOffset: u32(buf, 36, 'base_block_root_cell_offset'),
    hiveBinsDataSize: u32(buf, 40, 'base_block_hive_bins_data_size'),
    clusteringFactor: u32(buf, 44, 'base_block_clustering_factor'),
    fileName,
    flags: u32(buf, 144, 'base_block_flags'),
    checksum,
    computedChecksum,
    checksumOk: checksum === computedChecksum,
    sequenceDirty: primarySequence !== secondarySequence,
    versionOk: majorVersion === 1 && minorVersion >= 1 && minorVersion <= 6,
  };
}

/** Whether the bytes start with the regf signature: how a hive is recognised by content. */
export function looksLikeHive(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x72 && head[1] === 0x65 && head[2] === 0x67 && head[3] === 0x66;
}
