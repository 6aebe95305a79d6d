// Atomic replacement of a small file: write a temp file beside it (exclusive create), fsync it,
// rename over the target, then fsync the folder. A crash at any point leaves either the old file
// or the new one, never a half-written one. Only used for the app's own data (never evidence).

import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteHooks {
  /** Test seam: runs after the temp file is written and synced, before the rename. */
  beforeRename?(tempPath: string): Promise<void> | void;
}

export async function writeFileAtomic(path: string, text: string, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(temp, 'wx', 0o600);
  let renamed = false;
  try {
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await hooks.beforeRename?.(temp);
    await rename(temp, path);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
}

async function syncDir(dir: string): Promise<void> {
  let dh;
  try {
    dh = await open(dir, 'r');
    await dh.sync();
  } catch (e) {
    // some file systems refuse fsync on a directory; the rename itself is still atomic
    void e;
  } finally {
    await dh?.close();
  }
}
