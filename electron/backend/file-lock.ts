// A lock on one resource of the data folder (the baseline, the settings, later the case file),
// held by one read-modify-write at a time: in this process through a promise queue per lock path,
// across processes (the app and the CLI, two windows on one folder) through a lock file.
//
// Invariants:
// - The lock file is never seen half-written: its content (holder pid, start time, host, time,
//   a random token) is written to a temp file first and hard-linked to the lock name, which fails
//   with EEXIST like an O_EXCL create (file systems without hard links fall back to O_EXCL; a
//   lock file read empty there is stale only after a short grace).
// - A lock is stale when its holder is known gone (same host, pid dead or reused: see
//   process-liveness.ts), when it is this process's own but not held (its release failed), or
//   when it is older than `staleMs` (a holder on another host, or one that hung). A stale lock is
//   moved aside (rename: only one taker wins it) and removed.
// - A live lock is waited for up to `waitMs`, then the call is refused with LockBusyError
//   naming the holder; nothing is ever done without the lock.
// - The holder checks it still holds the lock right before it writes (`lease.assertHeld()`), so
//   a holder whose lock was broken after `staleMs` refuses instead of overwriting.

import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTemp, settleTemp, tempPathFor } from './atomic-write';
import { isProcessAlive, ownIdentity } from './process-liveness';

export interface LockOptions {
  /** How long to wait for a live holder before refusing (ms). */
  waitMs?: number;
  /** A lock older than this is taken over even when its holder seems alive (ms). */
  staleMs?: number;
}

export const DEFAULT_LOCK_WAIT_MS = 10_000;
export const DEFAULT_LOCK_STALE_MS = 120_000;
/** An unparsable lock file (only possible without hard links: created, not yet written) is stale after this. */
const EMPTY_LOCK_GRACE_MS = 2_000;

interface LockContent {
  pid: number;
  start?: string;
  host: string;
  at: number;
  token: string;
}

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class LockBusyError extends Error {
  readonly code = 'LOCK_BUSY';
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    const who = holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another process';
    super(`${basename(lockPath)} is held by ${who}; gave up after ${waitedMs} ms`);
  }
}

export class LockLostError extends Error {
  readonly code = 'LOCK_LOST';
  constructor(readonly lockPath: string) {
    super(`${basename(lockPath)} was taken over by another process while this one held it (held too long)`);
  }
}

export interface LockLease {
  /** Throws LockLostError when the lock file no longer holds this lease's token. */
  assertHeld(): Promise<void>;
}

const queues = new Map<string, Promise<unknown>>();
/** Tokens of the locks this process holds right now: a lock file of ours with another token is a leak (its release failed). */
const held = new Set<string>();

/** Runs `fn` holding the lock at `lockPath` (in this process and across processes). */
export async function withFileLock<T>(lockPath: string, fn: (lease: LockLease) => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const key = resolve(lockPath);
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(
    () => holdWhile(key, fn, opts),
    () => holdWhile(key, fn, opts),
  );
  // the queue only orders; a failure of one call must not fail the next
  const tail = run.catch((e: unknown) => void e);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}

