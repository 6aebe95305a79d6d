// Performs the generator's file operations on disk, inside one output folder only. Writes are
// awaited one at a time through FileHandles (not buffered streams), so memory is bounded by one
// EVTX chunk / text buffer per file whatever the output size, and the EVTX file header can be
// rewritten in place at the end. Refuses a non-empty folder unless told to overwrite, so it can
// never be pointed at an evidence folder by mistake.

import { mkdir, open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { generate, type RunOptions } from '../../shared/generator/generate';
import type { AnswerKey } from '../../shared/generator/answer-key';

export interface WriteOptions {
  /** Allow writing into a folder that already holds files (ours are replaced, others left alone). */
  overwrite?: boolean;
  /** Called now and then with the bytes written so far. */
  onProgress?: (bytes: number) => void;
}

export class OutputFolderNotEmptyError extends Error {
  constructor(readonly dir: string) {
    super(`output folder ${dir} is not empty (use --force to write into it)`);
  }
}

export async function writeGenerated(opts: RunOptions, outDir: string, wo: WriteOptions = {}): Promise<AnswerKey> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  if (!wo.overwrite && (await readdir(dir)).length > 0) throw new OutputFolderNotEmptyError(dir);
  const handles = new Map<string, FileHandle>();
  const pathOf = (file: string) => {
    if (basename(file) !== file) throw new Error(`generator produced a file name with a folder: ${file}`);
    return join(dir, file);
  };
  let bytes = 0;
  let lastReport = 0;
  const it = generate(opts);
  try {
    for (let r = it.next(); ; r = it.next()) {
      if (r.done) return r.value;
      const op = r.value;
      switch (op.op) {
        case 'open':
          handles.set(op.file, await open(pathOf(op.file), 'w'));
          break;
        case 'append': {
          const fh = handles.get(op.file);
          if (!fh) throw new Error(`write to unopened ${op.file}`);
          await fh.write(op.data);
          bytes += op.data.length;
          if (wo.onProgress && bytes - lastReport > 8 * 1024 * 1024) {
            lastReport = bytes;
            wo.onProgress(bytes);
          }
          break;
        }
        case 'writeAt': {
          const fh = handles.get(op.file);
          if (!fh) throw new Error(`write to unopened ${op.file}`);
          await fh.write(op.data, 0, op.data.length, op.position);
          break;
        }
        case 'close':
          await handles.get(op.file)?.close();
          handles.delete(op.file);
          break;
      }
    }
  } finally {
    for (const fh of handles.values()) await fh.close();
  }
}
