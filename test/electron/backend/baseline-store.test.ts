// The baseline file: validated on load (a corrupt file is moved aside and reported, never
// replaced), written atomically (a failure or a killed process between the temp write and the
// rename leaves the old file intact), import refuses invalid text without changing anything.
// Changes from overlapping calls, two stores of one process and two processes on one data folder
// all land (each is a read-modify-write of the file under its lock); a store's start removes the
// temp files killed writers left, and nothing else.

import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile, rm, utimes } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { BaselineStore, BASELINE_FILE } from '../../../electron/backend/baseline-store';
import { parseBaselineText } from '../../../electron/backend/baseline-codec';
import { REPO_ROOT } from '../../samples';
import { tempDir } from './helpers';
import { deadPid, killHard, spawnFixture, waitForLine, type Child } from './spawn-fixture';

const entry = (value: string) => ({ analyst: 'a', reason: 'r', match: { kind: 'exact-value' as const, value } });

describe('baseline store', () => {
  it('moves a corrupt baseline aside, reports it and starts empty', async () => {
    const dir = await tempDir('bl');
    try {
      await writeFile(join(dir, BASELINE_FILE), '{"format":"runkey-hunter-baseline","version":1,"entries":[{"id":');
      const store = await BaselineStore.open(dir);
      const s = store.state();
      expect(s.entries).toEqual([]);
      expect(s.loadProblem?.code).toBe('CORRUPT_MOVED_ASIDE');
      const files = await readdir(dir);
      expect(files.some((f) => /^baseline\.corrupt-.*\.json$/.test(f))).toBe(true);
      expect(files).not.toContain(BASELINE_FILE);
      const kept = files.find((f) => f.startsWith('baseline.corrupt-')) ?? '';
      expect(await readFile(join(dir, kept), 'utf8')).toContain('"entries":[{"id":');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a schema-invalid file is moved aside too', async () => {
    const dir = await tempDir('bl');
    try {
      await writeFile(join(dir, BASELINE_FILE), JSON.stringify({ format: 'runkey-hunter-baseline', version: 1, entries: [{ id: 'x', match: { kind: 'nope' } }] }));
      const store = await BaselineStore.open(dir);
      expect(store.state().loadProblem?.code).toBe('CORRUPT_MOVED_ASIDE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves the old baseline intact when a write fails between the temp file and the rename', async () => {
    const dir = await tempDir('bl');
    try {
      const ok = await BaselineStore.open(dir);
      expect((await ok.add(entry('old'))).ok).toBe(true);
      const before = await readFile(join(dir, BASELINE_FILE), 'utf8');
      const failing = await BaselineStore.open(dir, {
        hooks: {
          beforeRename: () => {
            throw new Error('simulated crash');
          },
        },
      });
      const r = await failing.add(entry('new'));
      expect(r.ok ? 'ok' : r.error.code).toBe('IO');
      expect(await readFile(join(dir, BASELINE_FILE), 'utf8')).toBe(before);
      expect(failing.list().map((e) => e.match)).toEqual([entry('old').match]);
      expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a process killed while writing the baseline over and over never leaves a half-written file', async () => {
    const dir = await tempDir('bl');
    try {
      const store = await BaselineStore.open(dir);
      await store.add(entry('seed'));
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/electron/backend/fixtures/baseline-writer.ts'), dir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      // wait until it has written a few times, then kill it hard mid-loop
      await new Promise<void>((resolve) => {
        let seen = '';
        child.stdout.on('data', (d: Buffer) => {
          seen += d.toString();
          if ((seen.match(/wrote/g) ?? []).length >= 5) resolve();
        });
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const text = await readFile(join(dir, BASELINE_FILE), 'utf8');
      const parsed = parseBaselineText(text);
      expect(parsed.ok).toBe(true);
      const reopened = await BaselineStore.open(dir);
      expect(reopened.state().loadProblem).toBeUndefined();
      expect(reopened.list().length).toBeGreaterThanOrEqual(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid import without changing anything, and round-trips export → import', async () => {
    const dir = await tempDir('bl');
    try {
      const store = await BaselineStore.open(dir);
      await store.add(entry('one'));
      const exported = store.exportText();
      const bad = await store.import('{"format":"something-else"}', 'replace');
      expect(bad.ok ? 'ok' : bad.error.code).toBe('INVALID_BASELINE');
      expect(store.list()).toHaveLength(1);
      const other = await BaselineStore.open(await tempDir('bl2'));
      const r = await other.import(exported, 'merge');
      expect(r.ok && r.value.imported).toBe(1);
      expect(other.list()).toEqual(store.list());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('overlapping updates of two entries both land, in memory and in the file', async () => {
    const dir = await tempDir('bl');
    try {
      const store = await BaselineStore.open(dir);
      await store.add({ ...entry('a'), id: 'A' });
      await store.add({ ...entry('b'), id: 'B' });
      const [ra, rb] = await Promise.all([store.update('A', { ...entry('a'), reason: 'changed A' }), store.update('B', { ...entry('b'), analyst: 'changed B' })]);
      expect([ra.ok, rb.ok]).toEqual([true, true]);
      const want = { A: 'changed A', B: 'changed B' };
      const got = (list: readonly { id: string; reason: string; analyst: string }[]) => ({ A: list.find((e) => e.id === 'A')?.reason, B: list.find((e) => e.id === 'B')?.analyst });
      expect(got(store.list())).toEqual(want);
      expect(got((await BaselineStore.open(dir)).list())).toEqual(want);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two stores on one data folder (two windows) merge their changes instead of overwriting each other', async () => {
    const dir = await tempDir('bl');
    try {
      const one = await BaselineStore.open(dir);
      const two = await BaselineStore.open(dir);
      expect((await one.add({ ...entry('one'), id: 'one' })).ok).toBe(true);
      const r = await two.add({ ...entry('two'), id: 'two' });
      expect(r.ok && r.value.entries.map((e) => e.id).sort()).toEqual(['one', 'two']);
      // a delete in one store is seen by the other's next change, not resurrected
      expect((await one.remove('two')).ok).toBe(true);
      const again = await two.update('two', entry('two again'));
      expect(again.ok ? 'ok' : again.error.code).toBe('NOT_FOUND');
      expect((await BaselineStore.open(dir)).list().map((e) => e.id)).toEqual(['one']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refresh() takes in another store\'s change once, and keeps the entries when the file turns invalid', async () => {
    const dir = await tempDir('bl');
    try {
      const one = await BaselineStore.open(dir);
      const two = await BaselineStore.open(dir);
      expect(await two.refresh()).toBe(false);
      await one.add({ ...entry('x'), id: 'x' });
      expect(await two.refresh()).toBe(true);
      expect(two.list().map((e) => e.id)).toEqual(['x']);
      expect(await two.refresh()).toBe(false);
      await writeFile(join(dir, BASELINE_FILE), '{"format":');
      expect(await two.refresh()).toBe(false);
      expect(two.list().map((e) => e.id)).toEqual(['x']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('two processes adding 15 entries each at once keep all 30', async () => {
    const dir = await tempDir('bl');
    const racers: Child[] = [];
    try {
      for (const who of ['left', 'right']) racers.push(spawnFixture('test/electron/backend/fixtures/store-racer.ts', ['baseline', dir, who, '15']));
      // both have loaded the (empty) baseline before either writes
      await Promise.all(racers.map((c) => waitForLine(c, /^ready$/)));
      const answers = racers.map((c) => waitForLine(c, /^\[.*\]$/, 60_000));
      for (const c of racers) c.stdin.write('go\n');
      for (const a of await Promise.all(answers)) expect(JSON.parse(a[0])).toEqual(Array(15).fill('ok'));
      const values = (await BaselineStore.open(dir)).list().map((e) => (e.match.kind === 'exact-value' ? e.match.value : ''));
      expect(values).toHaveLength(30);
      expect(new Set(values)).toEqual(new Set(['left', 'right'].flatMap((w) => Array.from({ length: 15 }, (_, i) => `${w}-${i}`))));
      expect((await readdir(dir)).sort()).toEqual([BASELINE_FILE]);
    } finally {
      for (const c of racers) await killHard(c);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removes at start the temp files and locks of processes that are gone, and nothing else', async () => {
    const dir = await tempDir('bl');
    try {
      const dead = await deadPid();
      const live = process.ppid; // alive for the whole test, and not this process
      const gone = [
        `.baseline.json.${dead}.0123456789ab.tmp`, // writer dead
        `.settings.json.${process.pid}.00000000000a.tmp`, // our pid, but no write of ours: a killed process whose pid we reuse
        `.baseline.json.${live}.bbbbbbbbbbbb.tmp`, // live pid, but older than any write: a reused pid
      ];
      const kept = [
        `.baseline.json.${live}.cccccccccccc.tmp`, // a live writer's write in progress
        'notes.tmp',
        `.baseline.json.${dead}.not-hex-here.tmp`,
        `baseline.json.${dead}.0123456789ab.tmp`,
        'baseline.corrupt-2026-01-01.json',
      ];
      for (const f of [...gone, ...kept]) await writeFile(join(dir, f), 'x');
      // locks: a dead holder's is removed; a live holder's and a lock file that is not ours stay
      const lock = (pid: number) => JSON.stringify({ pid, host: hostname(), at: Date.now(), token: 't' });
      gone.push('settings.json.lock');
      await writeFile(join(dir, 'settings.json.lock'), lock(dead));
      kept.push('case.json.lock', 'someone-elses.lock');
      await writeFile(join(dir, 'case.json.lock'), lock(live));
      await writeFile(join(dir, 'someone-elses.lock'), String(dead));
      const old = new Date(Date.now() - 60 * 60_000);
      await utimes(join(dir, gone[2]), old, old);
      await mkdir(join(dir, `.baseline.json.${dead}.dddddddddddd.tmp`)); // a folder: not one of our temp files
      kept.push(`.baseline.json.${dead}.dddddddddddd.tmp`);
      await BaselineStore.open(dir);
      expect((await readdir(dir)).sort()).toEqual([...kept].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
