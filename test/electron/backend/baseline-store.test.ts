// The baseline file: validated on load (a corrupt file is moved aside and reported, never
// replaced), written atomically (a failure or a killed process between the temp write and the
// rename leaves the old file intact), import refuses invalid text without changing anything.

import { describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, rm } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BaselineStore, BASELINE_FILE } from '../../../electron/backend/baseline-store';
import { parseBaselineText } from '../../../electron/backend/baseline-codec';
import { REPO_ROOT } from '../../samples';
import { tempDir } from './helpers';

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
});
