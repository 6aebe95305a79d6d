// The data folder's lock: one holder at a time in this process and across processes, a lock left
// by a dead (or reused) pid taken over at once, a live holder waited for within a bound and then
// refused with LOCK_BUSY, a lock older than the bound taken over, no temp files left behind.

import { describe, expect, it } from 'vitest';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockBusyError, withFileLock } from '../../../electron/backend/file-lock';
import { BaselineStore } from '../../../electron/backend/baseline-store';
import { ownIdentity } from '../../../electron/backend/process-liveness';
import { tempDir } from './helpers';
import { deadPid, killHard, spawnFixture, waitForLine } from './spawn-fixture';

const lockText = (pid: number, extra: Record<string, unknown> = {}) => JSON.stringify({ pid, host: hostname(), at: Date.now(), token: 'left-behind', ...extra });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

describe('file lock', () => {
  it('lets one holder in at a time among 40 concurrent callers of this process', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      let inside = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          withFileLock(lock, async () => {
            inside++;
            most = Math.max(most, inside);
            await sleep(1);
            order.push(i);
            inside--;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(order).toEqual(Array.from({ length: 40 }, (_, i) => i)); // first come, first served
      expect(await readdir(dir)).toEqual([]); // lock released, no temp files
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a failing holder releases the lock and does not fail the next caller', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      const first = withFileLock(lock, async () => {
        throw new Error('boom');
      });
      const second = withFileLock(lock, async () => 'second ran');
      await expect(first).rejects.toThrow('boom');
      expect(await second).toBe('second ran');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a dead pid at once', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      await writeFile(lock, lockText(await deadPid()));
      const t0 = Date.now();
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 5_000 })).toBe('ran');
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform !== 'linux')('takes over a lock whose pid is alive but now names a process started at another time (pid reused)', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      const me = ownIdentity();
      expect(me.start).toBeDefined();
      await writeFile(lock, lockText(process.pid, { start: String(Number(me.start) + 12_345) }));
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 1_000 })).toBe('ran');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes over at once a lock of this very process that no call of it holds (its release failed)', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      const me = ownIdentity();
      await writeFile(lock, lockText(me.pid, me.start ? { start: me.start } : {}));
      const t0 = Date.now();
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 5_000 })).toBe('ran');
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes over a torn (empty) lock file once it is older than the grace, and a live lock older than staleMs', async () => {
    const dir = await tempDir('lock');
    try {
      const lock = join(dir, 'x.lock');
      await writeFile(lock, '');
      const torn = await stat(lock);
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 5_000 })).toBe('ran');
      expect(Date.now() - torn.mtimeMs).toBeGreaterThanOrEqual(1_900);
      await writeFile(lock, lockText(process.pid, { at: Date.now() - 10_000 }));
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 2_000, staleMs: 5_000 })).toBe('ran');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('waits for a live holder in another process, refuses with LOCK_BUSY after the bound, and takes over once it is killed', async () => {
    const dir = await tempDir('lock');
    const holder = spawnFixture('test/electron/backend/fixtures/lock-holder.ts', [join(dir, 'x.lock')]);
    try {
      const lock = join(dir, 'x.lock');
      await waitForLine(holder, /^locked$/);
      expect(JSON.parse(await readFile(lock, 'utf8'))).toMatchObject({ pid: holder.pid, host: hostname() });
      let ran = false;
      const t0 = Date.now();
      const busy = withFileLock(lock, async () => {
        ran = true;
      }, { waitMs: 700 });
      expect(await codeOf(busy)).toBe('LOCK_BUSY');
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(650);
      expect(waited).toBeLessThan(5_000);
      expect(ran).toBe(false);
      await busy.catch((e: unknown) => {
        expect(e).toBeInstanceOf(LockBusyError);
        expect((e as LockBusyError).holder?.pid).toBe(holder.pid);
      });
      await killHard(holder);
      const t1 = Date.now();
      expect(await withFileLock(lock, async () => 'ran', { waitMs: 5_000 })).toBe('ran');
      expect(Date.now() - t1).toBeLessThan(2_000);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await killHard(holder);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a baseline change refused for a held lock answers BUSY and changes nothing; once the holder dies it lands', async () => {
    const dir = await tempDir('lock');
    const store = await BaselineStore.open(dir, { lock: { waitMs: 500 } });
    const holder = spawnFixture('test/electron/backend/fixtures/lock-holder.ts', [join(dir, 'baseline.json.lock')]);
    try {
      await waitForLine(holder, /^locked$/);
      const entry = { analyst: 'a', reason: 'r', match: { kind: 'exact-value' as const, value: 'v' } };
      const refused = await store.add(entry);
      expect(refused.ok ? 'ok' : refused.error.code).toBe('BUSY');
      expect(store.list()).toEqual([]);
      expect((await readdir(dir)).includes('baseline.json')).toBe(false);
      await killHard(holder);
      const landed = await store.add(entry);
      expect(landed.ok).toBe(true);
      expect((await BaselineStore.open(dir)).list()).toHaveLength(1);
    } finally {
      await killHard(holder);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a store opened while another process holds the lock past the wait shows the file as it is and refuses changes with BUSY', async () => {
    const dir = await tempDir('lock');
    await (await BaselineStore.open(dir)).add({ id: 'kept', analyst: 'a', reason: 'r', match: { kind: 'exact-value', value: 'kept' } });
    const holder = spawnFixture('test/electron/backend/fixtures/lock-holder.ts', [join(dir, 'baseline.json.lock')]);
    try {
      await waitForLine(holder, /^locked$/);
      const store = await BaselineStore.open(dir, { lock: { waitMs: 300 } });
      expect(store.list().map((e) => e.id)).toEqual(['kept']);
      expect(store.state().loadProblem).toBeUndefined();
      const r = await store.remove('kept');
      expect(r.ok ? 'ok' : r.error.code).toBe('BUSY');
      expect((await BaselineStore.open(dir, { lock: { waitMs: 300 } })).list().map((e) => e.id)).toEqual(['kept']);
    } finally {
      await killHard(holder);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
