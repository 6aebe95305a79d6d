// Atomic replacement of a small file: write a temp file beside it (exclusive create), fsync it,
// rename over the target, then fsync the folder. A crash at any point leaves either the old file
// or the new one, never a half-written one. Only used for the app's own data (never evidence).
// A killed process leaves its temp file behind: temp files are named `.NAME.PID.RAND.tmp` (one
// pattern, parsed here) so a later start can tell ours from anything else and whether the writer
// is gone (see data-dir.ts); the ones this process is writing right now are listed in `inFlight`.

import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicWriteHooks {
  /** Test seam: runs after the temp file is written and synced, before the rename. */
  beforeRename?(tempPath: string): Promise<void> | void;
}

const TEMP_NAME = /^\.(.+)\.([1-9]\d{0,9})\.([0-9a-f]{12})\.tmp$/;

/** Temp files this process has created and not yet renamed or removed (absolute paths). */
const inFlight = new Set<string>();

/** A fresh temp path beside `path`, in the one pattern a later start recognises. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** The parts of one of our temp names, or undefined when the name is not ours. */
export function parseTempName(name: string): { target: string; pid: number } | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? { target: m[1], pid: Number(m[2]) } : undefined;
}

export function isInFlight(tempPath: string): boolean {
  return inFlight.has(tempPath);
}

/** Creates `tempPath` exclusively and tracks it as in flight until `settle` is called. */
export async function openTemp(tempPath: string) {
  // listed before it exists, so a cleanup in this process never sees it unlisted
  inFlight.add(tempPath);
  try {
    return await open(tempPath, 'wx', 0o600);
  } catch (e) {
    inFlight.delete(tempPath);
    throw e;
  }
}

export function settleTemp(tempPath: string): void {
  inFlight.delete(tempPath);
}

export async function writeFileAtomic(path: string, text: string, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = dirname(path);
  const temp = tempPathFor(path);
  const fh = await openTemp(temp);
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
    try {
      if (!renamed) await rm(temp, { force: true });
    } finally {
      settleTemp(temp);
    }
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
