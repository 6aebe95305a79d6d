// Hive bin headers: "hbin", the bin's offset from the start of the hive bins data, its size (a
// multiple of 4 KiB) and, in the first bin only, a copy of the base block's last-written time.

export const HBIN_HEADER_SIZE = 32;
export const PAGE = 4096;

export function writeHbinHeader(bins: Uint8Array, at: number, size: number, timestamp: bigint | undefined): void {
  const dv = new DataView(bins.buffer, bins.byteOffset);
  bins.set([0x68, 0x62, 0x69, 0x6e], at); // hbin
  dv.setUint32(at + 4, at, true);
  dv.setUint32(at + 8, size, true);
  if (timestamp !== undefined) dv.setBigUint64(at + 20, timestamp, true);
}
