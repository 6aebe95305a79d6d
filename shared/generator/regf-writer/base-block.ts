// The 4 KiB base block of a primary hive (format 1.5, as Windows 10 writes it): signature, the two
// sequence numbers (equal for a clean hive, the primary one ahead for a hive caught mid-write),
// last-written FILETIME, root cell offset, hive bins size, the file name field (last 31 UTF-16
// units of the path, as Windows keeps it) and the XOR-32 checksum over the first 508 bytes. The
// GUIDs (RmId, LogId, TmId) come from the caller so that a seed gives the same bytes every time.
// Inputs are the writer's own: nothing here reads untrusted bytes.

export const BASE_BLOCK_SIZE = 4096;
/** What a transaction log keeps of a base block (its first sector). */
export const LOG_BASE_BLOCK_SIZE = 512;

export interface BaseBlockFields {
  primarySequence: number;
  secondarySequence: number;
  /** FILETIME (100 ns since 1601-01-01 UTC). */
  lastWritten: bigint;
  rootCell: number;
  binsSize: number;
  /** 0 for a primary file, 6 for a new-format transaction log's copy. */
  fileType?: number;
  fileName: string;
  /** 16 bytes each; LogId is RmId as Windows usually writes it. */
  rmId: Uint8Array;
  tmId: Uint8Array;
}

const EPOCH_DIFF_MS = 11644473600000n;

/**
 * FILETIME of an ISO 8601 UTC time with up to 7 fractional digits (the precision reg tools print),
 * or a FILETIME given as a bigint. Throws on a time the writer cannot represent: the tree is the
 * generator's own, so a bad one is a bug to see, not damage to tolerate.
 */
export function filetime(t: string | bigint): bigint {
  if (typeof t === 'bigint') return t;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(t);
  if (!m) throw new RangeError(`not an ISO 8601 UTC time with at most 7 fractional digits: ${t}`);
  const whole = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(whole)) throw new RangeError(`not a valid time: ${t}`);
  const frac = BigInt((m[2] ?? '').padEnd(7, '0'));
  const ft = (BigInt(whole) + EPOCH_DIFF_MS) * 10000n + frac;
  if (ft < 0n || ft >= 1n << 64n) throw new RangeError(`time outside FILETIME's range: ${t}`);
  return ft;
}

export function putFiletime(dv: DataView, at: number, ft: bigint): void {
  dv.setBigUint64(at, ft, true);
}

/** XOR-32 of the first 508 bytes, with 0 and -1 mapped away as the specification says. */
export function baseBlockChecksum(bb: Uint8Array): number {
  const dv = new DataView(bb.buffer, bb.byteOffset, 508);
  let c = 0;
  for (let i = 0; i < 508; i += 4) c ^= dv.getUint32(i, true);
  c >>>= 0;
  if (c === 0xffffffff) return 0xfffffffe;
  if (c === 0) return 1;
  return c;
}

export function sealBaseBlock(bb: Uint8Array): void {
  new DataView(bb.buffer, bb.byteOffset).setUint32(508, baseBlockChecksum(bb), true);
}

export function writeBaseBlock(f: BaseBlockFields): Uint8Array {
  const bb = new Uint8Array(BASE_BLOCK_SIZE);
  const dv = new DataView(bb.buffer);
  bb.set([0x72, 0x65, 0x67, 0x66]); // regf
  dv.setUint32(4, f.primarySequence >>> 0, true);
  dv.setUint32(8, f.secondarySequence >>> 0, true);
  putFiletime(dv, 12, f.lastWritten);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, 5, true);
  dv.setUint32(28, f.fileType ?? 0, true);
  dv.setUint32(32, 1, true); // direct memory load
  dv.setUint32(36, f.rootCell, true);
  dv.setUint32(40, f.binsSize, true);
  dv.setUint32(44, 1, true); // clustering factor: always 1 as of Windows 8
  // Windows keeps the tail of the path when it does not fit (31 units and a terminating NUL).
  const name = f.fileName.length > 31 ? f.fileName.slice(-31) : f.fileName;
  for (let i = 0; i < name.length; i++) dv.setUint16(48 + i * 2, name.charCodeAt(i), true);
  bb.set(f.rmId.subarray(0, 16), 112);
  bb.set(f.rmId.subarray(0, 16), 128); // LogId: usually RmId
  bb.set(f.tmId.subarray(0, 16), 148);
  bb.set([0x72, 0x6d, 0x74, 0x6d], 164); // rmtm
  sealBaseBlock(bb);
  return bb;
}
