// SHA-256 of an evidence file, read in large blocks from a read-only handle.

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
