// A transaction log's base block: the first 512 bytes of a .LOG / .LOG1 / .LOG2 file, a partial
// copy of the primary's base block with the file type set to 1 or 2 (old "DIRT" format) or 6
// (new HvLE format). A log is usable only when that copy is intact: regf signature, XOR checksum
// right and both sequence numbers equal (Windows writes them at once before logging). Nothing
// throws here: an empty, short or damaged log comes back as `usable: false` with the reason, so
// the replay can refuse it with a warning and read the hive as it is.

import { type BaseBlock, parseBaseBlock } from './base-block';

/** The log's base block is one 512-byte sector (clustering factor 1, the only one Windows 8+ writes). */
export const LOG_BASE_BLOCK_SIZE = 512;

export type LogFormat = 'old' | 'new';

export type LogFile =
  | { usable: true; format: LogFormat; baseBlock: BaseBlock; bytes: Uint8Array }
  | { usable: false; reason: string; empty: boolean };

export function parseLogFile(bytes: Uint8Array): LogFile {
  if (bytes.length === 0) return { usable: false, reason: 'empty file', empty: true };
  if (bytes.length < LOG_BASE_BLOCK_SIZE) return { usable: false, reason: `${bytes.length} bytes, shorter than a log's 512-byte base block`, empty: false };
  const bb = parseBaseBlock(bytes);
  if (!bb.signatureOk) return { usable: false, reason: 'no regf signature', empty: false };
  if (!bb.checksumOk) return { usable: false, reason: `base block checksum is 0x${bb.checksum.toString(16)}, its bytes give 0x${bb.computedChecksum.toString(16)}`, empty: false };
  if (bb.sequenceDirty) return { usable: false, reason: `its own sequence numbers differ (${bb.primarySequence} / ${bb.secondarySequence}): written halfway`, empty: false };
  let format: LogFormat;
  if (bb.fileType === 6) format = 'new';
  else if (bb.fileType === 1 || bb.fileType === 2) format = 'old';
  else return { usable: false, reason: `file type ${bb.fileType} is no transaction log (1, 2 or 6)`, empty: false };
  return { usable: true, format, baseBlock: bb, bytes };
}

/**
 * Whether the log's base block names the same hive as the primary's: the debugging file name
 * (a partial path, compared from the end so 'SYSTEM' matches '\REGISTRY\MACHINE\SYSTEM'), and the
 * Windows 10 RmId / LogId GUIDs (112-143) when both carry the 'rmtm' signature and a non-null
 * RmId. Empty fields prove nothing either way and pass. `primary` holds the primary's first 512
 * bytes (its base block need not be intact: these fields are what is compared, not trusted).
 */
export function sameHive(primary: Uint8Array, primaryBb: BaseBlock, log: Uint8Array, logBb: BaseBlock): { same: true } | { same: false; why: string } {
  const a = primaryBb.fileName.toUpperCase();
  const b = logBb.fileName.toUpperCase();
  if (a !== '' && b !== '' && !a.endsWith(b) && !b.endsWith(a)) return { same: false, why: `it names hive file ${JSON.stringify(logBb.fileName)}, the hive names ${JSON.stringify(primaryBb.fileName)}` };
  const rmtm = (buf: Uint8Array) => buf[164] === 0x72 && buf[165] === 0x6d && buf[166] === 0x74 && buf[167] === 0x6d;
  const nullGuid = (buf: Uint8Array, at: number) => buf.subarray(at, at + 16).every((x) => x === 0);
  if (rmtm(primary) && rmtm(log) && !nullGuid(primary, 112) && !nullGuid(log, 112)) {
    for (const [at, what] of [[112, 'RmId'], [128, 'LogId']] as const) {
      for (let i = 0; i < 16; i++) {
        if (primary[at + i] !== log[at + i]) return { same: false, why: `its ${what} GUID differs from the hive's` };
      }
    }
  }
  return { same: true };
}
