// Random, read-only access to evidence bytes. A host (worker, CLI, browser) implements ByteSource
// over a file opened read-only or a Blob; readers and archive code only ever call read(). A source
// that turns out shorter than its size returns fewer bytes, never throws for that: the reader above
// sees the truncation and reports it where it lands.

/** Random, read-only access to bytes: a file opened read-only, a Blob, an archive member in memory. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A uniform ByteSource over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}
