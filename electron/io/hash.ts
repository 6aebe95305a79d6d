// SHA-256 of an evidence file, read in large blocks from a read-only handle. Scans do not use it:
// they hash the bytes as they parse them (read-once-source.ts), never reading a file twice; this is
// for tests and the benchmark's "before".

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export async function sha256File(path: string, blockSize = 4 * 1024 * 1024): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(blockSize);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, blockSize, null);
      if (bytesRead === 0) break;
      h.update(buf.subarray(0, bytesRead));
    }
    return h.digest('hex');
  } finally {
    await fh.close();
  }
}
