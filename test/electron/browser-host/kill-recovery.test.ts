// Crash leftovers: a store or a browser host killed hard (SIGKILL) while it saves the baseline or
// receives an upload leaves the old baseline intact, never a torn file, and the next start
// removes what the killed process left (its temp files, its lock, its upload folder) so
// leftovers never pile up. Processes are real children running the sources through tsx.

import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaselineStore, BASELINE_FILE } from '../../../electron/backend/baseline-store';
import { parseBaselineText } from '../../../electron/backend/baseline-codec';
import { uploadRootOwner } from '../../../electron/browser-host/uploads';
import { tempDir } from '../backend/helpers';
import { killHard, spawnFixture, waitForLine, type Child } from '../backend/spawn-fixture';

const seed = { id: 'seed', analyst: 'a', reason: 'kept', match: { kind: 'exact-value' as const, value: 'seed' } };
const leftovers = async (dir: string) => (await readdir(dir)).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'));

async function baselineOnDisk(dir: string) {
  const parsed = parseBaselineText(await readFile(join(dir, BASELINE_FILE), 'utf8'));
  expect(parsed.ok).toBe(true);
  return parsed.ok ? parsed.value : [];
}

describe('killed while saving the baseline', () => {
  it('a store killed inside a save (temp file written, lock held) leaves the old baseline; the next start removes the temp file and takes the lock over', async () => {
    const dir = await tempDir('kill');
    let saver: Child | undefined;
    try {
      await (await BaselineStore.open(dir)).add(seed);
      saver = spawnFixture('test/electron/backend/fixtures/baseline-saver.ts', [dir, 'hang']);
      const temp = (await waitForLine(saver, /^renaming (.+)$/))[1];
      await killHard(saver);
      // what the kill left: the written temp file and the lock of a dead process
      expect((await stat(temp)).isFile()).toBe(true);
      expect((await leftovers(dir)).sort()).toEqual(['baseline.json.lock', temp.split('/').pop()].sort());
      const t0 = Date.now();
      const store = await BaselineStore.open(dir);
      expect(Date.now() - t0).toBeLessThan(3_000);
      expect(await leftovers(dir)).toEqual([]);
      expect(store.list().map((e) => e.id)).toEqual(['seed']);
      expect((await store.add({ ...seed, id: 'after' })).ok).toBe(true);
      expect((await baselineOnDisk(dir)).map((e) => e.id)).toEqual(['seed', 'after']);
    } finally {
      if (saver) await killHard(saver);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('killed 8 times at random points of saving a 2 MB baseline: never a torn file, nothing left after each start', async () => {
    const dir = await tempDir('kill');
    let saver: Child | undefined;
    let leftBehind = 0;
    try {
      await (await BaselineStore.open(dir)).add(seed);
      for (let round = 0; round < 8; round++) {
        saver = spawnFixture('test/electron/backend/fixtures/baseline-saver.ts', [dir, 'loop']);
        await waitForLine(saver, /^wrote [1-9]/);
        await sleep(Math.random() * 60);
        await killHard(saver);
        leftBehind += (await leftovers(dir)).length;
        expect((await baselineOnDisk(dir)).map((e) => e.id)).toEqual(['seed', 'big']);
        const store = await BaselineStore.open(dir);
        expect(store.state().loadProblem).toBeUndefined();
        expect(await leftovers(dir)).toEqual([]);
      }
      // the kills did land inside saves, leaving a temp file or the lock (else this test proves nothing)
      expect(leftBehind).toBeGreaterThan(0);
      expect((await readdir(dir)).sort()).toEqual([BASELINE_FILE]);
    } finally {
      if (saver) await killHard(saver);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

interface Host {
  child: Child;
  port: number;
  token: string;
}

async function startHost(tmp: string, dataDir: string, staticDir: string): Promise<Host> {
  const child = spawnFixture(
    'electron/browser-host/serve.ts',
    ['--no-open', '--no-build', '--port', '0', '--workers', '1', '--data-dir', dataDir, '--static-dir', staticDir],
    { ...process.env, TMPDIR: tmp },
  );
  const m = await waitForLine(child, /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)$/, 60_000);
  return { child, port: Number(m[1]), token: m[2] };
}

function post(h: Host, path: string, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: h.port, method: 'POST', path, headers: { host: `127.0.0.1:${h.port}`, 'content-type': 'application/json', 'x-runkey-token': h.token } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0)); // the host was killed under it
    req.end(body);
  });
}

const uploadRoots = async (tmp: string) => (await readdir(tmp)).filter((n) => uploadRootOwner(n) !== undefined);

describe('browser host killed while uploading and saving', () => {
  it('the next host start removes the killed host\'s upload folder and temp files; the baseline is whole', async () => {
    const base = await tempDir('killhost');
    const tmp = join(base, 'tmp');
    const data = join(base, 'data');
    const staticDir = join(base, 'static');
    for (const d of [tmp, data, staticDir]) await mkdir(d);
    await (await BaselineStore.open(data)).add(seed);
    let host: Host | undefined;
    let upload: ReturnType<typeof request> | undefined;
    try {
      host = await startHost(tmp, data, staticDir);
      const [firstRoot] = await uploadRoots(tmp);
      expect(uploadRootOwner(firstRoot)?.pid).toBe(host.child.pid);
      // an upload in progress: 64 MiB announced, 1 MiB chunks sent until some are on disk
      const h = host;
      upload = request({ host: '127.0.0.1', port: h.port, method: 'POST', path: '/api/upload?name=case%2Fbig.evtx', headers: { host: `127.0.0.1:${h.port}`, 'x-runkey-token': h.token, 'content-type': 'application/octet-stream', 'content-length': String(64 * 1024 * 1024) } });
      upload.on('error', () => undefined); // the host is killed under it
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      const onDisk = async () => {
        const ups = await readdir(join(tmp, firstRoot)).catch(() => [] as string[]);
        return ups.length > 0 ? (await readdir(join(tmp, firstRoot, ups[0]))).length : 0;
      };
      for (let i = 0; i < 60 && (await onDisk()) === 0; i++) {
        upload.write(chunk);
        await sleep(20);
      }
      expect(await onDisk()).toBeGreaterThan(0);
      // baseline saves in flight: 12 entries of 1 MB each, posted at once
      const saves = Array.from({ length: 12 }, (_, i) => post(h, '/api/baseline.addEntry', JSON.stringify({ entry: { id: `e${i}`, analyst: 'a', reason: 'y'.repeat(1_000_000), match: { kind: 'exact-value', value: `e${i}` } } })));
      await sleep(40);
      await killHard(host.child);
      await Promise.all(saves);
      upload.destroy();
      expect(await uploadRoots(tmp)).toEqual([firstRoot]); // what the kill left
      const saved = (await baselineOnDisk(data)).map((e) => e.id);
      expect(saved[0]).toBe('seed');

      host = await startHost(tmp, data, staticDir);
      const roots = await uploadRoots(tmp);
      expect(roots).toHaveLength(1);
      expect(roots[0]).not.toBe(firstRoot);
      expect(uploadRootOwner(roots[0])?.pid).toBe(host.child.pid);
      expect(await leftovers(data)).toEqual([]);
      const after = (await baselineOnDisk(data)).map((e) => e.id);
      expect(after).toEqual(saved); // every save that landed is kept, none torn
      expect(await post(host, '/api/baseline.addEntry', JSON.stringify({ entry: { ...seed, id: 'after-restart' } }))).toBe(200);
      // a host stopped normally removes its own folder
      const stopped = new Promise((r) => host?.child.once('exit', r));
      host.child.kill('SIGTERM');
      await stopped;
      expect(await uploadRoots(tmp)).toEqual([]);
      expect((await baselineOnDisk(data)).map((e) => e.id)).toEqual([...saved, 'after-restart']);
    } finally {
      upload?.destroy();
      if (host) await killHard(host.child);
      await rm(base, { recursive: true, force: true });
    }
  }, 120_000);
});
