// The app's data folder (baseline, settings, their locks): created private (0700) and, each time a
// store opens it, cleared of the temp files killed writers left behind. Only files in our own
// temp pattern (`.NAME.PID.RAND.tmp`, atomic-write.ts) directly in the folder are considered, only
// regular files owned by this user, and only when their writer is gone: its pid is not running,
// or it is this process's pid but not a write in flight here (the pid of a process that was
// killed, reused by this one), or the file is older than any write takes (a reused pid of a
// process that is not ours). Locks (`NAME.lock`) whose content is ours and whose holder is gone
// are removed the same way (file-lock.ts decides). Nothing else in the folder is ever touched.

import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isInFlight, parseTempName } from './atomic-write';
import { isProcessAlive } from './process-liveness';
import { removeLockIfStale } from './file-lock';

/** A temp file of a live pid older than this is a leftover of an earlier process with that pid. */
export const STALE_TEMP_AGE_MS = 15 * 60_000;

export async function prepareDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const removed = await removeStaleTempFiles(dir);
  const locks = await removeStaleLocks(dir);
  const what = [removed.length ? `${removed.length} temp file(s)` : '', locks.length ? `${locks.length} lock(s)` : ''].filter(Boolean).join(' and ');
  if (what) console.error(`runkey-hunter: removed ${what} left in ${dir} by stopped processes`);
}

/** Removes the stale locks (`NAME.lock` files with our lock content, file-lock.ts) from `dir`; returns their names. */
export async function removeStaleLocks(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.lock') || name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      const st = await lstat(path);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      if (await removeLockIfStale(path)) removed.push(name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released or taken over meanwhile
      console.error(`runkey-hunter: cannot check the lock ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return removed;
}

/** Removes our stale temp files from `dir` (not recursive); returns the names removed. */
export async function removeStaleTempFiles(dir: string, maxAgeMs = STALE_TEMP_AGE_MS): Promise<string[]> {
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of await readdir(dir)) {
    const parsed = parseTempName(name);
    if (!parsed) continue;
    const path = join(dir, name);
    let st;
    try {
      st = await lstat(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // its writer renamed or removed it meanwhile
      throw e;
    }
    if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
    const stale = parsed.pid === process.pid ? !isInFlight(path) : !isProcessAlive({ pid: parsed.pid }) || Date.now() - st.mtimeMs > maxAgeMs;
    if (!stale) continue;
    try {
      await rm(path, { force: true });
      removed.push(name);
    } catch (e) {
      console.error(`runkey-hunter: cannot remove the stale temp file ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return removed;
}
