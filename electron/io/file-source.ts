// Evidence is read-only: files are opened with the 'r' flag only, never written, and nothing is
// created beside them. A FileSource is the host's ByteSource for one file.

import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../../shared/readers/types';

export interface FileSource extends ByteSource {
  readonly path: string;
  close(): Promise<void>;
}

export async function openFileSource(path: string): Promise<FileSource> {
  const fh: FileHandle = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const len = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(len);
      let done = 0;
      while (done < len) {
        const { bytesRead } = await fh.read(buf, done, len - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === len ? buf : buf.subarray(0, done);
    },
    close: () => fh.close(),
  };
}