async function holdWhile<T>(lockPath: string, fn: (lease: LockLease) => Promise<T>, opts: LockOptions): Promise<T> {
  const token = await acquire(lockPath, opts.waitMs ?? DEFAULT_LOCK_WAIT_MS, opts.staleMs ?? DEFAULT_LOCK_STALE_MS);
  const lease: LockLease = {
    async assertHeld() {
      const now = await readLock(lockPath);
      if (now?.content?.token !== token) throw new LockLostError(lockPath);
    },
  };
  held.add(token);
  try {
    return await fn(lease);
  } finally {
    held.delete(token);
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, waitMs: number, staleMs: number): Promise<string> {
  const started = Date.now();
  const me = ownIdentity();
  const token = randomBytes(12).toString('hex');
  const content: LockContent = { pid: me.pid, ...(me.start ? { start: me.start } : {}), host: hostname(), at: Date.now(), token };
  let pause = 5;
  for (;;) {
    content.at = Date.now();
    if (await tryCreate(lockPath, JSON.stringify(content))) return token;
    const seen = await readLock(lockPath);
    if (!seen) continue; // released between our create and read: try again at once
    if (isStale(seen, staleMs)) {
      await breakStale(lockPath, seen.raw);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= waitMs) throw new LockBusyError(lockPath, holderOf(seen.content), waited);
    await sleep(Math.min(pause, waitMs - waited) + Math.random() * pause);
    pause = Math.min(pause * 2, 100);
  }
}

/** True when the lock was created with our content; false when it exists already. */
async function tryCreate(lockPath: string, text: string): Promise<boolean> {
  const temp = tempPathFor(lockPath);
  const fh = await openTemp(temp);
  try {
    try {
      await fh.writeFile(text, 'utf8');
    } finally {
      await fh.close();
    }
    try {
      await link(temp, lockPath);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    }
    return await createExclusive(lockPath, text);
  } finally {
    try {
      await rm(temp, { force: true });
    } finally {
      settleTemp(temp);
    }
  }
}

/** No hard links on this file system: O_EXCL create, then write (a reader may see it empty for a moment). */
async function createExclusive(lockPath: string, text: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(lockPath, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(text, 'utf8');
  } finally {
    await fh.close();
  }
  return true;
}

interface SeenLock {
  raw: string;
  content?: LockContent;
  mtimeMs: number;
}

async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  let raw: string;
  let mtimeMs: number;
  try {
    raw = await readFile(lockPath, 'utf8');
    mtimeMs = (await stat(lockPath)).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return { raw, content: parseLock(raw), mtimeMs };
}

function parseLock(raw: string): LockContent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (e) {
    void e; // a torn or foreign lock file: judged by its age
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.at !== 'number' || typeof o.token !== 'string') return undefined;
  const c: LockContent = { pid: o.pid, host: o.host, at: o.at, token: o.token };
  if (typeof o.start === 'string') c.start = o.start;
  return c;
}

function isStale(seen: SeenLock, staleMs: number): boolean {
  const c = seen.content;
  if (!c) return Date.now() - seen.mtimeMs > EMPTY_LOCK_GRACE_MS;
  if (c.host === hostname()) {
    const me = ownIdentity();
    if (c.pid === me.pid && c.start === me.start) return !held.has(c.token);
    if (!isProcessAlive(c.start ? { pid: c.pid, start: c.start } : { pid: c.pid })) return true;
  }
  return Date.now() - c.at > staleMs;
}

function holderOf(c: LockContent | undefined): LockHolder | undefined {
  return c ? { pid: c.pid, host: c.host, since: new Date(c.at).toISOString() } : undefined;
}

/**
 * Moves the stale lock aside and removes it. The rename is atomic, so of several processes that
 * judged it stale one moves it; if what was moved is not the lock we judged (it was broken and
 * re-taken meanwhile), it is linked back unless a newer lock exists already.
 */
async function breakStale(lockPath: string, judgedRaw: string): Promise<void> {
  const aside = tempPathFor(lockPath); // our temp pattern: a crash right here leaves a file the next start removes
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it first
    throw e;
  }
  try {
    const moved = await readFile(aside, 'utf8');
    if (moved !== judgedRaw) {
      await link(aside, lockPath).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      });
    }
  } finally {
    await rm(aside, { force: true });
  }
}

/**
 * Removes the lock at `lockPath` when it is one of ours (it parses) and stale; a start-up sweep,
 * so a killed holder's lock does not stay until the next change. Anything else is left alone.
 */
export async function removeLockIfStale(lockPath: string, staleMs = DEFAULT_LOCK_STALE_MS): Promise<boolean> {
  const seen = await readLock(lockPath);
  if (!seen?.content || !isStale(seen, staleMs)) return false;
  await breakStale(lockPath, seen.raw);
  return true;
}

/**
 * Never throws: the work done under the lock has landed by now, so a failure to remove the lock
 * is logged, not reported as the work's failure (the lock then goes stale and is taken over).
 */
async function release(lockPath: string, token: string): Promise<void> {
  try {
    const seen = await readLock(lockPath);
    if (seen?.content?.token === token) await rm(lockPath, { force: true });
    else console.error(`runkey-hunter: ${basename(lockPath)} was taken over by another process before this one released it`);
  } catch (e) {
    console.error(`runkey-hunter: cannot release ${lockPath}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
